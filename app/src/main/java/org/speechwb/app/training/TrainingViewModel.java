package org.speechwb.app.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.Resumption;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.RunState;

/**
 * The Training screen's commands: start a run of the session's config (or resume the shown one),
 * pause, resume, stop, and start CTC fine-tuning ({@link FinetuneLauncher}); with why each cannot
 * apply now. What the screen shows of the run {@link RunFocus} points at is {@link #shown()}.
 */
public final class TrainingViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingViewModel.class);

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
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ShownRun shown;
    private final ReadOnlyBooleanWrapper starting = new ReadOnlyBooleanWrapper(this, "starting");
    private final ReadOnlyStringWrapper startLabel = new ReadOnlyStringWrapper(this, "startLabel", "Start training");
    private final ReadOnlyStringWrapper startBlocked = new ReadOnlyStringWrapper(this, "startBlocked", "");
    /** The "CTC fine-tuning from … preset … Start fine-tuning" row. */
    private final FinetuneLauncher finetuning;
    private final HandoffViewModel finetuneHandoff;
    private final BooleanBinding canStart;
    private final BooleanBinding canPause;
    private final BooleanBinding canResume;
    private final BooleanBinding canStop;

    /** The workbench's one chart smoothing (also Codebook and Runs), remembered between launches. */
    public javafx.beans.property.DoubleProperty chartSmoothingProperty() {
        return ctx.preferences().chartSmoothingProperty();
    }

    public TrainingViewModel(ScreenContext ctx, RunFocus focus) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.tasks = ctx.tasks();
        this.focus = focus;
        this.shown = new ShownRun(tasks, error, this::updateStartability);
        var state = shown.stateProperty();
        var live = shown.liveProperty();
        canPause = state.isEqualTo(RunState.RUNNING).and(live);
        canResume = state.isEqualTo(RunState.PAUSED).and(live);
        canStop = live.and(state.isEqualTo(RunState.RUNNING).or(state.isEqualTo(RunState.PAUSED))
                .or(state.isEqualTo(RunState.CREATED)));
        canStart = startBlocked.isEmpty().and(starting.not());
        finetuning = new FinetuneLauncher(ctx, starting, error);
        finetuneHandoff = new HandoffViewModel(ctx, finetuning.handoffJob());
        finetuning.finetuneConfigProperty().addListener((o, a, b) -> updateStartability());
        focus.focusProperty().addListener((o, a, b) -> shown.show(b));
        session.configProperty().addListener((o, a, b) -> updateStartability());
        session.splitsProperty().addListener((o, a, b) -> updateStartability());
        session.datasetProperty().addListener((o, a, b) -> updateStartability());
        session.activeRunProperty().addListener((o, a, b) -> updateStartability());
        state.addListener((o, a, b) -> updateStartability());
        shown.show(focus.focus());
        updateStartability();
    }

    /** The run on screen: its metrics, warnings, checkpoints, state and progress. */
    public ShownRun shown() {
        return shown;
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

    public ReadOnlyStringProperty startLabelProperty() {
        return startLabel.getReadOnlyProperty();
    }

    /** Why Start is disabled ("" when it is not). */
    public ReadOnlyStringProperty startBlockedProperty() {
        return startBlocked.getReadOnlyProperty();
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
        if (resumable(f, shown.reopenedStatus())) {
            RunFolder run = f.run();
            if (shown.finetuneProperty().get()) {
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
        if (shown.attached() != null) {
            shown.attached().requestPause();
        }
    }

    public void resume() {
        if (shown.attached() != null) {
            shown.attached().requestResume();
        }
    }

    /** Asks the trainer to stop after the current update; it writes a checkpoint first. */
    public void stop() {
        shown.requestStop();
    }

    /** A run stopped (or failed after some updates) can go on from its last checkpoint. */
    private boolean resumable(RunFocus.Focus f, RunStatus status) {
        if (f == null) {
            return false;
        }
        if (f.isLive()) {
            RunState s = f.live().state();
            return !f.live().isLive() && (s == RunState.STOPPED || s == RunState.FAILED && shown.updateProperty().get() > 0);
        }
        return status != null && (status.state() == RunState.STOPPED
                || status.state() == RunState.FAILED && status.update() > 0);
    }

    private void updateStartability() {
        finetuning.updateBlocked();
        RunFocus.Focus f = focus.focus();
        boolean resume = resumable(f, shown.reopenedStatus());
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
}
