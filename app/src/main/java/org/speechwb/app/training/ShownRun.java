package org.speechwb.app.training;

import java.time.Instant;
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
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.FinetuneHistory;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * What the Training screen shows of one run, and how it is fed: the live run through its
 * {@link ActiveRun} (events arrive batched at ≤ 20 Hz on the FX thread), a reopened run from its
 * files (read in the background), a run made elsewhere from its followed logs. Charts feed from
 * {@link #metrics()}, which grows by one {@code addAll} per delivered batch and is replaced with
 * {@code setAll} when another run is shown. A CTC fine-tuning run fills {@link #finetuneMetrics()}
 * and {@link #validations()} instead, and {@link #finetuneProperty()} tells the view which set of
 * charts to show. The commands (start, pause, stop, fine-tune) are {@link TrainingViewModel}'s.
 */
public final class ShownRun {

    private final BackgroundTasks tasks;
    private final ReadOnlyStringWrapper error;
    /** Called when what decides whether Start applies may have changed (another run shown, its status read, its end). */
    private final Runnable changed;

    private final ObservableList<UpdateMetrics> metrics = FXCollections.observableArrayList();
    private final ObservableList<FinetuneMetrics> finetuneMetrics = FXCollections.observableArrayList();
    private final ObservableList<ValidationResult> validations = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper finetune = new ReadOnlyBooleanWrapper(this, "finetune");
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper(this, "stage", "");
    private final ReadOnlyIntegerWrapper freezeUpdates = new ReadOnlyIntegerWrapper(this, "freezeUpdates", -1);
    private final ReadOnlyStringWrapper validationSummary = new ReadOnlyStringWrapper(this, "validationSummary", "");
    private final ObservableList<WarningItem> warnings = FXCollections.observableArrayList();
    private final ObservableList<CheckpointItem> checkpoints = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyStringWrapper runTitle = new ReadOnlyStringWrapper(this, "runTitle", "No run yet");
    private final ReadOnlyStringWrapper stateMessage = new ReadOnlyStringWrapper(this, "stateMessage", "");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper(this, "details", "");
    private final ReadOnlyIntegerWrapper update = new ReadOnlyIntegerWrapper(this, "update");
    private final ReadOnlyIntegerWrapper maxUpdates = new ReadOnlyIntegerWrapper(this, "maxUpdates");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyDoubleWrapper chanceLevel = new ReadOnlyDoubleWrapper(this, "chanceLevel", Double.NaN);
    private final ReadOnlyDoubleWrapper clipNorm = new ReadOnlyDoubleWrapper(this, "clipNorm", Double.NaN);
    /** The shown pre-training run's family ("wav2vec2", "wav2vec1", "vq-wav2vec"); "" until its config is read. */
    private final ReadOnlyStringWrapper family = new ReadOnlyStringWrapper(this, "family", "");
    /** The shown run has a Gumbel quantizer, so a temperature worth plotting. */
    private final ReadOnlyBooleanWrapper gumbel = new ReadOnlyBooleanWrapper(this, "gumbel");
    private final ReadOnlyBooleanWrapper clusterTargets = new ReadOnlyBooleanWrapper(this, "clusterTargets");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
    private final HealthSummary health = new HealthSummary(finetune, metrics, finetuneMetrics);

    private ActiveRun attached;
    private Runnable unsubscribe = () -> { };
    /** Stops following the shown external run; a no-op while none is shown. */
    private Runnable unfollowExternal = () -> { };
    private final ListChangeListener<UpdateMetrics> liveMetrics = this::onLiveMetrics;
    private final ListChangeListener<TrainingEvent.Warning> liveWarnings = this::onLiveWarnings;
    private final ListChangeListener<FinetuneMetrics> liveFinetune = this::onLiveFinetune;
    private final ListChangeListener<ValidationResult> liveValidations = this::onLiveValidations;
    private final javafx.beans.value.ChangeListener<String> liveMessage = (o, a, b) -> stateMessage.set(b);
    /** Status of the shown reopened run, read with its metrics (so the FX thread never reads files). */
    private RunStatus reopenedStatus;
    private int loadGeneration;

    /**
     * @param error   the screen's error line (a run that cannot be read says so there)
     * @param changed called when the shown run or its status changes, so the commands can update
     */
    ShownRun(BackgroundTasks tasks, ReadOnlyStringWrapper error, Runnable changed) {
        this.tasks = tasks;
        this.error = error;
        this.changed = changed;
    }

    /** Every update of the shown run, appended batch by batch. */
    public ObservableList<UpdateMetrics> metrics() {
        return metrics;
    }

    /** Warnings of the shown run, oldest first; they stay until another run is shown. */
    public ObservableList<WarningItem> warnings() {
        return warnings;
    }

    public ObservableList<CheckpointItem> checkpoints() {
        return checkpoints;
    }

    /** Fine-tuning run shown: every update, appended batch by batch. */
    public ObservableList<FinetuneMetrics> finetuneMetrics() {
        return finetuneMetrics;
    }

    /** Fine-tuning run shown: every validation pass (greedy WER/CER), appended as they come. */
    public ObservableList<ValidationResult> validations() {
        return validations;
    }

    /** True when the shown run is a CTC fine-tuning run. */
    public ReadOnlyBooleanProperty finetuneProperty() {
        return finetune.getReadOnlyProperty();
    }

    /** "CTC head only" / "full fine-tuning" for the shown fine-tuning run; "" otherwise. */
    public ReadOnlyStringProperty stageProperty() {
        return stage.getReadOnlyProperty();
    }

    /** Updates the shown fine-tuning run trains only the CTC head for; -1 when unknown. */
    public ReadOnlyIntegerProperty freezeUpdatesProperty() {
        return freezeUpdates.getReadOnlyProperty();
    }

    /** "best WER … at update …" of the shown fine-tuning run. */
    public ReadOnlyStringProperty validationSummaryProperty() {
        return validationSummary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RunState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty runTitleProperty() {
        return runTitle.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateMessageProperty() {
        return stateMessage.getReadOnlyProperty();
    }

    /** Device, parameters, data: one line about the shown run. */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty updateProperty() {
        return update.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty maxUpdatesProperty() {
        return maxUpdates.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "update 12 / 20 · ETA 0:42 · 35.2 audio-s/s". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** log2(negatives + 1) bits for the shown run's config; NaN when unknown. */
    public ReadOnlyDoubleProperty chanceLevelProperty() {
        return chanceLevel.getReadOnlyProperty();
    }

    /** "wav2vec2", "wav2vec1" or "vq-wav2vec" for a pre-training run (fine-tuning runs are wav2vec 2.0); "" until known. */
    public ReadOnlyStringProperty familyProperty() {
        return family.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty gumbelProperty() {
        return gumbel.getReadOnlyProperty();
    }

    /** A wav2vec 2.0 pre-training run whose targets are MFCC clusters (no quantizer, no diversity term). */
    public ReadOnlyBooleanProperty clusterTargetsProperty() {
        return clusterTargets.getReadOnlyProperty();
    }

    /** The gradient clipping threshold of the shown run (NaN when off or unknown). */
    public ReadOnlyDoubleProperty clipNormProperty() {
        return clipNorm.getReadOnlyProperty();
    }

    /** True when the shown run is the active one (controls apply to it). */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** What the warnings panel says while it lists no warning: where the run stands. */
    public ReadOnlyStringProperty healthSummaryProperty() {
        return health.textProperty();
    }

    /** The live run on screen, or null (a reopened or external run, or none). */
    ActiveRun attached() {
        return attached;
    }

    /** Status of the shown reopened run once read; null for a live, external or unread one. */
    RunStatus reopenedStatus() {
        return reopenedStatus;
    }

    /** Asks the live run on screen to stop after its current update (it writes a checkpoint first). */
    void requestStop() {
        if (attached != null) {
            stateMessage.set("stopping after the current update…");
            attached.requestStop();
        }
    }

    public void dismissWarnings() {
        warnings.clear();
    }

    // ---- showing a run --------------------------------------------------------------------

    /** Shows {@code f} (null: no run): clears what the last run left and feeds from the new one. */
    void show(RunFocus.Focus f) {
        detach();
        loadGeneration++;
        reopenedStatus = null;
        metrics.clear();
        finetuneMetrics.clear();
        validations.clear();
        stage.set("");
        validationSummary.set("");
        freezeUpdates.set(-1);
        warnings.clear();
        checkpoints.clear();
        chanceLevel.set(Double.NaN);
        family.set("");
        gumbel.set(false);
        clusterTargets.set(false);
        clipNorm.set(Double.NaN);
        error.set("");
        health.config(null);
        // the next run's own figures replace these; until then (and for an external run) none are shown
        maxUpdates.set(0);
        if (f == null) {
            live.set(false);
            finetune.set(false);
            state.set(null);
            runTitle.set("No run yet");
            stateMessage.set("");
            details.set("");
            update.set(0);
            maxUpdates.set(0);
            refreshProgress();
            return;
        }
        runTitle.set(f.title());
        if (f.isExternal()) {
            follow(f.external());
            changed.run();
            return;
        }
        loadConfigAndCheckpoints(f.run(), loadGeneration);
        if (f.isLive()) {
            finetune.set(f.live().isFinetune());
            attach(f.live());
        } else {
            live.set(false);
            loadFromFiles(f.run(), loadGeneration);
        }
        changed.run();
    }

    private void attach(ActiveRun run) {
        attached = run;
        live.set(true);
        state.bind(run.stateProperty());
        stateMessage.set(run.messageProperty().get());
        run.messageProperty().addListener(liveMessage);
        // read the list and subscribe in the same FX turn: every update is seen exactly once
        metrics.setAll(run.metrics());
        run.metrics().addListener(liveMetrics);
        finetuneMetrics.setAll(run.finetuneMetrics());
        run.finetuneMetrics().addListener(liveFinetune);
        validations.setAll(run.validations());
        run.validations().addListener(liveValidations);
        refreshFinetuneSummary();
        health.rebuild();
        for (TrainingEvent.Warning w : run.warnings()) {
            warnings.add(new WarningItem(w.kind(), w.message(), w.update(), Instant.now()));
        }
        run.warnings().addListener(liveWarnings);
        unsubscribe = run.subscribe(this::onEvents);
        // the trainer thread returns after the last state change: only then may a new run start
        run.completion().whenComplete((r, e) -> tasks.runOnUi(() -> {
            changed.run();
            refreshProgress();
        }));
        TrainingEvent.Started s = run.startedProperty().get();
        if (s != null) {
            onStarted(s);
        } else {
            details.set("setting up: building the model and reserving memory…");
        }
        refreshProgress();
    }

    /**
     * Shows a run made elsewhere, read-only: its lists are mirrored as they grow, its config's
     * numbers give the chance line and the health text, and the external health verdict is the
     * warnings list.
     */
    private void follow(ExternalRun ext) {
        live.set(false);
        state.set(null);
        String about = "read-only: a run made elsewhere, followed from " + ext.source() + " every "
                + ExternalRun.POLL.toSeconds() + " s";
        Runnable changed = () -> {
            health.rebuild();
            refreshFinetuneSummary();
            refreshProgress();
        };
        javafx.beans.value.ChangeListener<String> status = (o, a, b) -> stateMessage.set(b);
        javafx.beans.value.ChangeListener<String> problems = (o, a, b) -> details.set(b.isEmpty() ? about
                : about + ". " + b);
        javafx.beans.value.ChangeListener<Boolean> ft = (o, a, b) -> finetune.set(b);
        javafx.beans.value.ChangeListener<ExternalRunSettings> cfg = (o, a, b) -> applySettings(b);
        javafx.beans.value.ChangeListener<ExternalRunHealth> verdict = (o, a, b) -> showVerdict(b);
        stateMessage.set(ext.statusProperty().get());
        problems.changed(null, null, ext.problemsProperty().get());
        finetune.set(ext.fineTuningProperty().get());
        applySettings(ext.settingsProperty().get());
        showVerdict(ext.healthProperty().get());
        ext.statusProperty().addListener(status);
        ext.problemsProperty().addListener(problems);
        ext.fineTuningProperty().addListener(ft);
        ext.settingsProperty().addListener(cfg);
        ext.healthProperty().addListener(verdict);
        List<Runnable> stops = List.of(AppendOrRebuild.mirror(ext.metrics(), metrics, changed),
                AppendOrRebuild.mirror(ext.finetuneMetrics(), finetuneMetrics, changed),
                AppendOrRebuild.mirror(ext.validations(), validations, changed));
        changed.run();
        unfollowExternal = () -> {
            stops.forEach(Runnable::run);
            ext.statusProperty().removeListener(status);
            ext.problemsProperty().removeListener(problems);
            ext.fineTuningProperty().removeListener(ft);
            ext.settingsProperty().removeListener(cfg);
            ext.healthProperty().removeListener(verdict);
        };
    }

    private void applySettings(ExternalRunSettings s) {
        boolean pretraining = s != null && !s.fineTuning();
        chanceLevel.set(pretraining ? Math.log(s.negatives() + 1) / Math.log(2) : Double.NaN);
        family.set(PretrainConfig.WAV2VEC2);
        gumbel.set(pretraining);
        health.monitoredBy(pretraining ? s::monitor : null);
    }

    private void showVerdict(ExternalRunHealth h) {
        warnings.clear();
        if (h != null && h.warning()) {
            warnings.add(new WarningItem(LogWarnings.kindOf(h.text()), h.text(), update.get(), Instant.now()));
        }
    }

    private void detach() {
        unfollowExternal.run();
        unfollowExternal = () -> { };
        if (attached != null) {
            state.unbind();
            attached.metrics().removeListener(liveMetrics);
            attached.finetuneMetrics().removeListener(liveFinetune);
            attached.validations().removeListener(liveValidations);
            attached.warnings().removeListener(liveWarnings);
            attached.messageProperty().removeListener(liveMessage);
            unsubscribe.run();
            unsubscribe = () -> { };
            attached = null;
        }
    }

    /** Everything a change of a live list added (they only grow; a batch may arrive in several parts). */
    private static <T> List<T> added(ListChangeListener.Change<? extends T> c) {
        List<T> added = new ArrayList<>();
        while (c.next()) {
            if (c.wasAdded()) {
                added.addAll(c.getAddedSubList());
            }
        }
        return added;
    }

    private void onLiveMetrics(ListChangeListener.Change<? extends UpdateMetrics> c) {
        List<UpdateMetrics> added = added(c);
        if (!added.isEmpty()) {
            metrics.addAll(added);
            health.added(added);
            refreshProgress();
        }
    }

    private void onLiveFinetune(ListChangeListener.Change<? extends FinetuneMetrics> c) {
        List<FinetuneMetrics> added = added(c);
        if (!added.isEmpty()) {
            finetuneMetrics.addAll(added);
            refreshFinetuneSummary();
            health.refresh();
            refreshProgress();
        }
    }

    private void onLiveValidations(ListChangeListener.Change<? extends ValidationResult> c) {
        List<ValidationResult> added = added(c);
        if (!added.isEmpty()) {
            validations.addAll(added);
            refreshFinetuneSummary();
        }
    }

    /** " · CER x %", or nothing where the log has no CER (an external run may not). */
    private static String cerText(ValidationResult v) {
        return Double.isFinite(v.cer()) ? String.format(Locale.ROOT, " · CER %.1f %%", 100 * v.cer()) : "";
    }

    private void refreshFinetuneSummary() {
        if (!finetuneMetrics.isEmpty()) {
            FinetuneMetrics last = finetuneMetrics.get(finetuneMetrics.size() - 1);
            // an external run's logs do not say what was frozen
            stage.set(last.stage().isEmpty() ? "" : "head".equals(last.stage()) ? "stage: CTC head only (Transformer frozen)"
                    : "stage: full fine-tuning (" + last.stage() + "; feature encoder frozen)");
        }
        ValidationResult best = new FinetuneHistory(List.of(), validations).best();
        if (best != null) {
            ValidationResult last = validations.get(validations.size() - 1);
            // "best" is the checkpoint the run kept, chosen by its rule (WER and CER), so both figures are given
            validationSummary.set(String.format(Locale.ROOT, "validation WER %.1f %%%s at update %d · best checkpoint:"
                    + " update %d, WER %.1f %%%s", 100 * last.wer(), cerText(last), last.update(), best.update(),
                    100 * best.wer(), cerText(best)));
        } else {
            validationSummary.set("");
        }
    }

    private void onLiveWarnings(ListChangeListener.Change<? extends TrainingEvent.Warning> c) {
        while (c.next()) {
            for (TrainingEvent.Warning w : c.getAddedSubList()) {
                warnings.add(new WarningItem(w.kind(), w.message(), w.update(), Instant.now()));
            }
        }
    }

    private void onEvents(List<TrainingEvent> events) {
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.CheckpointSaved c) {
                checkpoints.removeIf(x -> x.update() == c.update());
                checkpoints.add(new CheckpointItem(c.update(), c.file()));
            } else if (e instanceof TrainingEvent.Started s) {
                onStarted(s);
            }
        }
        refreshProgress();
    }

    private void onStarted(TrainingEvent.Started s) {
        maxUpdates.set(s.maxUpdates());
        String data = attached != null && !attached.datasetDescription().isBlank()
                ? " · " + attached.datasetDescription() : "";
        details.set(String.format(Locale.ROOT, "%s · %,d parameters%s%s", s.device(), s.parameters(),
                s.resumedFrom() > 0 ? " · resumed from update " + s.resumedFrom() : "", data));
        refreshProgress();
    }

    private void loadFromFiles(RunFolder run, int gen) {
        state.set(null);
        stateMessage.set("reading " + run.id() + "…");
        details.set("");
        tasks.submit("Read metrics of " + run.id(), () -> RunFiles.read(run),
            l -> {
                if (gen != loadGeneration) {
                    return;
                }
                finetune.set(l.finetune() != null);
                metrics.setAll(l.metrics());
                if (l.finetune() != null) {
                    finetuneMetrics.setAll(l.finetune().metrics());
                    validations.setAll(l.finetune().validations());
                    refreshFinetuneSummary();
                }
                warnings.setAll(l.warnings());
                health.rebuild();
                RunStatus st = l.status().orElse(null);
                reopenedStatus = st;
                if (st != null) {
                    state.set(st.state());
                    stateMessage.set(st.message());
                    maxUpdates.set(st.maxUpdates());
                } else {
                    stateMessage.set("no status file: the run never started");
                }
                details.set("reopened from " + run.dir());
                refreshProgress();
                changed.run();
            }, e -> {
                if (gen == loadGeneration) {
                    error.set("Could not read run " + run.id() + ": " + ErrorMessages.describe(e));
                }
            });
    }

    private void loadConfigAndCheckpoints(RunFolder run, int gen) {
        tasks.submit("Read config of " + run.id(), () -> RunFiles.readSetup(run), r -> {
            if (gen != loadGeneration) {
                return;
            }
            if (r.config() instanceof FinetuneConfig ft) {
                family.set(PretrainConfig.WAV2VEC2);
                clipNorm.set(ft.optimizer().clipNorm() > 0 ? ft.optimizer().clipNorm() : Double.NaN);
                freezeUpdates.set(ft.freezeUpdates());
                if (maxUpdates.get() == 0) {
                    maxUpdates.set(ft.run().maxUpdates());
                }
            } else {
                PretrainConfig cfg = (PretrainConfig) r.config();
                health.config(cfg);
                clusterTargets.set(cfg.loss().clusterTargets());
                chanceLevel.set(RunFiles.chanceBits(cfg));
                family.set(cfg.family());
                gumbel.set(cfg.quantizer() != null);
                clipNorm.set(cfg.optimizer().clipNorm() > 0 ? cfg.optimizer().clipNorm() : Double.NaN);
                if (maxUpdates.get() == 0) {
                    maxUpdates.set(cfg.run().maxUpdates());
                }
            }
            for (CheckpointItem c : r.checkpoints()) {
                if (checkpoints.stream().noneMatch(x -> x.update() == c.update())) {
                    checkpoints.add(c);
                }
            }
            checkpoints.sort(java.util.Comparator.comparingInt(CheckpointItem::update));
            refreshProgress();
        }, e -> {
            if (gen == loadGeneration) {
                error.set("Could not read the config of " + run.id() + ": " + ErrorMessages.describe(e));
            }
        });
    }

    // ---- derived values -------------------------------------------------------------------

    private void refreshProgress() {
        boolean ft = finetune.get();
        int n = ft ? (finetuneMetrics.isEmpty() ? 0 : finetuneMetrics.get(finetuneMetrics.size() - 1).update())
                : (metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).update());
        update.set(n);
        int max = maxUpdates.get();
        progress.set(max > 0 ? Math.min(1, (double) n / max) : 0);
        boolean running = live.get() && state.get() != null && !state.get().terminal();
        progressText.set(ft ? ProgressLine.ofFinetuning(finetuneMetrics, max, running)
                : ProgressLine.of(metrics, max, running));
    }
}
