package org.speechwb.engine.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * The pre-training objective: contrastive task with {@code negatives} distractors, plus
 * α·diversity + λ·feature penalty (fairseq {@code num_negatives}, {@code loss_weights}).
 *
 * @param levelPool 0 (fairseq): distractors come from every other masked frame of the utterance;
 *                  n ≥ 2: only from the n masked frames closest to the target in level (the log
 *                  energy of each frame's receptive field). On real speech the quantizer learns to
 *                  code loudness, which uniform distractors reward; level-matched ones do not, so
 *                  the targets must tell frames of equal loudness apart (docs/experiment.md,
 *                  "Distractors matched in level": with 40 the codes still coded loudness at 90 %).
 */
public record LossConfig(int negatives, double diversityWeight, double penaltyWeight, int levelPool) {

    /** Injection key under which ConfigIO supplies null when a file leaves levelPool out (older configs). */
    public static final String ABSENT_LEVEL_POOL = "speechwb.absent.levelPool";

    public LossConfig {
        if (negatives < 1) {
            throw new IllegalArgumentException("loss.negatives must be at least 1, got " + negatives);
        }
        if (diversityWeight < 0 || penaltyWeight < 0) {
            throw new IllegalArgumentException("loss weights cannot be negative (diversity " + diversityWeight
                    + ", penalty " + penaltyWeight + ")");
        }
        if (levelPool < 0 || levelPool == 1) {
            throw new IllegalArgumentException("loss.levelPool must be 0 (distractors from every masked frame) or at"
                    + " least 2 (from that many masked frames nearest in level), got " + levelPool);
        }
    }

    public LossConfig(int negatives, double diversityWeight, double penaltyWeight) {
        this(negatives, diversityWeight, penaltyWeight, 0);
    }

    @JsonCreator
    static LossConfig fromJson(@JsonProperty("negatives") int negatives,
                               @JsonProperty("diversityWeight") double diversityWeight,
                               @JsonProperty("penaltyWeight") double penaltyWeight,
                               @JsonProperty("levelPool")
                               @JacksonInject(value = ABSENT_LEVEL_POOL, useInput = OptBoolean.TRUE) Integer levelPool) {
        return new LossConfig(negatives, diversityWeight, penaltyWeight, levelPool == null ? 0 : levelPool);
    }

    /** Whether distractors are drawn among frames of similar level rather than fairseq's way. */
    public boolean levelMatched() {
        return levelPool > 0;
    }

    public static LossConfig base() {
        return new LossConfig(100, 0.1, 10);
    }
}
