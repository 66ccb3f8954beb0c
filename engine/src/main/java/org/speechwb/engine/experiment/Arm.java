package org.speechwb.engine.experiment;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The experiment's arms, by the names {@code results.json} uses. The first two compare wav2vec
 * 2.0 pre-training with training the same network from scratch; the next two the same small
 * acoustic model on log-mel against frozen wav2vec 1.0 context vectors (the first paper's
 * comparison); then that model on a frozen layer of the pre-trained wav2vec 2.0; and the two
 * controls, the same representations at random initialisation.
 */
public enum Arm {
    SCRATCH("scratch", "wav2vec 2.0 from scratch"),
    WAV2VEC2("wav2vec2", "wav2vec 2.0 pre-trained + fine-tuned"),
    LOGMEL("logmel", "80 log-mel + conv AM"),
    WAV2VEC1("wav2vec1", "wav2vec 1.0 context + conv AM"),
    /**
     * The same acoustic model on one frozen representation of the pre-trained wav2vec 2.0: the
     * layer its linear probe reads letters from best on validation. Fine-tuning has to undo what
     * the upper layers learned for the contrastive task; this arm asks what the representation
     * the probes found is worth on its own.
     */
    W2V2_FEATURES("wav2vec2-features", "wav2vec 2.0 layer + conv AM"),
    /**
     * The control of {@link #W2V2_FEATURES}: the same representation of the same architecture at
     * random initialisation (seed 1, the probes' baseline). A conv front end computes useful
     * features untrained, so only the gap between the two is pre-training's.
     */
    W2V2_RANDOM_FEATURES("wav2vec2-random-features", "random wav2vec 2.0 layer + conv AM"),
    /**
     * The control of {@link #WAV2VEC1}: the context vectors of the same wav2vec 1.0 architecture
     * at random initialisation (seed 1), no pre-training at all.
     */
    WAV2VEC1_RANDOM("wav2vec1-random", "random wav2vec 1.0 context + conv AM");

    private final String key;
    private final String title;

    Arm(String key, String title) {
        this.key = key;
        this.title = title;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /** True for the arms that train the small acoustic model on features. */
    public boolean acoustic() {
        return this == LOGMEL || this == WAV2VEC1 || this == WAV2VEC1_RANDOM || probedLayer();
    }

    /** True for the arms on the wav2vec 2.0 representation the probes rank best (they need the probes). */
    public boolean probedLayer() {
        return this == W2V2_FEATURES || this == W2V2_RANDOM_FEATURES;
    }

    /** Every arm's key, comma-separated (messages). */
    public static String keys() {
        return Arrays.stream(values()).map(Arm::key).collect(Collectors.joining(", "));
    }

    public static Arm of(String key) {
        for (Arm a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arm '" + key + "'; expected one of " + keys());
    }
}
