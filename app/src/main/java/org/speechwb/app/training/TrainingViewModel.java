package org.speechwb.app.training;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.charts.AppendOrRebuild;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.app.shell.FinetuneHistory;
import org.speechwb.app.shell.Resumption;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * State and commands of the Training screen. Shows the run {@link RunFocus} points at: the live
 * run through its {@link ActiveRun} (events arrive batched at ≤ 20 Hz on the FX thread), a
 * reopened run from its files (read in the background). Views bind to the properties and feed
 * their charts from {@link #metrics()}, which grows by one {@code addAll} per delivered batch and
 * is replaced with {@code setAll} when another run is shown. A CTC fine-tuning run fills
 * {@link #finetuneMetrics()} and {@link #validations()} instead, and {@link #finetuneProperty()}
 * tells the view which set of charts to show.
 */
public final class TrainingViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingViewModel.class);

    /** A warning as the list shows it; {@code update} is -1 when only the log knows it. */
    public record WarningItem(TrainingEvent.Warning.Kind kind, String message, int update, Instant time) {
        @Override
        public String toString() {
            return (update >= 0 ? "update " + update + " · " : "") + message;
        }
    }

    /** A checkpoint as the list shows it. */
    public record CheckpointItem(int update, Path file) {
        @Override
        public String toString() {
            return "update " + update + " · " + file.getFileName();
        }
    }

    /** Where a fine-tuning run starts from: a pre-training checkpoint, or random weights when null. */
    public record PretrainedChoice(Path checkpoint, String label) {
        public static final PretrainedChoice FROM_SCRATCH = new PretrainedChoice(null, "from scratch (random init)");

        @Override
        public String toString() {
            return label;
        }
    }

    private final WorkbenchSession session;
    private final BackgroundTasks tasks;
    private final ScreenContext ctx;
    private final RunFocus focus;

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
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
    private final ReadOnlyBooleanWrapper starting = new ReadOnlyBooleanWrapper(this, "starting");
    private final ReadOnlyStringWrapper startLabel = new ReadOnlyStringWrapper(this, "startLabel", "Start training");
    private final ReadOnlyStringWrapper startBlocked = new ReadOnlyStringWrapper(this, "startBlocked", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    /** The "CTC fine-tuning from … preset … Start fine-tuning" row. */
    private final FinetuneLauncher finetuning;
    private final HandoffViewModel finetuneHandoff;
    private final HealthSummary health = new HealthSummary(finetune, metrics, finetuneMetrics);
    private final BooleanBinding canStart;
    private final BooleanBinding canPause;
    private final BooleanBinding canResume;
    private final BooleanBinding canStop;

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

    /** The workbench's one chart smoothing (also Codebook and Runs), remembered between launches. */
    public javafx.beans.property.DoubleProperty chartSmoothingProperty() {
        return ctx.preferences().chartSmoothingProperty();
    }

    public TrainingViewModel(ScreenContext ctx, RunFocus focus) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.tasks = ctx.tasks();
        this.focus = focus;
        canPause = state.isEqualTo(RunState.RUNNING).and(live);
        canResume = state.isEqualTo(RunState.PAUSED).and(live);
        canStop = live.and(state.isEqualTo(RunState.RUNNING).or(state.isEqualTo(RunState.PAUSED))
                .or(state.isEqualTo(RunState.CREATED)));
        canStart = startBlocked.isEmpty().and(starting.not());
        finetuning = new FinetuneLauncher(ctx, starting, error);
        finetuneHandoff = new HandoffViewModel(ctx, finetuning.handoffJob());
        finetuning.finetuneConfigProperty().addListener((o, a, b) -> updateStartability());
        focus.focusProperty().addListener((o, a, b) -> show(b));
        session.configProperty().addListener((o, a, b) -> updateStartability());
        session.splitsProperty().addListener((o, a, b) -> updateStartability());
        session.datasetProperty().addListener((o, a, b) -> updateStartability());
        session.activeRunProperty().addListener((o, a, b) -> updateStartability());
        state.addListener((o, a, b) -> updateStartability());
        show(focus.focus());
        updateStartability();
    }

    // ---- what the view binds to -----------------------------------------------------------

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

    /** "from scratch" and the newest checkpoint of every pre-training run. */
    public ObservableList<PretrainedChoice> pretrainedChoices() {
        return finetuning.pretrainedChoices();
    }

    public javafx.beans.property.ObjectProperty<PretrainedChoice> pretrainedProperty() {
        return finetuning.pretrainedProperty();
    }

    /** A fine-tuning preset name or a YAML file (relative paths resolve against the workbench home). */
    public javafx.beans.property.StringProperty finetuneConfigProperty() {
        return finetuning.finetuneConfigProperty();
    }

    /** Why fine-tuning cannot start now ("" when it can). */
    public ReadOnlyStringProperty finetuneBlockedProperty() {
        return finetuning.blockedProperty();
    }

    public BooleanBinding canFinetuneProperty() {
        return finetuning.canStartProperty();
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

    /** The gradient clipping threshold of the shown run (NaN when off or unknown). */
    public ReadOnlyDoubleProperty clipNormProperty() {
        return clipNorm.getReadOnlyProperty();
    }

    /** True when the shown run is the active one (controls apply to it). */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty startLabelProperty() {
        return startLabel.getReadOnlyProperty();
    }

    /** Why Start is disabled ("" when it is not). */
    public ReadOnlyStringProperty startBlockedProperty() {
        return startBlocked.getReadOnlyProperty();
    }

    /** What the warnings panel says while it lists no warning: where the run stands. */
    public ReadOnlyStringProperty healthSummaryProperty() {
        return health.textProperty();
    }

    /** A readable message about the last failed command; "" when none. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public BooleanBinding canStartProperty() {
        return canStart;
    }

    public BooleanBinding canPauseProperty() {
        return canPause;
    }

    public BooleanBinding canResumeProperty() {
        return canResume;
    }

    public BooleanBinding canStopProperty() {
        return canStop;
    }

    public RunFocus focus() {
        return focus;
    }

    // ---- commands -------------------------------------------------------------------------

    /**
     * Resumes the shown run when it was stopped before its last update, otherwise starts a new
     * run of the session's config on the session's dataset. The run folder is created off the
     * FX thread; the trainer then runs on its own thread (see {@link WorkbenchSession#startTraining}).
     */
    public void start() {
        if (!canStart.get()) {
            return;
        }
        error.set("");
        List<Utterance> utterances = session.trainingUtterances();
        String description = describeData(session.dataset(), utterances);
        RunFocus.Focus f = focus.focus();
        starting.set(true);
        if (resumable(f, reopenedStatus)) {
            RunFolder run = f.run();
            if (finetune.get()) {
                // a fine-tuning run goes on with the utterances it recorded, not the session's split
                tasks.submit("Read the data of " + run.id(), () -> Resumption.prepare(run), r -> {
                    try {
                        r.start(session);
                    } catch (RuntimeException e) {
                        error.set("Could not resume: " + ErrorMessages.describe(e));
                    } finally {
                        starting.set(false);
                    }
                }, e -> {
                    starting.set(false);
                    error.set("Could not resume " + run.id() + ": " + ErrorMessages.describe(e));
                });
                return;
            }
            launch(run, utterances, description);
            return;
        }
        PretrainConfig cfg = session.configProperty().get();
        Dataset ds = session.dataset();
        String name = session.configNameProperty().get();
        String split = session.splitChoiceProperty().get().spec();
        Path runsRoot = ctx.paths().runs();
        Path home = ctx.paths().home();
        tasks.submit("Create run folder", () -> {
            Backends.Info device = Backends.describe();
            double hours = utterances.stream().mapToDouble(Utterance::seconds).sum() / 3600;
            Provenance prov = new Provenance(ds.root().toString(), ds.format().name(), ds.fingerprint(), split,
                    utterances.size(), hours, Provenance.gitCommit(home), Provenance.ENGINE_VERSION,
                    device.backend() + " / " + device.blas(), device.device(), System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), Provenance.now(),
                    List.of("workbench"));
            return new RunStore(runsRoot).create(name, cfg, prov);
        }, run -> launch(run, utterances, description), e -> {
            starting.set(false);
            error.set("Could not create the run folder: " + ErrorMessages.describe(e));
        });
    }

    private void launch(RunFolder run, List<Utterance> utterances, String description) {
        try {
            session.startTraining(run, utterances, null, description);
        } catch (RuntimeException e) {
            LOG.warn("cannot start training", e);
            error.set("Could not start training: " + ErrorMessages.describe(e));
        } finally {
            starting.set(false);
        }
    }

    /** "Hand off…" beside "Start fine-tuning": the same choice written for fairseq or transformers. */
    public HandoffViewModel finetuneHandoff() {
        return finetuneHandoff;
    }

    /** Starts CTC fine-tuning from the chosen checkpoint with the chosen preset (see {@link FinetuneLauncher}). */
    public void startFinetune() {
        finetuning.start();
    }

    /** Lists "from scratch" and the newest checkpoint of every pre-training run (background). */
    public void refreshPretrainedChoices() {
        finetuning.refreshChoices();
    }

    public void pause() {
        if (attached != null) {
            attached.requestPause();
        }
    }

    public void resume() {
        if (attached != null) {
            attached.requestResume();
        }
    }

    /** Asks the trainer to stop after the current update; it writes a checkpoint first. */
    public void stop() {
        if (attached != null) {
            stateMessage.set("stopping after the current update…");
            attached.requestStop();
        }
    }

    public void dismissWarnings() {
        warnings.clear();
    }

    // ---- showing a run --------------------------------------------------------------------

    private void show(RunFocus.Focus f) {
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
            updateStartability();
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
        updateStartability();
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
            updateStartability();
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

    private void onLiveMetrics(ListChangeListener.Change<? extends UpdateMetrics> c) {
        List<UpdateMetrics> added = new ArrayList<>();
        while (c.next()) {
            if (c.wasAdded()) {
                added.addAll(c.getAddedSubList());
            }
        }
        if (!added.isEmpty()) {
            metrics.addAll(added);
            health.added(added);
            refreshProgress();
        }
    }

    private void onLiveFinetune(ListChangeListener.Change<? extends FinetuneMetrics> c) {
        List<FinetuneMetrics> added = new ArrayList<>();
        while (c.next()) {
            if (c.wasAdded()) {
                added.addAll(c.getAddedSubList());
            }
        }
        if (!added.isEmpty()) {
            finetuneMetrics.addAll(added);
            refreshFinetuneSummary();
            health.refresh();
            refreshProgress();
        }
    }

    private void onLiveValidations(ListChangeListener.Change<? extends ValidationResult> c) {
        List<ValidationResult> added = new ArrayList<>();
        while (c.next()) {
            if (c.wasAdded()) {
                added.addAll(c.getAddedSubList());
            }
        }
        if (!added.isEmpty()) {
            validations.addAll(added);
            refreshFinetuneSummary();
        }
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
            // an external run may log no CER
            String cer = Double.isFinite(last.cer()) ? String.format(Locale.ROOT, " · CER %.1f %%", 100 * last.cer()) : "";
            validationSummary.set(String.format(Locale.ROOT, "validation WER %.1f %%%s at update %d · best"
                    + " WER %.1f %% at update %d", 100 * last.wer(), cer, last.update(), 100 * best.wer(), best.update()));
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

    private record Loaded(List<UpdateMetrics> metrics, FinetuneHistory finetune, Optional<RunStatus> status,
                          List<WarningItem> warnings) {
    }

    private static Loaded load(RunFolder run) throws IOException {
        if (run.isFinetune()) {
            return new Loaded(List.of(), FinetuneHistory.read(run), run.status(), LogWarnings.read(run));
        }
        return new Loaded(run.metrics(), null, run.status(), LogWarnings.read(run));
    }

    private void loadFromFiles(RunFolder run, int gen) {
        state.set(null);
        stateMessage.set("reading " + run.id() + "…");
        details.set("");
        tasks.submit("Read metrics of " + run.id(), () -> load(run),
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
                updateStartability();
            }, e -> {
                if (gen == loadGeneration) {
                    error.set("Could not read run " + run.id() + ": " + ErrorMessages.describe(e));
                }
            });
    }

    private void loadConfigAndCheckpoints(RunFolder run, int gen) {
        tasks.submit("Read config of " + run.id(), () -> {
            Object cfg = run.isFinetune() ? run.finetuneConfig() : run.config();
            List<CheckpointItem> items = new ArrayList<>();
            for (Path p : run.checkpoints()) {
                items.add(new CheckpointItem(RunFolder.updateOf(p), p));
            }
            return new Object[] {cfg, items};
        }, r -> {
            if (gen != loadGeneration) {
                return;
            }
            if (r[0] instanceof FinetuneConfig ft) {
                family.set(PretrainConfig.WAV2VEC2);
                clipNorm.set(ft.optimizer().clipNorm() > 0 ? ft.optimizer().clipNorm() : Double.NaN);
                freezeUpdates.set(ft.freezeUpdates());
                if (maxUpdates.get() == 0) {
                    maxUpdates.set(ft.run().maxUpdates());
                }
            } else {
                PretrainConfig cfg = (PretrainConfig) r[0];
                health.config(cfg);
                chanceLevel.set(chanceBits(cfg));
                family.set(cfg.family());
                gumbel.set(cfg.quantizer() != null);
                clipNorm.set(cfg.optimizer().clipNorm() > 0 ? cfg.optimizer().clipNorm() : Double.NaN);
                if (maxUpdates.get() == 0) {
                    maxUpdates.set(cfg.run().maxUpdates());
                }
            }
            @SuppressWarnings("unchecked")
            List<CheckpointItem> items = (List<CheckpointItem>) r[1];
            for (CheckpointItem c : items) {
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

    /**
     * Loss in bits of a model that scores every candidate alike. InfoNCE (wav2vec 2.0, and wav2vec
     * 1.0 with objective infonce): log2(N+1). The binary logistic loss sums one positive and N
     * negative terms per target, so its constant-score optimum, σ = 1/(N+1), costs
     * log2(N+1) + N·log2((N+1)/N): 4.83 bits for 10 distractors.
     */
    static double chanceBits(PretrainConfig cfg) {
        int n = cfg.loss().negatives();
        double infonce = Math.log(n + 1) / Math.log(2);
        if (cfg.isWav2Vec1() && cfg.wav2vec1().objective().equals(
                org.speechwb.engine.model.w2v1.Wav2Vec1Config.BINARY)) {
            return infonce + n * Math.log((n + 1.0) / n) / Math.log(2);
        }
        return infonce;
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

    /** A run stopped (or failed after some updates) can go on from its last checkpoint. */
    private boolean resumable(RunFocus.Focus f, RunStatus status) {
        if (f == null) {
            return false;
        }
        if (f.isLive()) {
            RunState s = f.live().state();
            return !f.live().isLive() && (s == RunState.STOPPED || s == RunState.FAILED && update.get() > 0);
        }
        return status != null && (status.state() == RunState.STOPPED
                || status.state() == RunState.FAILED && status.update() > 0);
    }

    private void updateStartability() {
        finetuning.updateBlocked();
        RunFocus.Focus f = focus.focus();
        boolean resume = resumable(f, reopenedStatus);
        startLabel.set(resume ? "Resume run" : "Start new run");
        if (session.isTraining()) {
            startBlocked.set("A run is training; stop it first.");
        } else if (session.dataset() == null || session.trainingUtterances().isEmpty()) {
            startBlocked.set("Open a dataset (Datasets screen) to train on.");
        } else if (!resume && session.configProperty().get() == null) {
            startBlocked.set("Choose a valid configuration on the Experiment screen.");
        } else {
            startBlocked.set("");
        }
    }

    static String describeData(Dataset ds, List<Utterance> u) {
        if (ds == null) {
            return "";
        }
        double hours = u.stream().mapToDouble(Utterance::seconds).sum() / 3600;
        return String.format(Locale.ROOT, "%s: %,d utterances, %.2f h", ds.root().getFileName(), u.size(), hours);
    }

    /** For the view: a binding of "is the shown run the live one and still running". */
    public javafx.beans.binding.BooleanBinding runningBinding() {
        return Bindings.createBooleanBinding(() -> live.get() && state.get() == RunState.RUNNING, live, state);
    }
}
