package org.speechwb.app.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.FxThrottle;
import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.train.TrainingEvent;

/**
 * Runs the experiment off the FX thread and shows how far it is: the current stage (the
 * engine's last log line), the current training run's updates, the log, and how it ended.
 * Log lines and training events reach the FX thread in batches, at most 20 a second.
 * Stop asks the engine to checkpoint and stop; Continue runs the same config in the same
 * folder again, which reuses every finished stage.
 */
public final class StudyProgressViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(StudyProgressViewModel.class);
    /** Log lines kept on screen (the engine's own log and results.md keep everything). */
    public static final int MAX_LOG_LINES = 2000;
    /** How long closing the window waits for the training run in progress to write its checkpoint. */
    static final long CLOSE_WAIT_S = 30;

    public enum Phase { IDLE, RUNNING, STOPPING, STOPPED, FAILED, FINISHED }

    /** What the experiment thread hands to the FX thread. */
    private sealed interface Item {
    }

    private record Line(String text) implements Item {
    }

    private record Event(TrainingEvent event) implements Item {
    }

    private record ResultsWritten() implements Item {
    }

    private final BackgroundTasks tasks;
    private final Path home;
    private final StudyRunner runner;
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(this, "phase", Phase.IDLE);
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper(this, "stage", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>(this, "folder");
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final BooleanBinding running = Bindings.createBooleanBinding(
            () -> phase.get() == Phase.RUNNING || phase.get() == Phase.STOPPING, phase);
    private Consumer<Path> resultsWritten = p -> { };
    private ExperimentConfig lastConfig;
    private volatile StudyRunner.Run current;
    private volatile CompletableFuture<Void> ended = CompletableFuture.completedFuture(null);
    private int maxUpdates;
    private String runName = "";

    public StudyProgressViewModel(BackgroundTasks tasks, Path home, StudyRunner runner) {
        this.tasks = tasks;
        this.home = home;
        this.runner = runner;
    }

    /** Called on the FX thread with the folder whenever results.json was (re)written, and when a run ends. */
    public void onResults(Consumer<Path> c) {
        resultsWritten = c;
    }

    /** Starts the experiment; ignored while one runs. */
    public void start(ExperimentConfig cfg, Path out) {
        if (running.get()) {
            return;
        }
        lastConfig = cfg;
        folder.set(out);
        log.clear();
        message.set("");
        stage.set("Starting");
        launch(cfg, out);
    }

    /** Runs the last config again in the same folder: finished stages are reused, a stopped run resumes. */
    public void continueRun() {
        if (running.get() || lastConfig == null) {
            return;
        }
        message.set("");
        append("— continuing in " + folder.get() + " —");
        stage.set("Continuing");
        launch(lastConfig, folder.get());
    }

    /** Asks the current training run to checkpoint and stop; the experiment then ends as stopped. */
    public void stop() {
        StudyRunner.Run r = current;
        if (r != null && phase.get() == Phase.RUNNING) {
            phase.set(Phase.STOPPING);
            stage.set(stage.get() + " (stopping after a checkpoint…)");
            r.requestStop();
        }
    }

    private void launch(ExperimentConfig cfg, Path out) {
        phase.set(Phase.RUNNING);
        progress.set(-1);
        progressText.set("");
        maxUpdates = 0;
        FxThrottle<Item> throttle = new FxThrottle<>(50, tasks::runOnUi, this::deliver);
        Path results = out.resolve("results.json");
        FileTime[] seen = {modified(results)};
        Consumer<String> logLine = line -> {
            throttle.offer(new Line(line));
            // the engine writes results.json after every finished arm and then logs the next stage
            FileTime t = modified(results);
            if (t != null && !t.equals(seen[0])) {
                seen[0] = t;
                throttle.offer(new ResultsWritten());
            }
        };
        StudyRunner.Run run = runner.create(cfg, out, home, logLine, e -> {
            // per-update events of other kinds (codebook counts) are not needed here
            if (!(e instanceof TrainingEvent.Validated || e instanceof TrainingEvent.CheckpointSaved)) {
                throttle.offer(new Event(e));
            }
        });
        current = run;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ended = done;
        tasks.submit("Study experiment", () -> {
            try {
                return run.run();
            } finally {
                done.complete(null);
            }
        }, r -> {
            finish(throttle);
            phase.set(Phase.FINISHED);
            stage.set("Finished");
            message.set("Finished. Results in " + out.resolve("results.md"));
            resultsWritten.accept(out);
        }, e -> {
            finish(throttle);
            if (e instanceof CancellationException) {
                phase.set(Phase.STOPPED);
                message.set("Stopped. Everything finished so far is kept in " + out
                        + "; Continue runs it again in the same folder and picks up where it stopped.");
            } else {
                LOG.warn("Study experiment in {} failed", out, e);
                phase.set(Phase.FAILED);
                String why = ErrorMessages.describe(e);
                String where = stage.get();
                message.set("Failed" + (where.isBlank() || why.contains(where) ? "" : " during \"" + where + "\"")
                        + ": " + why + ". Fix the cause and Continue, or change the settings and start again.");
            }
            if (Files.isRegularFile(out.resolve("results.json"))) {
                resultsWritten.accept(out);
            }
        });
    }

    private void finish(FxThrottle<Item> throttle) {
        current = null;
        throttle.close();
        throttle.drain();
        progress.set(0);
        progressText.set("");
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }

    private void deliver(List<Item> batch) {
        boolean results = false;
        for (Item it : batch) {
            if (it instanceof Line l) {
                append(l.text());
                if (!l.text().isBlank() && !Character.isWhitespace(l.text().charAt(0))) {
                    // paths inside the experiment folder read shorter relative to it (the log keeps them whole)
                    Path f = folder.get();
                    stage.set(f == null ? l.text() : l.text().replace(f + java.io.File.separator, ""));
                }
            } else if (it instanceof Event ev) {
                event(ev.event());
            } else if (it instanceof ResultsWritten) {
                results = true;
            }
        }
        if (phase.get() == Phase.STOPPING && !stage.get().endsWith("…)")) {
            stage.set(stage.get() + " (stopping after a checkpoint…)");
        }
        if (results) {
            resultsWritten.accept(folder.get());
        }
    }

    private void event(TrainingEvent e) {
        if (e instanceof TrainingEvent.Started s) {
            maxUpdates = s.maxUpdates();
            runName = s.runDir() == null ? s.runId() : folderRelative(s.runDir());
            updated(s.resumedFrom());
        } else if (e instanceof TrainingEvent.Updated u) {
            updated(u.metrics().update());
        } else if (e instanceof TrainingEvent.FinetuneUpdated u) {
            updated(u.metrics().update());
        } else if (e instanceof TrainingEvent.Warning w) {
            append("  warning (update " + w.update() + "): " + w.message());
        } else if (e instanceof TrainingEvent.StateChanged s && s.state().terminal()) {
            progress.set(-1);
            progressText.set("");
            maxUpdates = 0;
        }
    }

    private String folderRelative(Path runDir) {
        Path f = folder.get();
        return f != null && runDir.startsWith(f) ? f.relativize(runDir).toString() : runDir.getFileName().toString();
    }

    private void updated(int update) {
        if (maxUpdates > 0) {
            progress.set(Math.min(1, (double) update / maxUpdates));
            progressText.set(String.format(Locale.ROOT, "%s: update %d of %d", runName, update, maxUpdates));
        }
    }

    private void append(String line) {
        log.add(line);
        if (log.size() > MAX_LOG_LINES) {
            log.remove(0, log.size() - MAX_LOG_LINES);
        }
    }

    /**
     * Called when the window closes: the training run in progress checkpoints and stops, and this
     * waits up to {@code CLOSE_WAIT_S} seconds for it (the experiment thread would not outlive the
     * window), so that Continue loses at most the updates since that checkpoint.
     */
    public void dispose() {
        StudyRunner.Run r = current;
        if (r != null) {
            r.requestStop();
            try {
                ended.get(CLOSE_WAIT_S, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("The study in {} did not stop within {} s; it continues from its last checkpoint",
                        folder.get(), CLOSE_WAIT_S);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- properties -----------------------------------------------------------------------

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** True while an experiment runs (also while it is stopping). */
    public BooleanBinding runningProperty() {
        return running;
    }

    /** The stage the experiment is in: its last unindented log line. */
    public ReadOnlyStringProperty stageProperty() {
        return stage.getReadOnlyProperty();
    }

    /** Progress of the current training run, 0–1; −1 (indeterminate) between training runs. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** How the last run ended (or ""), in words. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The folder of the current or last run. */
    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    /** The log, newest last, at most {@link #MAX_LOG_LINES}. */
    public ObservableList<String> log() {
        return log;
    }

    /** True when a stopped or failed run can be continued in its folder. */
    public boolean canContinue() {
        return lastConfig != null && (phase.get() == Phase.STOPPED || phase.get() == Phase.FAILED);
    }
}
