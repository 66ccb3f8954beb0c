package org.speechwb.engine.config;

import java.util.Locale;

/**
 * Adam with decoupled weight decay (fairseq's adam), a learning-rate schedule and global
 * gradient-norm clipping.
 *
 * @param schedule        "polynomial" (linear warm-up then polynomial decay, wav2vec 2.0),
 *                        "cosine" (warm-up then cosine, wav2vec 1.0) or "tri_stage" (fine-tuning)
 * @param warmupUpdates   updates of linear warm-up from 0 (polynomial, cosine) or from
 *                        lr·initScale (tri-stage uses {@code warmupUpdates} as its first stage)
 * @param holdUpdates     tri-stage only: updates at the peak
 * @param endLr           learning rate reached at the last update
 * @param power           polynomial decay power (1 = linear)
 * @param clipNorm        global gradient norm limit, 0 to disable
 * @param updateFreq      micro-batches accumulated per update (fairseq {@code update_freq})
 * @param decayAllParams  apply weight decay to every parameter, as fairseq does; false exempts
 *                        biases, norm gains and embeddings
 */
public record OptimizerConfig(double lr, double beta1, double beta2, double eps, double weightDecay,
                              boolean decayAllParams, String schedule, int warmupUpdates, int holdUpdates,
                              double endLr, double power, double clipNorm, int updateFreq) {

    public OptimizerConfig {
        schedule = schedule == null ? "polynomial" : schedule.toLowerCase(Locale.ROOT);
        if (!(lr > 0)) {
            throw new IllegalArgumentException("optimizer.lr must be positive, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("optimizer.eps must be positive, got " + eps);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("optimizer.weightDecay cannot be negative, got " + weightDecay);
        }
        if (!schedule.equals("polynomial") && !schedule.equals("cosine") && !schedule.equals("tri_stage")) {
            throw new IllegalArgumentException("optimizer.schedule must be polynomial, cosine or tri_stage, got " + schedule);
        }
        if (warmupUpdates < 0 || holdUpdates < 0) {
            throw new IllegalArgumentException("warm-up and hold updates cannot be negative");
        }
        if (endLr < 0 || endLr > lr) {
            throw new IllegalArgumentException("optimizer.endLr must be in [0, lr], got " + endLr);
        }
        if (!(power > 0)) {
            throw new IllegalArgumentException("optimizer.power must be positive, got " + power);
        }
        if (clipNorm < 0) {
            throw new IllegalArgumentException("optimizer.clipNorm cannot be negative (0 disables), got " + clipNorm);
        }
        if (updateFreq < 1) {
            throw new IllegalArgumentException("optimizer.updateFreq must be at least 1, got " + updateFreq);
        }
    }

    /** fairseq wav2vec2_base: peak 5e-4, 32k warm-up of 400k, linear decay to 0, no clipping. */
    public static OptimizerConfig base() {
        return new OptimizerConfig(5e-4, 0.9, 0.98, 1e-6, 0.01, true, "polynomial", 32_000, 0, 0, 1, 0, 1);
    }
}
