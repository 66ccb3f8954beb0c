package org.speechwb.app.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.probe.ProbeRecipe;

/**
 * State and actions of the Probes screen: which checkpoint (by default the run selected in the
 * session, when it is a wav2vec 2.0 run), the session's dataset, the probe settings, and a probe
 * run with its progress, its per-layer scores as they come in and its report. The engine work
 * runs on the context's background tasks ({@link ProbeJob}); everything here is FX-thread state.
 */
public final class ProbeViewModel {

    /** The probes' recipe: several seeds per layer, since one probe's seed alone moved its CER by up to 15 points. */
    static final ProbeRecipe PROBES = ProbeRecipe.DEFAULT;
    /** The labeled subset's and the random baseline's seed. */
    static final long SEED = 1;

    private final ScreenContext ctx;
    private final ProbeCheckpoint checkpoint;
    private final ReadOnlyStringWrapper datasetText = new ReadOnlyStringWrapper(this, "datasetText", "");
    private final DoubleProperty labeledMinutes = new SimpleDoubleProperty(this, "labeledMinutes", 10);
    private final IntegerProperty updates = new SimpleIntegerProperty(this, "updates", 1500);
    private final BooleanProperty randomBaseline = new SimpleBooleanProperty(this, "randomBaseline", true);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper blocker = new ReadOnlyStringWrapper(this, "blocker", "");
    private final ReadOnlyObjectWrapper<ProbeReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ObservableList<ProbeRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> modelNames = FXCollections.observableArrayList();
    private final ObservableList<String> layerNames = FXCollections.observableArrayList();
    private AtomicBoolean cancelRequested = new AtomicBoolean();

    public ProbeViewModel(ScreenContext ctx) {
        this.ctx = ctx;
        this.checkpoint = new ProbeCheckpoint(ctx.tasks());
        var s = ctx.session();
        s.selectedRunProperty().addListener((o, a, b) -> checkpoint.offer(b));
        s.datasetProperty().addListener((o, a, b) -> updateBlocker());
        for (Observable p : List.of(checkpoint.fileProperty(), labeledMinutes, updates, running)) {
            p.addListener(o -> updateBlocker());
        }
        checkpoint.fileProperty().addListener((o, a, b) -> error.set(""));
        checkpoint.offer(s.selectedRunProperty().get());
        updateBlocker();
    }

    // ---- running --------------------------------------------------------------------------

    private void updateBlocker() {
        Dataset ds = ctx.session().dataset();
        long labeled = ds == null ? 0 : ds.utterances().stream().filter(Utterance::labeled).count();
        datasetText.set(ds == null ? "No dataset open." : String.format(Locale.ROOT,
                "%s: %d utterances, %d transcribed.", ds.root(), ds.utterances().size(), labeled));
        String why;
        if (running.get()) {
            why = "Probes are running.";
        } else if (checkpoint.fileProperty().get() == null) {
            why = "Choose a wav2vec 2.0 checkpoint or run folder, or select a run on the Runs screen.";
        } else if (ds == null) {
            why = "Open a labeled dataset on the Datasets screen first: the probes learn from its transcripts.";
        } else if (labeled == 0) {
            why = "The dataset has no transcripts: open a labeled dataset on the Datasets screen first.";
        } else if (!(labeledMinutes.get() > 0) || Double.isInfinite(labeledMinutes.get())) {
            why = "Labeled minutes must be a positive number.";
        } else if (updates.get() < 1) {
            why = "Probe updates must be at least 1.";
        } else {
            why = "";
        }
        blocker.set(why);
    }

