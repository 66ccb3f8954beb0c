package org.speechwb.engine.corpus;

/**
 * How much audio to synthesise per split, in minutes of (trimmed) speech. The builder stops a
 * split at the first utterance that reaches its target, so the result overshoots by less than
 * one utterance; 0 leaves a split empty.
 */
public record SplitTargets(double trainMinutes, double validMinutes, double testMinutes) {

    public SplitTargets {
        if (trainMinutes < 0 || validMinutes < 0 || testMinutes < 0) {
            throw new IllegalArgumentException("target minutes must not be negative");
        }
        if (trainMinutes == 0 && validMinutes == 0 && testMinutes == 0) {
            throw new IllegalArgumentException("all target durations are zero: nothing to synthesise");
        }
    }

    public double minutes(CorpusSplit split) {
        return switch (split) {
            case TRAIN -> trainMinutes;
            case VALID -> validMinutes;
            case TEST -> testMinutes;
        };
    }
}
