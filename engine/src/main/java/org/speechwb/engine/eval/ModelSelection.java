package org.speechwb.engine.eval;

/**
 * How a checkpoint, or a grid setting, is chosen on validation data. WER is what a recogniser is
 * for, but at 95 % WER and above nearly every word is wrong and WER moves with insertions and
 * word-boundary noise rather than with recognition (on speechocean762 with 10 labeled minutes,
 * settings 1.3 points apart in WER were 8 points apart in CER the other way: docs/experiment.md).
 * Each rule is a total order, so it works online (a trainer keeping its best checkpoint) and over
 * a finished list alike.
 */
public enum ModelSelection {

    /**
     * Ranks by min(WER, 95 %) + CER / 4 (then WER, then CER). Above the floor only CER counts;
     * below it WER leads and CER weighs a quarter, so WER decides unless the CER difference is
     * four times the WER difference the other way. There is no cliff at the floor: a model just
     * under 95 % WER with a far worse CER no longer beats one just above it (the flaw of
     * {@link #WER_FLOOR}, docs/experiment.md, "The controls").
     */
    SOFT_FLOOR("validation min(WER, 95 %) + CER / 4"),

    /**
     * A model under 95 % WER beats any model above it; models under it rank by WER (then CER),
     * models above it by CER (then WER). The rule of every run made before 2026-12-05: a
     * fine-tuning config that names no rule (a run folder from then) and an experiment folder
     * whose recipe names this one keep it.
     */
    WER_FLOOR("validation WER; CER where WER is 95 % or more");

    /** WER (a fraction) from which WER no longer ranks models. */
    public static final double FLOOR = 0.95;

    /** The rule of new runs. */
    public static final ModelSelection DEFAULT = SOFT_FLOOR;

    private final String description;

    ModelSelection(String description) {
        this.description = description;
    }

    /** The rule in words, for reports. */
    public String description() {
        return description;
    }

    /** The rule a report or recipe describes; its message names the text when none does. */
    public static ModelSelection fromDescription(String text) {
        for (ModelSelection m : values()) {
            if (m.description.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model-selection rule \"" + text + "\"; known: "
                + java.util.Arrays.stream(values()).map(m -> "\"" + m.description + "\"").toList());
    }

    /** Negative when (wer1, cer1) is the better model. NaN (no validation) ranks last. */
    public int compare(double wer1, double cer1, double wer2, double cer2) {
        boolean nan1 = Double.isNaN(wer1);
        boolean nan2 = Double.isNaN(wer2);
        if (nan1 || nan2) {
            return Boolean.compare(nan1, nan2);
        }
        if (this == SOFT_FLOOR) {
            int c = Double.compare(Math.min(wer1, FLOOR) + cer1 / 4, Math.min(wer2, FLOOR) + cer2 / 4);
            c = c != 0 ? c : Double.compare(wer1, wer2);
            return c != 0 ? c : Double.compare(cer1, cer2);
        }
        boolean ranked1 = wer1 < FLOOR;
        boolean ranked2 = wer2 < FLOOR;
        if (ranked1 != ranked2) {
            return ranked1 ? -1 : 1;
        }
        int c = ranked1 ? Double.compare(wer1, wer2) : Double.compare(cer1, cer2);
        return c != 0 ? c : ranked1 ? Double.compare(cer1, cer2) : Double.compare(wer1, wer2);
    }

    /** Whether (wer, cer) is strictly better than (bestWer, bestCer). */
    public boolean better(double wer, double cer, double bestWer, double bestCer) {
        return compare(wer, cer, bestWer, bestCer) < 0;
    }
}
