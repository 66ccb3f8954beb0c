package org.speechwb.app.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetSummary;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.TrainingLoop;
import org.speechwb.engine.train.RunState;

/**
 * The state the screens share, all observable and changed on the UI thread only:
 * <ul>
 * <li>the current dataset, its summary and the chosen split (Datasets screen);</li>
 * <li>the current pre-training config and what it is based on (Experiment screen);</li>
 * <li>the active training run (started from Experiment or resumed from Runs, watched by
 *     Training and Codebook);</li>
 * <li>the run and checkpoint selected for inspection (Runs → Inspect);</li>
 * <li>which screen is showing (any screen may navigate).</li>
 * </ul>
 */
public final class WorkbenchSession {

    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchSession.class);

    private final BackgroundTasks tasks;

    private final ObjectProperty<Dataset> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final ObjectProperty<DatasetSummary> datasetSummary = new SimpleObjectProperty<>(this, "datasetSummary");
    private final ObjectProperty<SplitChoice> splitChoice =
            new SimpleObjectProperty<>(this, "splitChoice", SplitChoice.PREDEFINED_TRAIN);
    private final ObjectProperty<Splits> splits = new SimpleObjectProperty<>(this, "splits");

    private final ObjectProperty<PretrainConfig> config = new SimpleObjectProperty<>(this, "config");
    private final StringProperty configName = new SimpleStringProperty(this, "configName", "wav2vec2-small-cpu");

    private final ReadOnlyObjectWrapper<ActiveRun> activeRun = new ReadOnlyObjectWrapper<>(this, "activeRun");
    private volatile CompletableFuture<RunState> trainerThreadDone = CompletableFuture.completedFuture(null);

    private final ObjectProperty<RunFolder> selectedRun = new SimpleObjectProperty<>(this, "selectedRun");
    private final ObjectProperty<Path> selectedCheckpoint = new SimpleObjectProperty<>(this, "selectedCheckpoint");
    private final ReadOnlyObjectWrapper<ExternalRun> externalRun = new ReadOnlyObjectWrapper<>(this, "externalRun");

    private final ObjectProperty<ScreenId> screen = new SimpleObjectProperty<>(this, "screen", ScreenId.DATASETS);

    public WorkbenchSession(BackgroundTasks tasks) {
        this.tasks = Objects.requireNonNull(tasks);
    }

    public BackgroundTasks tasks() {
        return tasks;
    }

    // ---- dataset -------------------------------------------------------------------------

    /** The dataset opened on the Datasets screen, or null. */
    public ObjectProperty<Dataset> datasetProperty() {
        return dataset;
    }

    public Dataset dataset() {
        return dataset.get();
    }

    public ObjectProperty<DatasetSummary> datasetSummaryProperty() {
        return datasetSummary;
    }

    /** How the dataset is split and which split trains. */
    public ObjectProperty<SplitChoice> splitChoiceProperty() {
        return splitChoice;
    }

    /** The partition the split choice gives on the current dataset, or null if none could be made. */
    public ObjectProperty<Splits> splitsProperty() {
        return splits;
    }

    /** Sets the dataset, its summary and its split in one go. */
    public void setDataset(Dataset ds, DatasetSummary summary, SplitChoice choice, Splits split) {
        dataset.set(ds);
        datasetSummary.set(summary);
        splitChoice.set(choice);
        splits.set(split);
    }

    /** What a run started now would train on (empty without a dataset or a valid split). */
    public List<Utterance> trainingUtterances() {
        Splits s = splits.get();
        return s == null ? List.of() : splitChoice.get().trainingSet(s);
    }

    // ---- config --------------------------------------------------------------------------

    /** The current valid pre-training config (null while the Experiment screen holds an invalid one). */
    public ObjectProperty<PretrainConfig> configProperty() {
        return config;
    }

    /** Preset name or config file name the current config came from (names new runs). */
    public StringProperty configNameProperty() {
        return configName;
    }

    // ---- training ------------------------------------------------------------------------

    /** The run being trained (or last trained) in this window; null before the first. */
    public ReadOnlyObjectProperty<ActiveRun> activeRunProperty() {
        return activeRun.getReadOnlyProperty();
    }

    public ActiveRun activeRun() {
        return activeRun.get();
    }

    /** True while a trainer is working (a second run would compete for the same cores and memory). */
    public boolean isTraining() {
        ActiveRun r = activeRun.get();
        return r != null && r.isLive();
    }

    /**
     * Starts (or resumes, when {@code run} has checkpoints) pre-training on a dedicated thread and
     * makes it the active run. Call on the UI thread.
     *
     * @param maxUpdates overrides the config's run.maxUpdates (to extend a finished run), or null
     * @throws IllegalStateException if a run is already training
     */
    public ActiveRun startTraining(RunFolder run, List<Utterance> utterances, Integer maxUpdates) {
        return startTraining(run, utterances, maxUpdates, "");
    }

    /** As {@link #startTraining(RunFolder, List, Integer)}, with a description of the data for the screens. */
    public ActiveRun startTraining(RunFolder run, List<Utterance> utterances, Integer maxUpdates,
                                   String datasetDescription) {
        if (isTraining()) {
            throw new IllegalStateException("run " + activeRun.get().run().id() + " is still training; stop it first");
        }
        ActiveRun active = new ActiveRun(run, datasetDescription, tasks::runOnUi);
        return launch(active, new Pretrainer(run, utterances, active, maxUpdates));
    }

    /**
     * Starts (or resumes, when {@code run} has checkpoints) CTC fine-tuning of a run folder that
     * holds a fine-tuning config, on a dedicated thread, and makes it the active run. Call on the
     * UI thread.
     *
     * @param valid utterances for the validation WER (may be empty)
     * @throws IllegalStateException if a run is already training
     */
    public ActiveRun startFinetuning(RunFolder run, List<Utterance> train, List<Utterance> valid, Integer maxUpdates,
                                     String datasetDescription) {
        if (isTraining()) {
            throw new IllegalStateException("run " + activeRun.get().run().id() + " is still training; stop it first");
        }
        ActiveRun active = new ActiveRun(run, datasetDescription, tasks::runOnUi, true);
        return launch(active, new FineTuner(run, train, valid, active, maxUpdates));
    }

    private ActiveRun launch(ActiveRun active, TrainingLoop trainer) {
        RunFolder run = active.run();
        active.attach(trainer);
        CompletableFuture<RunState> done = new CompletableFuture<>();
        trainerThreadDone = done;
        // not a daemon: the JVM must not exit while a checkpoint is being written
        Thread t = new Thread(() -> {
            RunState end = RunState.FAILED;
            try {
                end = trainer.run();
            } catch (Throwable e) { // NOPMD: run() reports its own failures; this is the last guard
                LOG.error("Trainer thread died", e);
            } finally {
                LOG.info("Run {} ended: {}", run.id(), end);
                active.finished(end);
                done.complete(end);
            }
        }, "wb-training-" + run.id());
        t.setDaemon(false);
        activeRun.set(active);
        t.start();
        return active;
    }

    /** Completes when the trainer thread of the latest run has returned (completed if none). */
    public CompletableFuture<RunState> trainerThreadDone() {
        return trainerThreadDone;
    }

    // ---- inspection and navigation -------------------------------------------------------

    /** The run chosen on the Runs screen. */
    public ObjectProperty<RunFolder> selectedRunProperty() {
        return selectedRun;
    }

    /** The run made elsewhere that the Training and Codebook screens follow; null when none. */
    public ReadOnlyObjectProperty<ExternalRun> externalRunProperty() {
        return externalRun.getReadOnlyProperty();
    }

    /**
     * Follows the logs at {@code source} (stops following any earlier one) and makes it the
     * external run the screens show. Call on the UI thread.
     */
    public ExternalRun followExternalRun(Path source) {
        ExternalRun old = externalRun.get();
        if (old != null) {
            old.close();
        }
        ExternalRun r = ExternalRun.follow(source, tasks::runOnUi);
        externalRun.set(r);
        return r;
    }

    /** The checkpoint chosen for inspection (Inspect screen). */
    public ObjectProperty<Path> selectedCheckpointProperty() {
        return selectedCheckpoint;
    }

    /** The screen showing; set it to navigate. */
    public ObjectProperty<ScreenId> screenProperty() {
        return screen;
    }

    public void navigate(ScreenId id) {
        screen.set(id);
    }
}
