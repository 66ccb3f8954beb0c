package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The best validation the experiment and the screens report is the one whose checkpoint the run kept, not the lowest WER. */
class ValidationResultTest {

    private static ValidationResult v(int update, double wer, double cer, boolean best) {
        return new ValidationResult(update, wer, cer, 100, best, 1.0);
    }

    @Test
    void theBestIsTheCheckpointTheTrainerKeptAndForUnflaggedLogsTheLowestWer() {
        // the trainer's rule kept update 800 (WER 99.00 / CER 67.85) over update 200's nearly empty output
        List<ValidationResult> ours = List.of(v(200, 0.9114, 0.8869, true), v(400, 0.9365, 0.6948, true),
                v(800, 0.9900, 0.6785, true), v(1000, 0.9967, 0.6809, false));
        assertThat(ValidationResult.kept(ours).update()).isEqualTo(800);
        // an external run's log flags nothing: the lowest WER, as fairseq's default best_checkpoint_metric
        List<ValidationResult> external = List.of(v(200, 0.9114, 0.8869, false), v(800, 0.9900, 0.6785, false));
        assertThat(ValidationResult.kept(external).update()).isEqualTo(200);
        assertThat(ValidationResult.kept(List.of())).isNull();
    }
}
