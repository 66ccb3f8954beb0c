package org.speechwb.app.shell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.TrainingListener;
import org.speechwb.engine.train.TrainingLoop;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * A training run the workbench started (or resumed), seen from the UI thread: pre-training
 * (updates in {@link #metrics()}) or CTC fine-tuning (updates in {@link #finetuneMetrics()},
 * validation passes in {@link #validations()}).
 *
 * <p>The trainer calls {@link #onEvent} on its own thread; events go through an {@link FxThrottle}
 * and arrive on the UI thread in batches at most 20 times a second. There the state properties
 * and the metrics list are updated once per batch and every subscriber gets the whole batch,
 * so a screen renders once per batch and still sees every update.
 */
public final class ActiveRun implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveRun.class);
    /** ≤ 20 deliveries per second: smooth for curves, cheap for the FX thread. */
    public static final long DELIVERY_PERIOD_MS = 50;

    private final RunFolder run;
    private final String datasetDescription;
    private final FxThrottle<Object> throttle;
    private final List<Consumer<List<TrainingEvent>>> subscribers = new CopyOnWriteArrayList<>();
    private final ReadOnlyObjectWrapper<RunState> state = new ReadOnlyObjectWrapper<>(RunState.CREATED);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<TrainingEvent.Started> started = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<UpdateMetrics> latest = new ReadOnlyObjectWrapper<>();
    private final ObservableList<UpdateMetrics> metrics = FXCollections.observableArrayList();
    private final ObservableList<FinetuneMetrics> finetuneMetrics = FXCollections.observableArrayList();
    private final ObservableList<ValidationResult> validations = FXCollections.observableArrayList();
    private final ObservableList<TrainingEvent.Warning> warnings = FXCollections.observableArrayList();
    private final CompletableFuture<RunState> completion = new CompletableFuture<>();
    private final boolean finetune;
    private volatile TrainingLoop trainer;

    /** Metrics already on disk when a resumed run starts; delivered before its first update. */
    private record History(List<UpdateMetrics> metrics, FinetuneHistory finetune) {
    }

    ActiveRun(RunFolder run, String datasetDescription, Executor ui) {
        this(run, datasetDescription, ui, false);
    }

    ActiveRun(RunFolder run, String datasetDescription, Executor ui, boolean finetune) {
        this.run = run;
        this.datasetDescription = datasetDescription;
        this.finetune = finetune;
        this.throttle = new FxThrottle<>(DELIVERY_PERIOD_MS, ui, this::deliver);
    }

    void attach(TrainingLoop p) {
        this.trainer = p;
    }

    /** True for a CTC fine-tuning run. */
    public boolean isFinetune() {
        return finetune;
    }

    public RunFolder run() {
        return run;
    }

    /** The trainer; use {@link #requestPause()} etc. rather than calling it directly. */
    public TrainingLoop trainer() {
        return trainer;
    }

    public String datasetDescription() {
        return datasetDescription;
    }

    public ReadOnlyObjectProperty<RunState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public RunState state() {
        return state.get();
    }

    /** The message of the latest state change (e.g. "stopped at update 120", a failure's reason). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Set once the trainer has built the model (device, parameter count, first update). */
    public ReadOnlyObjectProperty<TrainingEvent.Started> startedProperty() {
        return started.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<UpdateMetrics> latestProperty() {
        return latest.getReadOnlyProperty();
    }

    /** Every update of the run so far, including those before a resume (UI thread, appended in batches). */
    public ObservableList<UpdateMetrics> metrics() {
        return metrics;
    }

    /** Fine-tuning: every update so far, including those before a resume (UI thread, appended in batches). */
    public ObservableList<FinetuneMetrics> finetuneMetrics() {
        return finetuneMetrics;
    }

    /** Fine-tuning: every validation pass so far, including those before a resume. */
    public ObservableList<ValidationResult> validations() {
        return validations;
    }

    public ObservableList<TrainingEvent.Warning> warnings() {
        return warnings;
    }

    /** True until the trainer has returned. */
    public boolean isLive() {
        return !completion.isDone();
    }

    /** Completes with the final state once the trainer has returned (its last checkpoint is on disk). */
    public CompletableFuture<RunState> completion() {
        return completion;
    }

    /**
     * Receives every later batch of events on the UI thread, in order. Subscribe and read
     * {@link #metrics()} in the same UI-thread turn to see every update exactly once.
     *
     * @return call to unsubscribe
     */
    public Runnable subscribe(Consumer<List<TrainingEvent>> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void requestPause() {
        TrainingLoop p = trainer;
        if (p != null) {
            p.requestPause();
        }
    }

    public void requestResume() {
        TrainingLoop p = trainer;
        if (p != null) {
            p.requestResume();
        }
    }

    /** Asks the trainer to write a checkpoint and stop; {@link #completion()} tells when it has. */
    public void requestStop() {
        TrainingLoop p = trainer;
        if (p != null) {
            p.requestStop();
        }
    }

    /** Called by the trainer on its thread: queue only. */
    @Override
    public void onEvent(TrainingEvent event) {
        if (event instanceof TrainingEvent.Started s && s.resumedFrom() > 0) {
            // the trainer has just cut metrics.jsonl back to the checkpoint; what is left is this run's history
            try {
                throttle.offer(finetune ? new History(List.of(), FinetuneHistory.read(run))
                        : new History(run.metrics(), null));
            } catch (IOException e) {
                LOG.warn("Cannot read earlier metrics of {}: {}", run.id(), e.getMessage());
            }
        }
        throttle.offer(event);
    }

    /** Called by the session on the training thread when the trainer has returned. */
    void finished(RunState finalState) {
        throttle.offer(new Finished(finalState));
    }

    private record Finished(RunState state) {
    }

    private void deliver(List<Object> batch) {
        List<TrainingEvent> events = new ArrayList<>(batch.size());
        List<UpdateMetrics> added = new ArrayList<>();
        List<FinetuneMetrics> addedFt = new ArrayList<>();
        List<ValidationResult> addedVal = new ArrayList<>();
        RunState finalState = null;
        for (Object o : batch) {
            if (o instanceof History h) {
                added.addAll(h.metrics());
                if (h.finetune() != null) {
                    addedFt.addAll(h.finetune().metrics());
                    addedVal.addAll(h.finetune().validations());
                }
            } else if (o instanceof Finished f) {
                finalState = f.state();
            } else if (o instanceof TrainingEvent e) {
                events.add(e);
                if (e instanceof TrainingEvent.Updated u) {
                    added.add(u.metrics());
                } else if (e instanceof TrainingEvent.FinetuneUpdated f) {
                    addedFt.add(f.metrics());
                } else if (e instanceof TrainingEvent.Validated v) {
                    addedVal.add(v.result());
                } else if (e instanceof TrainingEvent.StateChanged sc) {
                    state.set(sc.state());
                    message.set(sc.message() == null ? "" : sc.message());
                } else if (e instanceof TrainingEvent.Started s) {
                    started.set(s);
                } else if (e instanceof TrainingEvent.Warning w) {
                    warnings.add(w);
                }
            }
        }
        if (!added.isEmpty()) {
            metrics.addAll(added);
            latest.set(added.get(added.size() - 1));
        }
        if (!addedFt.isEmpty()) {
            finetuneMetrics.addAll(addedFt);
        }
        if (!addedVal.isEmpty()) {
            validations.addAll(addedVal);
        }
        if (finalState != null && !state.get().terminal()) {
            state.set(finalState);
        }
        if (!events.isEmpty()) {
            for (Consumer<List<TrainingEvent>> s : subscribers) {
                try {
                    s.accept(events);
                } catch (RuntimeException ex) {
                    LOG.error("Training event subscriber failed", ex);
                }
            }
        }
        if (finalState != null) {
            throttle.close();
            completion.complete(finalState);
        }
    }
}
