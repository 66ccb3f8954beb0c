package org.speechwb.engine.eval;

/**
 * How a checkpoint, or a grid setting, is chosen on validation data: by WER, except where WER no
 * longer ranks models. At 95 % WER and above nearly every word is wrong, and WER then moves with
 * insertions and word-boundary noise rather than with recognition (on speechocean762 with 10
 * labeled minutes, settings 1.3 points apart in WER were 8 points apart in CER the other way:
 * docs/experiment.md). So a model under 95 % WER beats any model above it, models under it rank
 * by WER (then CER), and models above it rank by CER (then WER). The rule is a total order, so it
 * works online (a trainer keeping its best checkpoint) and over a finished list alike.
 */
public final class ModelSelection {

    /** WER (a fraction) from which CER decides. */
    public static final double WER_FLOOR = 0.95;

    /** The rule in words, for reports. */
    public static final String RULE = "validation WER; CER where WER is 95 % or more";

    private ModelSelection() {
    }

    /** Negative when (wer1, cer1) is the better model. NaN (no validation) ranks last. */
    public static int compare(double wer1, double cer1, double wer2, double cer2) {
        boolean nan1 = Double.isNaN(wer1);
        boolean nan2 = Double.isNaN(wer2);
        if (nan1 || nan2) {
            return Boolean.compare(nan1, nan2);
        }
        boolean ranked1 = wer1 < WER_FLOOR;
        boolean ranked2 = wer2 < WER_FLOOR;
        if (ranked1 != ranked2) {
            return ranked1 ? -1 : 1;
        }
        int c = ranked1 ? Double.compare(wer1, wer2) : Double.compare(cer1, cer2);
        return c != 0 ? c : ranked1 ? Double.compare(cer1, cer2) : Double.compare(wer1, wer2);
    }

    /** Whether (wer, cer) is strictly better than (bestWer, bestCer). */
    public static boolean better(double wer, double cer, double bestWer, double bestCer) {
        return compare(wer, cer, bestWer, bestCer) < 0;
    }
}
