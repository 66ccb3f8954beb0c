package org.speechwb.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches smoothed metrics for the two failure modes researchers report most, and says so
 * once per episode (with hysteresis, so a metric hovering at the threshold does not flood the
 * user):
 * <ul>
 * <li>chance level: contrastive loss within 3 % of its value when all K+1 candidates score
 *     alike (ln(K+1) for the softmax losses; ln(K+1) + K·ln((K+1)/K) for wav2vec 1.0's binary
 *     loss) and accuracy under 2/(K+1): the model is not learning, often a collapsed quantizer;</li>
 * <li>codebook collapse: code perplexity under max(2·G, 5 % of G·V): a handful of codes.</li>
 * </ul>
 * Checks start after {@code warnAfter} updates, when the smoothed values mean something.
 */
public final class HealthMonitor {

    private static final double SMOOTHING = 0.95;

    private final int negatives;
    private final int groups;
    private final int entries;
    private final int warnAfter;
    private final double chanceNats;
    private double ceNats = Double.NaN;
    private double accuracy = Double.NaN;
    private double codePpl = Double.NaN;
    private boolean chanceRaised;
    private boolean collapseRaised;

    public HealthMonitor(int negatives, int groups, int entries, int warnAfter) {
        this(negatives, groups, entries, warnAfter, false);
    }

    /** @param binaryLoss wav2vec 1.0's logistic loss, whose all-candidates-alike level is higher */
    public HealthMonitor(int negatives, int groups, int entries, int warnAfter, boolean binaryLoss) {
        this.negatives = negatives;
        this.groups = groups;
        this.entries = entries;
        this.warnAfter = warnAfter;
        this.chanceNats = Math.log(negatives + 1)
                + (binaryLoss ? negatives * Math.log((negatives + 1.0) / negatives) : 0);
    }

    public double chanceBits() {
        return chanceNats / Math.log(2);
    }

    public double collapseThreshold() {
        return Math.max(2.0 * groups, 0.05 * groups * entries);
    }

    /** Feeds one update; returns the warnings that start now. */
    public List<TrainingEvent.Warning> observe(UpdateMetrics m) {
        List<TrainingEvent.Warning> out = new ArrayList<>();
        if (m.skipped()) {
            return out;
        }
        double ce = m.contrastive() * Math.log(2);
        ceNats = smooth(ceNats, ce);
        accuracy = smooth(accuracy, m.accuracy());
        codePpl = smooth(codePpl, m.codePerplexity());
        if (m.update() < warnAfter) {
            return out;
        }
        double chance = chanceNats;
        boolean atChance = ceNats > 0.97 * chance && accuracy < 2.0 / (negatives + 1);
        if (atChance && !chanceRaised) {
            String check = groups > 0
                    ? String.format(Locale.ROOT, "the quantizer (code perplexity %.1f), the learning rate", codePpl)
                    : "the learning rate";
            out.add(new TrainingEvent.Warning(TrainingEvent.Warning.Kind.CHANCE_LEVEL, String.format(Locale.ROOT,
                    "contrastive loss is at chance level (%.2f bits, chance %.2f; accuracy %.1f %%): the model is not"
                            + " learning. Check %s and the data.",
                    ceNats / Math.log(2), chance / Math.log(2), 100 * accuracy, check), m.update()));
            chanceRaised = true;
        } else if (chanceRaised && ceNats < 0.9 * chance) {
            chanceRaised = false;
        }
        double threshold = collapseThreshold();
        if (codePpl < threshold && !collapseRaised) {
            out.add(new TrainingEvent.Warning(TrainingEvent.Warning.Kind.CODEBOOK_COLLAPSE, String.format(Locale.ROOT,
                    "codebook collapse: code perplexity %.1f of %d possible (threshold %.1f). Raise the diversity"
                            + " weight or the start temperature, or lower the learning rate.",
                    codePpl, groups * entries, threshold), m.update()));
            collapseRaised = true;
        } else if (collapseRaised && codePpl > 1.5 * threshold) {
            collapseRaised = false;
        }
        return out;
    }

    private static double smooth(double prev, double x) {
        return Double.isNaN(prev) ? x : SMOOTHING * prev + (1 - SMOOTHING) * x;
    }
}