    /** Starts the probes in the background (UI thread); does nothing while {@link #blockerProperty()} says why not. */
    public void run() {
        if (!blocker.get().isEmpty()) {
            return;
        }
        ProbeJob.Settings settings = new ProbeJob.Settings(checkpoint.fileProperty().get(), labeledMinutes.get(),
                updates.get(), randomBaseline.get(), PROBES, SEED);
        AtomicBoolean cancel = new AtomicBoolean();
        cancelRequested = cancel;
        rows.clear();
        modelNames.clear();
        report.set(null);
        error.set("");
        progress.set(-1);
        status.set("Splitting " + ctx.session().dataset().root().getFileName() + " by speaker…");
        running.set(true);
        ProbeJob job = new ProbeJob(settings, ctx.session().dataset(), cancel::get, new ProbeJob.Listener() {
            @Override
            public void modelStarted(String model, int modelIndex, int models, List<String> layers, String what) {
                ctx.tasks().runOnUi(() -> {
                    layerNames.setAll(layers);
                    if (!modelNames.contains(model)) {
                        modelNames.add(model);
                    }
                    if (modelIndex == 0 && models > 1) {
                        modelNames.add(ProbeJob.RANDOM_INIT); // its bars get their places from the start
                    }
                    if (!cancel.get()) {
                        status.set(kind(model) + ": " + what + "…");
                    }
                });
            }

            @Override
            public void layerDone(String model, int modelIndex, int models, int done, int total,
                                  LayerProbe.LayerScore s) {
                ctx.tasks().runOnUi(() -> {
                    rows.add(new ProbeRow(model, s));
                    progress.set((modelIndex * total + done) / (double) (models * total));
                    if (!cancel.get()) {
                        status.set(String.format(Locale.ROOT, "%s: layer %d of %d (%s): CER %.1f %%%s", kind(model),
                                done, total, s.layer(), 100 * s.cer(), s.probeCers().size() < 2 ? ""
                                        : " (mean of " + s.probeCers().size() + " probes)"));
                    }
                });
            }
        });
        ctx.tasks().submit("Layer probes", job, this::finished, this::failed);
    }

    /** "checkpoint" or "random init": a model as the table and the status line name it. */
    public static String kind(String model) {
        return ProbeJob.RANDOM_INIT.equals(model) ? model : "checkpoint";
    }

    /** Stops the running probes at the next utterance or layer; the finished layers stay. */
    public void cancel() {
        if (running.get()) {
            cancelRequested.set(true);
            status.set("Cancelling after the current layer…");
        }
    }

    private void finished(ProbeReport r) {
        running.set(false);
        report.set(r);
        progress.set(r.cancelled() ? progress.get() : 1);
        int layers = r.models().stream().mapToInt(m -> m.layers().size()).sum();
        int seeds = r.probeSeeds().size();
        status.set(String.format(Locale.ROOT, "%s %d probe(s)%s on %d training utterances (%.1f min) and %d validation"
                        + " utterances in %.0f s.", r.cancelled() ? "Cancelled after" : "Finished", layers,
                seeds > 1 ? ", " + seeds + " seeds each," : "", r.trainUtterances(), r.trainMinutes(),
                r.validUtterances(), r.seconds()));
    }

    private void failed(Throwable e) {
        running.set(false);
        progress.set(0);
        if (e instanceof CancellationException) {
            status.set("Cancelled.");
            return;
        }
        status.set("");
        error.set("Could not run the probes: " + ErrorMessages.describe(e));
        ctx.notifier().error("Layer probes failed", e);
    }

    /** Writes the last report as JSON (background); the result goes to the notifier. */
    public void save(Path file) {
        ProbeReport r = report.get();
        if (r == null) {
            return;
        }
        ctx.tasks().submit("Saving probe results", () -> {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, ConfigIO.json().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return file;
        }, f -> ctx.notifier().info("Probe results saved", f.toString()),
                e -> ctx.notifier().error("Could not save the probe results to " + file, e));
    }

    void dispose() {
        cancelRequested.set(true);
    }

    // ---- properties -----------------------------------------------------------------------

    /** The checkpoint to probe and where it came from. */
    public ProbeCheckpoint checkpoint() {
        return checkpoint;
    }

    /** The session's dataset in one line. */
    public ReadOnlyStringProperty datasetTextProperty() {
        return datasetText.getReadOnlyProperty();
    }

    public DoubleProperty labeledMinutesProperty() {
        return labeledMinutes;
    }

    public IntegerProperty updatesProperty() {
        return updates;
    }

    /** Also probe the same architecture with random weights. */
    public BooleanProperty randomBaselineProperty() {
        return randomBaseline;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0..1 over all layers of all models; -1 (indeterminate) before the first layer is done. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** One line on what is happening, e.g. "random init: layer 3 of 4 (layer 1): CER 71.2 %". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the last run failed, readable; "" otherwise. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Why "Run probes" is disabled; "" when it is enabled. */
    public ReadOnlyStringProperty blockerProperty() {
        return blocker.getReadOnlyProperty();
    }

    /** The last finished (or cancelled) run's report; null before one and while running. */
    public ReadOnlyObjectProperty<ProbeReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** Per-layer scores, as they come in, models in order. */
    public ObservableList<ProbeRow> rows() {
        return rows;
    }

    /** Models of the current or last run, as each starts (the chart's series). */
    public ObservableList<String> modelNames() {
        return modelNames;
    }

    /** The probed model's representations, known once the first model is loaded (the chart's categories). */
    public ObservableList<String> layerNames() {
        return layerNames;
    }
}
