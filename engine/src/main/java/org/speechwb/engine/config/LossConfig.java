package org.speechwb.engine.config;

/**
 * The pre-training objective: contrastive task with {@code negatives} distractors, plus
 * α·diversity + λ·feature penalty (fairseq {@code num_negatives}, {@code loss_weights}).
 */
public record LossConfig(int negatives, double diversityWeight, double penaltyWeight) {

    public LossConfig {
        if (negatives < 1) {
            throw new IllegalArgumentException("loss.negatives must be at least 1, got " + negatives);
        }
        if (diversityWeight < 0 || penaltyWeight < 0) {
            throw new IllegalArgumentException("loss weights cannot be negative (diversity " + diversityWeight
                    + ", penalty " + penaltyWeight + ")");
        }
    }

    public static LossConfig base() {
        return new LossConfig(100, 0.1, 10);
    }
}
