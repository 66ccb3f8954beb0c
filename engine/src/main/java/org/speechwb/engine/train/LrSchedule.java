package org.speechwb.engine.train;

import org.speechwb.engine.config.OptimizerConfig;

/**
 * Learning rate as a function of the update number (0-based: the rate used for update u+1),
 * as fairseq's schedulers:
 * <ul>
 * <li>polynomial_decay: linear warm-up from 0 to lr over W updates, then
 *     {@code (lr − end)·(1 − (u − W)/(N − W))^power + end};</li>
 * <li>cosine: linear warm-up, then half a cosine from lr to end over the remaining updates;</li>
 * <li>tri_stage: warm-up from lr/100 over W, hold at lr for H, then exponential decay to end
 *     (fairseq's defaults: init and final scale 0.01; end = lr·0.05 when endLr is 0).</li>
 * </ul>
 */
public final class LrSchedule {

    private final OptimizerConfig cfg;
    private final int totalUpdates;

    public LrSchedule(OptimizerConfig cfg, int totalUpdates) {
        this.cfg = cfg;
        this.totalUpdates = totalUpdates;
    }

    public double at(long update) {
        double peak = cfg.lr();
        int warm = cfg.warmupUpdates();
        return switch (cfg.schedule()) {
            case "cosine" -> {
                if (warm > 0 && update < warm) {
                    yield peak * (update + 1) / warm;
                }
                double span = Math.max(1, totalUpdates - warm);
                double progress = Math.min(1.0, (update - warm) / span);
                yield cfg.endLr() + 0.5 * (peak - cfg.endLr()) * (1 + Math.cos(Math.PI * progress));
            }
            case "tri_stage" -> {
                double init = peak * 0.01;
                double fin = cfg.endLr() > 0 ? cfg.endLr() : peak * 0.05;
                int hold = cfg.holdUpdates();
                if (update < warm) {
                    yield init + (peak - init) * update / Math.max(1, warm);
                }
                if (update < warm + hold) {
                    yield peak;
                }
                double decaySteps = Math.max(1, totalUpdates - warm - hold);
                double progress = Math.min(1.0, (update - warm - hold) / decaySteps);
                yield peak * Math.exp(Math.log(fin / peak) * progress);
            }
            default -> {
                if (warm > 0 && update < warm) {
                    yield peak * (update + 1) / warm;
                }
                double span = Math.max(1, totalUpdates - warm);
                double remaining = Math.max(0.0, 1.0 - (update - warm) / span);
                yield (peak - cfg.endLr()) * Math.pow(remaining, cfg.power()) + cfg.endLr();
            }
        };
    }
}
