package org.speechwb.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.data.BatchPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.FolderLock;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;

/**
 * What every training loop of the engine shares: the run's life cycle (state, status file,
 * log, events), pause and stop requests from other threads (honoured between updates),
 * atomic checkpoints with rotation, and resuming from the newest readable checkpoint.
 * Subclasses implement {@link #train()}.
 */
public abstract class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    protected final RunFolder run;
    protected final TrainingListener listener;
    protected final Integer maxUpdatesOverride;
    private final Object lock = new Object();
    protected volatile boolean stopRequested;
    protected volatile boolean pauseRequested;
    protected volatile RunState state = RunState.CREATED;

    protected TrainingLoop(RunFolder run, TrainingListener listener, Integer maxUpdates) {
        this.run = run;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.maxUpdatesOverride = maxUpdates;
    }

    public RunState state() {
        return state;
    }

    public RunFolder runFolder() {
        return run;
    }

    public void requestStop() {
        stopRequested = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    public void requestPause() {
        pauseRequested = true;
    }

    public void requestResume() {
        pauseRequested = false;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Trains until the last update, a stop request or a failure; returns the final state. A run
     * folder another job is training (a command-line run the workbench was asked to resume, say)
     * is refused with state FAILED and left untouched: its status and log are that job's.
     */
    public RunState run() {
        FolderLock folderLock;
        try {
            folderLock = FolderLock.acquire(run.dir(), "a training of run " + run.id());
        } catch (IOException e) {
            String message = e instanceof FolderLock.InUseException ? e.getMessage()
                    : "cannot lock run folder " + run.dir() + ": " + e;
            state = RunState.FAILED;
            LOG.error(message);
            listener.onEvent(new TrainingEvent.StateChanged(RunState.FAILED, message));
            return state;
        }
        try (folderLock) {
            return trainReportingFailures();
        } catch (IOException e) {
            LOG.warn("cannot unlock run folder {}: {}", run.dir(), e.getMessage());
            return state;
        }
    }

    private RunState trainReportingFailures() {
        try {
            return train();
        } catch (OutOfMemoryError e) {
            return fail("out of memory: lower data.maxTokens (samples per batch) or data.maxSampleSize", e, 0);
        } catch (ConfigException | CheckpointException e) {
            return fail(e.getMessage(), e, 0);
        } catch (IOException e) {
            return fail("I/O error in run folder " + run.dir() + ": " + e.getMessage(), e, 0);
        } catch (RuntimeException e) {
            return fail("training failed: " + e, e, 0);
        }
    }

    protected abstract RunState train() throws IOException, ConfigException, CheckpointException;

    /**
     * Writes checkpoint {@code update} atomically and deletes all but the newest {@code keep}.
     * The metadata's SHA-256 is filled in by {@link Checkpoint#write}.
     */
    protected void saveCheckpoint(Path file, Checkpoint.Meta meta, List<Param> params, AdamW adam, int keep,
                                  int maxUpdates) throws IOException {
        Checkpoint.write(file, meta, params, adam.firstMoments(), adam.secondMoments());
        run.log("checkpoint " + file.getFileName());
        listener.onEvent(new TrainingEvent.CheckpointSaved(file, meta.update()));
        List<Path> all = run.checkpoints();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        run.writeStatus(new RunStatus(state, meta.update(), maxUpdates, Provenance.now(), "checkpoint at update "
                + meta.update()));
    }

    /** The provenance JSON of the run, stored in every checkpoint. */
    protected String provenanceJson() throws IOException {
        return Files.exists(run.provenanceFile()) ? Files.readString(run.provenanceFile()) : "{}";
    }

    /** Restores weights and optimiser state from a checkpoint. */
    private static void restore(Checkpoint.Loaded c, List<Param> params, AdamW adam) throws CheckpointException {
        Checkpoint.restoreParams(c, params);
        adam.restore(c.firstMoments(), c.secondMoments(), c.meta().adamSteps());
    }

    /** Where a resumed run continues: the updates done and the next batch. */
    protected record Resumed(int update, BatchPosition position) {
    }

    /**
     * Restores weights and optimiser state from the newest readable checkpoint; null when there
     * is none and the run starts fresh.
     */
    protected Resumed resume(List<Param> params, AdamW adam) throws IOException, CheckpointException {
        Checkpoint.Loaded c = loadLatestCheckpoint();
        if (c == null) {
            return null;
        }
        restore(c, params, adam);
        run.log("resumed from " + c.file().getFileName() + " at update " + c.meta().update());
        return new Resumed(c.meta().update(), new BatchPosition(c.meta().nextEpoch(), c.meta().nextBatch()));
    }

    /** Drops the lines of a per-update log after {@code keep}: a resumed run recomputes those updates. */
    protected static <T> void retainUpTo(Path file, Class<T> type, ToIntFunction<T> updateOf, int keep)
            throws IOException {
        try (MetricsLog<T> log = new MetricsLog<>(file, type)) {
            log.retain(x -> updateOf.applyAsInt(x) <= keep);
        }
    }

    /** Returns true when a stop was requested while paused. */
    protected boolean waitWhilePaused(int update, int maxUpdates) throws IOException {
        if (!pauseRequested || stopRequested) {
            return stopRequested;
        }
        setState(RunState.PAUSED, "paused at update " + update, update, maxUpdates);
        synchronized (lock) {
            while (pauseRequested && !stopRequested) {
                try {
                    lock.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
        }
        if (!stopRequested) {
            setState(RunState.RUNNING, "resumed at update " + update, update, maxUpdates);
        }
        return stopRequested;
    }

    /** The newest readable checkpoint; a damaged newer one is reported and skipped. */
    private Checkpoint.Loaded loadLatestCheckpoint() throws IOException, CheckpointException {
        List<Path> all = run.checkpoints();
        CheckpointException firstError = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                Checkpoint.Loaded c = Checkpoint.read(all.get(i));
                if (firstError != null) {
                    warn(TrainingEvent.Warning.Kind.CHECKPOINT, firstError.getMessage() + "; resuming from the older "
                            + all.get(i).getFileName() + " instead", c.meta().update());
                }
                return c;
            } catch (CheckpointException e) {
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        return null;
    }

    protected void warn(TrainingEvent.Warning.Kind kind, String message, int update) {
        run.log("warning: " + message);
        LOG.warn(message);
        listener.onEvent(new TrainingEvent.Warning(kind, message, update));
    }

    protected void setState(RunState s, String message, int update, int maxUpdates) throws IOException {
        state = s;
        run.log(s + ": " + message);
        run.writeStatus(new RunStatus(s, update, maxUpdates, Provenance.now(), message));
        listener.onEvent(new TrainingEvent.StateChanged(s, message));
    }

    protected RunState fail(String message, Throwable cause, int update) {
        state = RunState.FAILED;
        LOG.error(message, cause);
        run.log("FAILED: " + message);
        try {
            run.writeStatus(new RunStatus(RunState.FAILED, update, maxUpdatesOverride == null ? 0 : maxUpdatesOverride,
                    Provenance.now(), message));
        } catch (IOException e) {
            LOG.warn("cannot write status of {}: {}", run.dir(), e.getMessage());
        }
        listener.onEvent(new TrainingEvent.StateChanged(RunState.FAILED, message));
        return state;
    }

}
