package org.speechwb.app.codebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import org.speechwb.app.charts.AppendOrRebuild;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.training.RunFocus;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.run.CodebookUsage;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * State of the Codebook screen for the run {@link RunFocus} points at: perplexities per update
 * (from the metrics), and code usage per window of updates (codebook.jsonl, then the live
 * per-update counts of {@link TrainingEvent.Updated}); for a run made elsewhere, the perplexities
 * its logs carry. Files are read in the background; live
 * counts that arrive meanwhile are held back and replayed after the file's windows, so nothing
 * is counted twice or lost.
 */
public final class CodebookViewModel {

    private final BackgroundTasks tasks;
    private final RunFocus focus;
    private final ObservableList<UpdateMetrics> metrics = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<CodebookUsageModel> usage = new ReadOnlyObjectWrapper<>(this, "usage");
    private final ReadOnlyIntegerWrapper usageRevision = new ReadOnlyIntegerWrapper(this, "usageRevision");
    private final ReadOnlyDoubleWrapper maxPerplexity = new ReadOnlyDoubleWrapper(this, "maxPerplexity", Double.NaN);
    private final ReadOnlyStringWrapper runTitle = new ReadOnlyStringWrapper(this, "runTitle", "No run yet");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyBooleanWrapper hasCodebook = new ReadOnlyBooleanWrapper(this, "hasCodebook", true);
    private final ListChangeListener<UpdateMetrics> liveMetrics = this::onLiveMetrics;

    private ActiveRun attached;
    private Runnable unsubscribe = () -> { };
    private Runnable unfollowExternal = () -> { };
    private int generation;
    /** Live counts received before the file's windows are in; null once they are. */
    private List<TrainingEvent.Updated> heldBack;

    public CodebookViewModel(BackgroundTasks tasks, RunFocus focus) {
        this.tasks = tasks;
        this.focus = focus;
        focus.focusProperty().addListener((o, a, b) -> show(b));
        show(focus.focus());
    }

    public ObservableList<UpdateMetrics> metrics() {
        return metrics;
    }

    /** Usage of the shown run; replaced when another run is shown, else updated in place. */
    public ReadOnlyObjectProperty<CodebookUsageModel> usageProperty() {
        return usage.getReadOnlyProperty();
    }

    /** Increases whenever the usage changed: views redraw on it. */
    public ReadOnlyIntegerProperty usageRevisionProperty() {
        return usageRevision.getReadOnlyProperty();
    }

