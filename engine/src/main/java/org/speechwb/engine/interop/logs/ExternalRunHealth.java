package org.speechwb.engine.interop.logs;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.speechwb.engine.train.HealthMonitor;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * The health checks our own runs get (contrastive loss stuck at chance level, codebook collapse),
 * applied to a run made elsewhere by replaying its logged points through the same
 * {@link HealthMonitor}, with the distractor count and codebook size read from the run's config
 * ({@link ExternalRunSettings}). {@code speechwb metrics} prints it; the workbench's Training
 * screen judges an external run with the same monitor, in its health line's words.
 *
 * @param text       the verdict, one paragraph
 * @param warning    a warning is in force
 * @param chanceBits log2(K + 1), for the reference line; NaN when the config is unknown
 */
public record ExternalRunHealth(String text, boolean warning, double chanceBits) {

    public static final String NO_CONFIG = "Health checks need the run's distractor count and codebook size: no config found"
            + " beside the logs (.hydra/config.yaml, config/*.yaml, config.json, or the config hydra_train.log prints).";

    /** @param settings what the run's config says; empty when none was found */
    public static ExternalRunHealth judge(Optional<ExternalRunSettings> settings, List<UpdateMetrics> updates) {
        if (settings.isEmpty()) {
            return new ExternalRunHealth(NO_CONFIG, false, Double.NaN);
        }
        if (settings.get().fineTuning()) {
            return new ExternalRunHealth("Fine-tuning run (" + shortName(settings.get().source())
                    + "): no chance level or codebook to check.", false, Double.NaN);
        }
        ExternalRunSettings s = settings.get();
        HealthMonitor m = s.monitor();
        updates.forEach(m::observe);
        String from = String.format(Locale.ROOT, "K = %d distractors, %d × %d codes, from %s", s.negatives(), s.groups(),
                s.entries(), shortName(s.source()));
        if (m.lastUpdate() == 0 || Double.isNaN(m.contrastiveBits())) {
            return new ExternalRunHealth("No training points yet: nothing to judge (" + from + ").", false,
                    m.chanceBits());
        }
        String where = String.format(Locale.ROOT, "%.2f bits at update %,d, chance log2(K+1) = %.2f",
                m.contrastiveBits(), m.lastUpdate(), m.chanceBits());
        boolean grace = m.lastUpdate() < m.warnAfter();
        StringBuilder b = new StringBuilder();
        boolean warn = false;
        if (m.atChance()) {
            if (grace) {
                b.append("At chance level so far (").append(where).append("): expected during the warm-up, checked from"
                        + " update ").append(String.format(Locale.ROOT, "%,d", m.warnAfter())).append('.');
            } else {
                b.append("Warning: contrastive loss still at chance level (").append(where)
                        .append("): the model has not started learning. Check the learning rate, the quantizer and the data.");
                warn = true;
            }
        } else {
            b.append("Loss below chance (").append(where).append(").");
        }
        if (m.collapsed() && !grace) {
            b.append(String.format(Locale.ROOT, " Warning: codebook collapse: code perplexity %.1f of %d possible"
                    + " (threshold %.1f). Raise the diversity weight or the start temperature, or lower the learning rate.",
                    m.codePerplexity(), s.groups() * s.entries(), m.collapseThreshold()));
            warn = true;
        } else if (Double.isFinite(m.codePerplexity())) {
            b.append(String.format(Locale.ROOT, " Code perplexity %.1f of %d.", m.codePerplexity(),
                    s.groups() * s.entries()));
        }
        if (!warn && !m.atChance()) {
            b.insert(0, "No warnings. ");
        }
        return new ExternalRunHealth(b.append(" (").append(from).append(')').toString(), warn, m.chanceBits());
    }

    /** The config's file name with its folder ({@code .hydra/config.yaml}, {@code config/pretrain.yaml}). */
    private static String shortName(java.nio.file.Path p) {
        java.nio.file.Path parent = p.getParent();
        return parent == null || parent.getFileName() == null ? p.getFileName().toString()
                : parent.getFileName() + "/" + p.getFileName();
    }
}
