package org.speechwb.engine.experiment;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The experiment's four arms, by the names {@code results.json} uses. The first two compare
 * wav2vec 2.0 pre-training with training the same network from scratch; the last two the same
 * small acoustic model on log-mel against frozen wav2vec 1.0 context vectors (the first paper's
 * comparison).
 */
public enum Arm {
    SCRATCH("scratch", "wav2vec 2.0 from scratch"),
    WAV2VEC2("wav2vec2", "wav2vec 2.0 pre-trained + fine-tuned"),
    LOGMEL("logmel", "80 log-mel + conv AM"),
    WAV2VEC1("wav2vec1", "wav2vec 1.0 context + conv AM");

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

    /** True for the two arms that train the small acoustic model on features. */
    public boolean acoustic() {
        return this == LOGMEL || this == WAV2VEC1;
    }

    public static Arm of(String key) {
        for (Arm a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arm '" + key + "'; expected one of "
                + Arrays.stream(values()).map(Arm::key).collect(Collectors.joining(", ")));
    }
}
