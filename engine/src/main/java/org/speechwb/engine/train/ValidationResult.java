package org.speechwb.engine.train;

import java.util.List;

/**
 * Greedy-decoding WER and CER on the validation utterances at an update; {@code best} when the
 * trainer kept this update's weights as {@code best.ckpt} (by its config's selection rule).
 */
public record ValidationResult(int update, double wer, double cer, int utterances, boolean best, double seconds) {

    /**
     * The validation of the checkpoint a run kept as {@code best.ckpt}: the last one the trainer
     * flagged, which need not be the lowest WER; for logs that flag none (an external run's), the
     * lowest WER. Null for none.
     */
    public static ValidationResult kept(List<ValidationResult> validations) {
        ValidationResult flagged = null;
        ValidationResult lowest = null;
        for (ValidationResult v : validations) {
            if (v.best()) {
                flagged = v;
            }
            if (lowest == null || v.wer() < lowest.wer()) {
                lowest = v;
            }
        }
        return flagged != null ? flagged : lowest;
    }
}
