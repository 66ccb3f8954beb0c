package org.speechwb.app.training;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;

import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.train.HealthMonitor;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * What the warnings panel says while it has no warning to list. The engine raises a warning only
 * once a config's grace period ({@code run.warnAfterUpdates}) is over, so an empty list alone
 * does not mean the run is healthy: before the first update nothing is known, and during the
 * grace period a run may sit at chance level (the small preset does for hundreds of updates).
 * The text is judged by the same {@link HealthMonitor} the trainer uses, fed the same metrics.
 */
final class HealthSummary {

    static final String NO_UPDATES = "No updates yet: nothing to judge.";

    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", NO_UPDATES);
    private final ObservableBooleanValue finetune;
    private final List<UpdateMetrics> metrics;
    private final List<?> finetuneMetrics;
    /**
     * Makes the monitor for the shown pre-training run, from its config (ours) or the settings its
     * config gave (an external run); null before they are read, and for fine-tuning runs.
     */
    private Supplier<HealthMonitor> monitors;
    private HealthMonitor monitor;

    /** Judges the lists the view model shows, as they change. */
    HealthSummary(ObservableBooleanValue finetune, List<UpdateMetrics> metrics, List<?> finetuneMetrics) {
        this.finetune = finetune;
        this.metrics = metrics;
        this.finetuneMetrics = finetuneMetrics;
    }

    ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /** The shown run's config (null: none, or not read yet). */
    void config(PretrainConfig cfg) {
        monitoredBy(cfg == null ? null : () -> HealthMonitor.forConfig(cfg));
    }

    /** Where the shown run's monitor comes from (null: nothing to judge with yet). */
    void monitoredBy(Supplier<HealthMonitor> source) {
        monitors = source;
        rebuild();
    }

    /** Replays the shown metrics through a fresh monitor: after the lists were replaced. */
    void rebuild() {
        monitor = monitors == null ? null : monitors.get();
        if (monitor != null) {
            metrics.forEach(monitor::observe);
        }
        refresh();
    }

    /** Updates appended to the shown metrics. */
    void added(List<? extends UpdateMetrics> added) {
        if (monitor != null) {
            added.forEach(monitor::observe);
        }
        refresh();
    }

    void refresh() {
        text.set(text(finetune.get(), monitor, finetuneMetrics.size()));
    }

    /**
     * @param monitor fed every pre-training update shown; null when the run's config is not read yet
     * @param finetuneUpdates fine-tuning updates shown (a fine-tuning run has no chance level)
     */
    static String text(boolean finetune, HealthMonitor monitor, int finetuneUpdates) {
        if (finetune) {
            return finetuneUpdates == 0 ? NO_UPDATES : "No warnings so far: numbers finite, data readable.";
        }
        if (monitor == null || monitor.lastUpdate() == 0) {
            return NO_UPDATES;
        }
        if (Double.isNaN(monitor.contrastiveBits())) {
            return "No counted update yet (every update so far was skipped): nothing to judge.";
        }
        String where = String.format(Locale.ROOT, "%.2f bits at update %d, chance %.2f",
                monitor.contrastiveBits(), monitor.lastUpdate(), monitor.chanceBits());
        boolean grace = monitor.lastUpdate() < monitor.warnAfter();
        if (monitor.atChance()) {
            return grace
                    ? "Not learning yet: the loss is at chance level so far (" + where + "). That is expected early"
                            + " on: this config allows a plateau until update " + monitor.warnAfter()
                            + " (run.warnAfterUpdates) before it warns."
                    : "Still at chance level (" + where + "): the model has not started learning.";
        }
        StringBuilder b = new StringBuilder("No warnings: loss below chance (").append(where).append(')');
        if (monitor.hasQuantizer()) {
            b.append(String.format(Locale.ROOT, monitor.collapsed()
                    ? ", few codes in use (code perplexity %.1f%s)" : ", codebook in use (code perplexity %.1f%s)",
                    monitor.codePerplexity(), monitor.collapsed() && grace
                            ? "; checked from update " + monitor.warnAfter() : ""));
        }
        return b.append(", numbers finite.").toString();
    }
}
