package org.speechwb.engine.eval;

/**
 * Substitutions, insertions and deletions against a reference of {@code referenceLength} units.
 * The error rate is {@code (S + I + D) / N}; with an empty reference it is 0 when the hypothesis
 * is empty too and {@code +∞} otherwise (any hypothesis words are then pure insertions, which no
 * finite rate describes). Aggregate over many utterances with {@link #plus} first, then take the
 * rate: that is the corpus-level WER every toolkit reports (not a mean of per-utterance rates).
 */
public record ErrorCounts(int substitutions, int insertions, int deletions, int referenceLength) {

    public static final ErrorCounts ZERO = new ErrorCounts(0, 0, 0, 0);

    public int errors() {
        return substitutions + insertions + deletions;
    }

    public double rate() {
        if (referenceLength == 0) {
            return errors() == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return (double) errors() / referenceLength;
    }

    public ErrorCounts plus(ErrorCounts o) {
        return new ErrorCounts(substitutions + o.substitutions, insertions + o.insertions, deletions + o.deletions,
                referenceLength + o.referenceLength);
    }
}
