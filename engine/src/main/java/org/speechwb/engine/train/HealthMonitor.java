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
 * Checks start after {@code warnAfter} updates ({@code run.warnAfterUpdates}): the smoothed values
 * mean something only then, and a config may expect a chance-level plateau before it learns (the
 * small CPU preset sits at chance for its first 250–350 updates, docs/presets.md). Before that the
 * monitor still reports where the run stands ({@link #atChance()}) without calling it a failure.
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
    private int lastUpdate;

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

    /** The monitor of a pre-training config, as its trainer builds it. */
    public static HealthMonitor forConfig(org.speechwb.engine.config.PretrainConfig cfg) {
        if (cfg.isWav2Vec1()) {
            var mc = cfg.wav2vec1();
            boolean vq = mc.quantized();
            return new HealthMonitor(cfg.loss().negatives(), vq ? mc.vqGroups() : 0, vq ? mc.vqEntries() : 0,
                    cfg.run().warnAfterUpdates(),
                    mc.objective().equals(org.speechwb.engine.model.w2v1.Wav2Vec1Config.BINARY));
        }
        if (cfg.loss().clusterTargets()) {
            // K classes scored alike: the same level as K − 1 distractors; fixed targets cannot collapse
            return new HealthMonitor(cfg.loss().mfccClusters() - 1, 0, 0, cfg.run().warnAfterUpdates());
        }
        return new HealthMonitor(cfg.loss().negatives(), cfg.wav2vec2().codebookGroups(),
                cfg.wav2vec2().codebookEntries(), cfg.run().warnAfterUpdates());
    }

    public int warnAfter() {
        return warnAfter;
    }

    /** The last update observed (skipped ones included); 0 before any. */
    public int lastUpdate() {
        return lastUpdate;
    }

    /** Smoothed contrastive loss in bits; NaN before the first counted update. */
    public double contrastiveBits() {
        return ceNats / Math.log(2);
    }

    /** Smoothed accuracy (fraction); NaN before the first counted update. */
    public double accuracy() {
        return accuracy;
    }

    /** Smoothed code perplexity; NaN before the first counted update or without a quantizer. */
    public double codePerplexity() {
        return groups > 0 ? codePpl : Double.NaN;
    }

    public boolean hasQuantizer() {
        return groups > 0;
    }

    /** Smoothed loss and accuracy are where a model that scores every candidate alike would be. */
    public boolean atChance() {
        return !Double.isNaN(ceNats) && ceNats > 0.97 * chanceNats && accuracy < 2.0 / (negatives + 1);
    }

    /**
     * Smoothed loss clearly under chance (below 90 % of it): the run has left the plateau. The
     * chance-level warning is raised again only after this.
     */
    public boolean leftChance() {
        return !Double.isNaN(ceNats) && ceNats < 0.9 * chanceNats;
    }

    /** Few codes in use; said as a warning only from {@link #warnAfter()} on. */
    public boolean collapsed() {
        return groups > 0 && !Double.isNaN(codePpl) && codePpl < collapseThreshold();
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
        // a point stands for the updates since the previous one: our trainer reports every update
        // (gap 1), a fairseq log one averaged point per log interval, which must weigh as much
        int gap = lastUpdate == 0 ? 1 : Math.max(1, m.update() - lastUpdate);
        lastUpdate = Math.max(lastUpdate, m.update());
        if (m.skipped()) {
            return out;
        }
        double ce = m.contrastive() * Math.log(2);
        ceNats = smooth(ceNats, ce, gap);
        accuracy = smooth(accuracy, m.accuracy(), gap);
        codePpl = smooth(codePpl, m.codePerplexity(), gap);
        if (m.update() < warnAfter) {
            return out;
        }
        double chance = chanceNats;
        if (atChance() && !chanceRaised) {
            String check = groups > 0
                    ? String.format(Locale.ROOT, "the quantizer (code perplexity %.1f), the learning rate", codePpl)
                    : "the learning rate";
            out.add(new TrainingEvent.Warning(TrainingEvent.Warning.Kind.CHANCE_LEVEL, String.format(Locale.ROOT,
                    "contrastive loss still at chance level after %d updates (%.2f bits, chance %.2f; accuracy %.1f %%):"
                            + " the model has not started learning yet, and this config expects any plateau to end"
                            + " by update %d (run.warnAfterUpdates). Check %s and the data.",
                    m.update(), ceNats / Math.log(2), chance / Math.log(2), 100 * accuracy, warnAfter, check),
                    m.update()));
            chanceRaised = true;
        } else if (chanceRaised && leftChance()) {
            chanceRaised = false;
        }
        double threshold = collapseThreshold();
        if (collapsed() && !collapseRaised) {
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

    private static double smooth(double prev, double x, int gap) {
        double keep = Math.pow(SMOOTHING, gap);
        return Double.isNaN(prev) ? x : keep * prev + (1 - keep) * x;
    }
}
