package org.speechwb.app.training;

import java.io.IOException;
import java.nio.file.Files;
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
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
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
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * State and commands of the Training screen. Shows the run {@link RunFocus} points at: the live
 * run through its {@link ActiveRun} (events arrive batched at ≤ 20 Hz on the FX thread), a
 * reopened run from its files (read in the background). Views bind to the properties and feed
 * their charts from {@link #metrics()}, which grows by one {@code addAll} per delivered batch and
 * is replaced with {@code setAll} when another run is shown.
 */
public final class TrainingViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingViewModel.class);
    /** Updates averaged for ETA and throughput: recent enough to follow crop-length changes, long enough to be steady. */
    static final int RATE_WINDOW = 20;

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

    private final WorkbenchSession session;
    private final BackgroundTasks tasks;
    private final ScreenContext ctx;
    private final RunFocus focus;

    private final ObservableList<UpdateMetrics> metrics = FXCollections.observableArrayList();
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
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
    private final ReadOnlyBooleanWrapper starting = new ReadOnlyBooleanWrapper(this, "starting");
    private final ReadOnlyStringWrapper startLabel = new ReadOnlyStringWrapper(this, "startLabel", "Start training");
    private final ReadOnlyStringWrapper startBlocked = new ReadOnlyStringWrapper(this, "startBlocked", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final BooleanBinding canStart;
    private final BooleanBinding canPause;
    private final BooleanBinding canResume;
    private final BooleanBinding canStop;

    private ActiveRun attached;
    private Runnable unsubscribe = () -> { };
    private final ListChangeListener<UpdateMetrics> liveMetrics = this::onLiveMetrics;
    private final ListChangeListener<TrainingEvent.Warning> liveWarnings = this::onLiveWarnings;
    private final javafx.beans.value.ChangeListener<String> liveMessage = (o, a, b) -> stateMessage.set(b);
    /** Status of the shown reopened run, read with its metrics (so the FX thread never reads files). */
    private RunStatus reopenedStatus;
    private int loadGeneration;

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
        warnings.clear();
        checkpoints.clear();
        chanceLevel.set(Double.NaN);
        clipNorm.set(Double.NaN);
        error.set("");
        if (f == null) {
            live.set(false);
            state.set(null);
            runTitle.set("No run yet");
            stateMessage.set("");
            details.set("");
            update.set(0);
            maxUpdates.set(0);
            refreshProgress();
            return;
        }
        runTitle.set(f.run().id());
        loadConfigAndCheckpoints(f.run(), loadGeneration);
        if (f.isLive()) {
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

    private void detach() {
        if (attached != null) {
            state.unbind();
            attached.metrics().removeListener(liveMetrics);
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
            refreshProgress();
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

    private record Loaded(List<UpdateMetrics> metrics, Optional<RunStatus> status, List<WarningItem> warnings) {
    }

    private void loadFromFiles(RunFolder run, int gen) {
        state.set(null);
        stateMessage.set("reading " + run.id() + "…");
        details.set("");
        tasks.submit("Read metrics of " + run.id(), () -> new Loaded(run.metrics(), run.status(), logWarnings(run)),
            l -> {
                if (gen != loadGeneration) {
                    return;
                }
                metrics.setAll(l.metrics());
                warnings.setAll(l.warnings());
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
            PretrainConfig cfg = run.config();
            List<CheckpointItem> items = new ArrayList<>();
            for (Path p : run.checkpoints()) {
                items.add(new CheckpointItem(RunFolder.updateOf(p), p));
            }
            return new Object[] {cfg, items};
        }, r -> {
            if (gen != loadGeneration) {
                return;
            }
            PretrainConfig cfg = (PretrainConfig) r[0];
            chanceLevel.set(Math.log(cfg.loss().negatives() + 1) / Math.log(2));
            clipNorm.set(cfg.optimizer().clipNorm() > 0 ? cfg.optimizer().clipNorm() : Double.NaN);
            if (maxUpdates.get() == 0) {
                maxUpdates.set(cfg.run().maxUpdates());
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

    /** Warnings of a reopened run: the engine logs each one to log.txt as "warning: …". */
    static List<WarningItem> logWarnings(RunFolder run) throws IOException {
        List<WarningItem> out = new ArrayList<>();
        if (!Files.isRegularFile(run.logFile())) {
            return out;
        }
        for (String line : Files.readAllLines(run.logFile())) {
            int i = line.indexOf("  warning: ");
            if (i < 0) {
                continue;
            }
            String msg = line.substring(i + "  warning: ".length());
            Instant t;
            try {
                t = Instant.parse(line.substring(0, i).trim());
            } catch (RuntimeException e) {
                t = null;
            }
            out.add(new WarningItem(guessKind(msg), msg, -1, t));
        }
        return out;
    }

    private static TrainingEvent.Warning.Kind guessKind(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        if (m.contains("chance")) {
            return TrainingEvent.Warning.Kind.CHANCE_LEVEL;
        }
        if (m.contains("codebook") || m.contains("collapse") || m.contains("perplexity")) {
            return TrainingEvent.Warning.Kind.CODEBOOK_COLLAPSE;
        }
        if (m.contains("non-finite") || m.contains("nan")) {
            return TrainingEvent.Warning.Kind.NON_FINITE;
        }
        if (m.contains("checkpoint")) {
            return TrainingEvent.Warning.Kind.CHECKPOINT;
        }
        return TrainingEvent.Warning.Kind.DATA;
    }

    // ---- derived values -------------------------------------------------------------------

    private void refreshProgress() {
        int n = metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).update();
        update.set(n);
        int max = maxUpdates.get();
        progress.set(max > 0 ? Math.min(1, (double) n / max) : 0);
        progressText.set(progressLine(metrics, max, live.get() && state.get() != null && !state.get().terminal()));
    }

    /** The progress line: update n/N, percentage, ETA from recent updates, throughput. */
    static String progressLine(List<UpdateMetrics> m, int max, boolean running) {
        if (m.isEmpty()) {
            return max > 0 ? "update 0 / " + max : "";
        }
        UpdateMetrics last = m.get(m.size() - 1);
        int from = Math.max(0, m.size() - RATE_WINDOW);
        double seconds = 0;
        double audio = 0;
        for (int i = from; i < m.size(); i++) {
            seconds += m.get(i).seconds();
            audio += m.get(i).audioSecondsPerSecond() * m.get(i).seconds();
        }
        int k = m.size() - from;
        double perUpdate = seconds / k;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "update %,d / %,d", last.update(), max));
        if (max > 0) {
            sb.append(String.format(Locale.ROOT, " (%.0f %%)", 100.0 * last.update() / max));
        }
        if (running && max > last.update()) {
            sb.append(" · ETA ").append(duration(perUpdate * (max - last.update())));
        }
        sb.append(String.format(Locale.ROOT, " · %.1f audio-s/s · %.2f s/update · elapsed %s",
                seconds > 0 ? audio / seconds : 0, perUpdate, duration(last.elapsedSeconds())));
        return sb.toString();
    }

    static String duration(double s) {
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
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

    private static String describeData(Dataset ds, List<Utterance> u) {
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