    /** G·V, the largest possible perplexity; NaN until the config is read. */
    public ReadOnlyDoubleProperty maxPerplexityProperty() {
        return maxPerplexity.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty runTitleProperty() {
        return runTitle.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /**
     * False for a run that trains no codebook (wav2vec 1.0, MFCC cluster targets, a fine-tuning
     * run made elsewhere): the view then shows only the summary saying so, no empty charts.
     */
    public ReadOnlyBooleanProperty hasCodebookProperty() {
        return hasCodebook.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public RunFocus focus() {
        return focus;
    }

    private record Loaded(PretrainConfig config, List<CodebookUsage> windows, List<UpdateMetrics> metrics) {
    }

    private void show(RunFocus.Focus f) {
        detach();
        int gen = ++generation;
        metrics.clear();
        usage.set(null);
        maxPerplexity.set(Double.NaN);
        error.set("");
        summary.set("");
        hasCodebook.set(true);
        if (f == null) {
            runTitle.set("No run yet");
            bump();
            return;
        }
        runTitle.set(f.title());
        if (f.isExternal()) {
            follow(f.external());
            return;
        }
        boolean live = f.isLive();
        if (live) {
            attach(f.live());
        }
        RunFolder run = f.run();
        tasks.submit("Read code usage of " + run.id(), () -> new Loaded(run.config(), run.codebookUsage(),
                live ? List.of() : run.metrics()), l -> {
                if (gen != generation) {
                    return;
                }
                PretrainConfig cfg = l.config();
                boolean continuous = cfg.isWav2Vec1() && !cfg.wav2vec1().quantized();
                if (continuous || cfg.loss().clusterTargets()) {
                    // wav2vec 1.0 logs its perplexities as 0, drawn they would read as a collapsed codebook;
                    // cluster targets log the clusters' perplexity, which no codebook's maximum bounds
                    detach();
                    metrics.clear();
                    hasCodebook.set(false);
                    summary.set(continuous ? "This run has no quantizer: wav2vec 1.0 predicts continuous encoder frames,"
                            + " so there is no codebook to show. vq-wav2vec and wav2vec 2.0 runs have one."
                            : "This run has no quantizer: it predicts the MFCC cluster (of " + cfg.loss().mfccClusters()
                            + (cfg.loss().mfccCmvn() ? ", of MFCCs normalised per crop" : "")
                            + ") of each masked frame, fixed before training (loss.mfccClusters), so there is no codebook"
                            + " to show. The Inspect screen shows each frame's cluster.");
                    usageRevision.set(usageRevision.get() + 1);
                    return;
                }
                int g = cfg.isWav2Vec1() ? cfg.wav2vec1().vqGroups() : cfg.wav2vec2().codebookGroups();
                int v = cfg.isWav2Vec1() ? cfg.wav2vec1().vqEntries() : cfg.wav2vec2().codebookEntries();
                CodebookUsageModel m = new CodebookUsageModel(g, v);
                m.addWindows(l.windows());
                if (!live) {
                    metrics.setAll(l.metrics());
                }
                List<TrainingEvent.Updated> held = heldBack;
                heldBack = null;
                if (held != null) {
                    for (TrainingEvent.Updated u : held) {
                        m.addUpdate(u.metrics().update(), u.codeCounts());
                    }
                }
                maxPerplexity.set(g * v);
                usage.set(m);
                bump();
            }, e -> {
                if (gen == generation) {
                    heldBack = null;
                    error.set("Could not read the code usage of " + run.id() + ": " + ErrorMessages.describe(e));
                }
            });
    }

    /**
     * A run made elsewhere: its logged perplexities, followed as they grow. fairseq and
     * transformers log no per-entry counts, so there is no usage to draw.
     */
    private void follow(ExternalRun ext) {
        javafx.beans.value.ChangeListener<ExternalRunSettings> cfg = (o, a, b) -> applySettings(b);
        ext.settingsProperty().addListener(cfg);
        applySettings(ext.settingsProperty().get());
        Runnable stop = AppendOrRebuild.mirror(ext.metrics(), metrics, () -> { });
        unfollowExternal = () -> {
            stop.run();
            ext.settingsProperty().removeListener(cfg);
        };
        usageRevision.set(usageRevision.get() + 1);
    }

    private void applySettings(ExternalRunSettings s) {
        if (s != null && s.fineTuning()) {
            maxPerplexity.set(Double.NaN);
            hasCodebook.set(false);
            summary.set("A fine-tuning run made elsewhere: no codebook is trained, so there is nothing to show.");
            return;
        }
        maxPerplexity.set(s == null ? Double.NaN : s.groups() * s.entries());
        summary.set((s == null ? "Codebook size unknown (no config found beside the logs)"
                : String.format(Locale.ROOT, "%d groups × %d entries · max perplexity %d (from %s)", s.groups(),
                        s.entries(), s.groups() * s.entries(), s.source().getFileName()))
                + " · a run made elsewhere: its logs carry the perplexities but not the use of each entry, so there"
                + " is no usage map; import a checkpoint (Runs) and inspect its codes");
    }

    private void attach(ActiveRun run) {
        attached = run;
        heldBack = new ArrayList<>();
        metrics.setAll(run.metrics());
        run.metrics().addListener(liveMetrics);
        unsubscribe = run.subscribe(this::onEvents);
    }

    private void detach() {
        unfollowExternal.run();
        unfollowExternal = () -> { };
        if (attached != null) {
            attached.metrics().removeListener(liveMetrics);
            unsubscribe.run();
            unsubscribe = () -> { };
            attached = null;
        }
        heldBack = null;
    }

    private void onLiveMetrics(ListChangeListener.Change<? extends UpdateMetrics> c) {
        List<UpdateMetrics> added = new ArrayList<>();
        while (c.next()) {
            if (c.wasAdded()) {
                added.addAll(c.getAddedSubList());
            }
        }
        metrics.addAll(added);
    }

    private void onEvents(List<TrainingEvent> events) {
        CodebookUsageModel m = usage.get();
        boolean changed = false;
        for (TrainingEvent e : events) {
            // plain wav2vec 1.0 sends no counts
            if (e instanceof TrainingEvent.Updated u && !u.metrics().skipped() && u.codeCounts() != null
                    && u.codeCounts().length > 0) {
                if (m == null) {
                    if (heldBack != null) {
                        heldBack.add(u);
                    }
                } else {
                    m.addUpdate(u.metrics().update(), u.codeCounts());
                    changed = true;
                }
            }
        }
        if (changed) {
            bump();
        }
    }

    private void bump() {
        CodebookUsageModel m = usage.get();
        if (m != null && !m.isEmpty()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d groups × %d entries · max perplexity %d",
                    m.groups(), m.entries(), m.groups() * m.entries()));
            for (int g = 0; g < m.groups(); g++) {
                sb.append(String.format(Locale.ROOT, " · group %d: %d of %d entries used (%.1f %%)", g + 1,
                        m.usedEntries(g), m.entries(), 100 * m.usedShare(g)));
            }
            summary.set(sb.toString());
        } else if (m != null) {
            summary.set(String.format(Locale.ROOT, "%d groups × %d entries · no code usage recorded yet (the engine"
                    + " writes it every %d updates)", m.groups(), m.entries(), CodebookUsageModel.WINDOW));
        }
        usageRevision.set(usageRevision.get() + 1);
    }
}
