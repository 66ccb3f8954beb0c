package org.speechwb.engine.experiment;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.HealthMonitor;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * How a pre-training that the arms build on ended, from its {@code metrics.jsonl}. A run can sit
 * at chance level (every candidate scored alike) far longer than its config expects, or for good:
 * on speechocean762 cut at its pauses one draw of the small preset never left it in 5,000 updates
 * while another left it at update 886 (docs/experiment.md, "Pauses"). Such a model is untrained, and
 * its arms would be reported as "pre-trained" without a word, so the report says how every run ended.
 *
 * @param run             the run folder, relative to the experiment folder
 * @param updates         the last update logged
 * @param contrastiveBits contrastive loss at the end, smoothed as {@link HealthMonitor} smooths it
 * @param accuracy        accuracy at the end (fraction), smoothed likewise
 * @param codePerplexity  code perplexity at the end, NaN without a quantizer (wav2vec 1.0)
 * @param chanceBits      the loss of a model that scores every candidate alike
 * @param leftChanceAt    the first update at which it had left chance level ({@link HealthMonitor#leftChance()}), -1 if none
 * @param atChance        the run ended at chance level ({@link HealthMonitor#atChance()})
 * @param plateauAllowance the updates its config allows for the plateau at the start ({@code run.warnAfterUpdates})
 */
public record PretrainingOutcome(String run, String family, long draw, int updates, double contrastiveBits,
                                 double accuracy, double codePerplexity, double chanceBits, int leftChanceAt,
                                 boolean atChance, int plateauAllowance) {

    /** What a researcher must know before trusting the arms built on this run; empty when it learned. */
    public Optional<String> warning() {
        if (!atChance) {
            return Optional.empty();
        }
        if (updates < plateauAllowance) {
            return Optional.of(String.format(Locale.ROOT, "%s ended at chance level after %d updates, fewer than the %d"
                    + " its config allows for the plateau at the start (run.warnAfterUpdates): too short to have started"
                    + " learning, so the arms built on it measure an untrained model.", run, updates, plateauAllowance));
        }
        return Optional.of(String.format(Locale.ROOT, "%s ended at chance level (contrastive loss %.2f bits, chance %.2f;"
                        + " accuracy %.1f %%): it never started learning, so the arms built on it measure an untrained"
                        + " model. Pre-train it again with another --pretrain-seed.", run, contrastiveBits, chanceBits,
                100 * accuracy));
    }

    /** The outcome of a run trained here; empty when it has logged no update. */
    static Optional<PretrainingOutcome> of(RunFolder run, String relative, String family, long draw)
            throws IOException, ConfigException {
        HealthMonitor health = HealthMonitor.forConfig(run.config());
        int left = -1;
        for (UpdateMetrics m : run.metrics()) {
            health.observe(m);
            if (left < 0 && health.leftChance()) {
                left = m.update();
            }
        }
        if (health.lastUpdate() == 0) {
            return Optional.empty();
        }
        return Optional.of(new PretrainingOutcome(relative, family, draw, health.lastUpdate(), health.contrastiveBits(),
                health.accuracy(), health.codePerplexity(), health.chanceBits(), left, health.atChance(),
                health.warnAfter()));
    }
}
