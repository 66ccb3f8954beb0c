package org.speechwb.app.datasets;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import org.speechwb.app.audio.AudioPlayback;
import org.speechwb.app.audio.SpectrogramModel;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.FxThrottle;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.data.CancellationToken;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.DatasetSummary;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;

/**
 * State and actions of the Datasets screen: scanning (with progress and cancel), the summary,
 * the filterable utterance list, the selected utterance's audio, and the split. Engine calls
 * run through {@link BackgroundTasks}; everything here is changed on the UI thread.
 */
public final class DatasetsViewModel {

    /** Progress of the running scan: files examined of the total. */
    public record ScanProgress(int done, int total, Path file) {
    }

    private final ScreenContext ctx;
    private final BackgroundTasks tasks;

    private final StringProperty path = new SimpleStringProperty(this, "path", "");
    private final BooleanProperty scanning = new SimpleBooleanProperty(this, "scanning");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
    private final StringProperty status = new SimpleStringProperty(this, "status", "No dataset open");
    private final ObjectProperty<Dataset> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final ObjectProperty<DatasetSummary> summary = new SimpleObjectProperty<>(this, "summary");
    private final ObservableList<String> recent = FXCollections.observableArrayList();

    private final ObservableList<Utterance> utterances = FXCollections.observableArrayList();
    private final FilteredList<Utterance> filtered = new FilteredList<>(utterances, u -> true);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<Utterance> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<AudioClip> clip = new SimpleObjectProperty<>(this, "clip");
    private final BooleanProperty clipLoading = new SimpleBooleanProperty(this, "clipLoading");
    private final StringProperty clipError = new SimpleStringProperty(this, "clipError", "");
    private final DoubleProperty playhead = new SimpleDoubleProperty(this, "playhead", -1);
    private final StringProperty playbackUnavailable = new SimpleStringProperty(this, "playbackUnavailable",
            "checking the audio device…");

    private final ObjectProperty<DatasetSplitter.Strategy> strategy =
            new SimpleObjectProperty<>(this, "strategy", DatasetSplitter.Strategy.PREDEFINED);
    private final DoubleProperty validPercent = new SimpleDoubleProperty(this, "validPercent", 10);
    private final DoubleProperty testPercent = new SimpleDoubleProperty(this, "testPercent", 10);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 1);
    private final StringProperty trainOn = new SimpleStringProperty(this, "trainOn", "train");
    private final ObservableList<SplitRow> splitRows = FXCollections.observableArrayList();
    private final StringProperty splitError = new SimpleStringProperty(this, "splitError", "");
    private final IntegerProperty trainingUtterances = new SimpleIntegerProperty(this, "trainingUtterances");

    private final AudioPlayback playback = new AudioPlayback();
    private final SpectrogramModel spectrogram;
    private CancellationToken token;
    private BackgroundTasks.TaskHandle clipTask;
    private boolean applyingPrefs;

    public DatasetsViewModel(ScreenContext ctx) {
        this.ctx = ctx;
        this.tasks = ctx.tasks();
        this.spectrogram = SpectrogramModel.using(tasks);
        clip.addListener((o, a, b) -> spectrogram.audioProperty().set(b == null ? null : b.samples()));
        var v = ctx.preferences().values();
        recent.setAll(v.recentDatasets);
        applyingPrefs = true;
        try {
            strategy.set(DatasetSplitter.Strategy.valueOf(v.splitStrategy));
        } catch (IllegalArgumentException | NullPointerException e) {
            strategy.set(DatasetSplitter.Strategy.PREDEFINED);
        }
        validPercent.set(100 * v.validFraction);
        testPercent.set(100 * v.testFraction);
        seed.set(v.splitSeed);
        trainOn.set(v.trainSplit == null ? "train" : v.trainSplit);
        applyingPrefs = false;
        filter.addListener((o, a, b) -> filtered.setPredicate(matcher(b)));
        selected.addListener((o, a, b) -> loadClip(b));
        for (var p : List.of(strategy, validPercent, testPercent, seed, trainOn)) {
            p.addListener((o, a, b) -> {
                if (!applyingPrefs) {
                    updateSplits();
                }
            });
        }
        tasks.submit("Checking audio output", AudioPlayback::unavailableReason,
                reason -> playbackUnavailable.set(reason == null ? "" : reason),
                e -> playbackUnavailable.set("no usable audio output"));
    }

    // ---- scanning -------------------------------------------------------------------------

    /** Opens the dataset remembered from last time, or the bundled corpus. */
    public void openInitial() {
        String last = ctx.preferences().values().lastDataset;
        Path p = last != null && Files.exists(Path.of(last)) ? Path.of(last) : ctx.paths().bundledCorpus();
        if (Files.exists(p)) {
            open(p);
        }
    }

    public void openBundled() {
        open(ctx.paths().bundledCorpus());
    }

    /** Scans {@code p} in the background; the previous dataset stays until the new one is complete. */
    public void open(Path p) {
        Objects.requireNonNull(p);
        if (scanning.get()) {
            cancelScan();
        }
        Path target = p.toAbsolutePath().normalize();
        path.set(target.toString());
        CancellationToken t = new CancellationToken();
        token = t;
        scanning.set(true);
        progress.set(-1);
        progressText.set("Looking at " + target.getFileName() + "…");
        FxThrottle<ScanProgress> throttle = new FxThrottle<>(80, tasks::runOnUi, batch -> {
            if (token == t) {
                ScanProgress last = batch.get(batch.size() - 1);
                progress.set(last.total() == 0 ? -1 : (double) last.done() / last.total());
                progressText.set(String.format(Locale.ROOT, "Scanning %d of %d files: %s", last.done(), last.total(),
                        last.file() == null ? "" : last.file().getFileName()));
            }
        });
        tasks.submit("Scanning " + target.getFileName(), () -> {
            Dataset ds = DatasetLoader.open(target, (done, total, file) -> throttle.offer(new ScanProgress(done, total,
                    file)), t);
            return new Scanned(ds, ds.summary());
        }, scanned -> {
            throttle.close();
            if (token != t) {
                return;
            }
            scanning.set(false);
            progress.set(1);
            progressText.set("");
            accept(scanned.dataset(), scanned.summary());
        }, err -> {
            throttle.close();
            if (token != t) {
                return;
            }
            scanning.set(false);
            progress.set(0);
            progressText.set("");
            if (err instanceof CancellationException) {
                status.set("Scan of " + target.getFileName() + " cancelled"
                        + (dataset.get() != null ? "; still showing " + dataset.get().root().getFileName() : ""));
                path.set(dataset.get() != null ? dataset.get().root().toString() : "");
            } else {
                // the path itself is what the user typed, so say so plainly instead of "Not found: <path>"
                String why = err instanceof NoSuchFileException e && target.toString().equals(e.getFile())
                        ? "no such file or folder" : ErrorMessages.describe(err);
                status.set("Could not open " + target + ": " + why);
                ctx.notifier().error("Could not open dataset " + target.getFileName(), why, err);
            }
        });
    }

    /** For text that is not a path at all (a NUL character, say): nothing to scan, only to say so. */
    public void reportBadPath(String text, String reason) {
        status.set("Could not open " + text + ": not a path (" + reason + ")");
        ctx.notifier().error("Could not open dataset", "not a path: " + text, null);
    }

    private record Scanned(Dataset dataset, DatasetSummary summary) {
    }

    public void cancelScan() {
        if (token != null) {
            token.cancel();
        }
    }

    private void accept(Dataset ds, DatasetSummary s) {
        dataset.set(ds);
        summary.set(s);
        utterances.setAll(ds.utterances());
        status.set(String.format(Locale.ROOT, "%s (%s): %d utterances, %.2f h%s", ds.root().getFileName(),
                formatName(ds), s.utterances(), s.totalHours(),
                ds.skipped().isEmpty() ? "" : ", " + ds.skipped().size() + " skipped"));
        ctx.preferences().rememberDataset(ds.root());
        ctx.preferences().save();
        recent.setAll(ctx.preferences().values().recentDatasets);
        updateSplits();
        selected.set(filtered.isEmpty() ? null : filtered.get(0));
    }

    static String formatName(Dataset ds) {
        return switch (ds.format()) {
            case WORKBENCH_CORPUS -> "workbench corpus";
            case FOLDER -> "folder of audio files";
            case LIBRISPEECH -> "LibriSpeech";
            case FAIRSEQ_MANIFEST -> "fairseq manifest";
            case TRANSCRIPTS_TSV -> "transcripts.tsv";
            case KALDI -> "Kaldi data directory";
        };
    }

    // ---- utterances -----------------------------------------------------------------------

    private static Predicate<Utterance> matcher(String text) {
        if (text == null || text.isBlank()) {
            return u -> true;
        }
        String[] words = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
        return u -> {
            String hay = (u.id() + " " + Objects.toString(u.speaker(), "") + " " + Objects.toString(u.split(), "")
                    + " " + Objects.toString(u.transcript(), "")).toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!hay.contains(w)) {
                    return false;
                }
            }
            return true;
        };
    }

    private void loadClip(Utterance u) {
        playback.stop();
        playhead.set(-1);
        if (clipTask != null) {
            clipTask.cancel();
        }
        clip.set(null);
        clipError.set("");
        if (u == null) {
            clipLoading.set(false);
            return;
        }
        clipLoading.set(true);
        clipTask = tasks.submit("Loading " + u.id(), () -> AudioReader.read16k(u.audio()), c -> {
            clipLoading.set(false);
            clip.set(c);
        }, err -> {
            clipLoading.set(false);
            clipError.set("Cannot read " + u.audio().getFileName() + ": " + ErrorMessages.describe(err));
        });
    }

    public void play() {
        AudioClip c = clip.get();
        if (c == null || !playbackUnavailable.get().isEmpty()) {
            return;
        }
        playback.play(c.samples(), pos -> tasks.runOnUi(() -> playhead.set(pos)));
    }

    public void stopPlayback() {
        playback.stop();
        playhead.set(-1);
    }

    // ---- splits ---------------------------------------------------------------------------

    /** Recomputes the split in the background and hands dataset and split to the session. */
    public void updateSplits() {
        Dataset ds = dataset.get();
        var v = ctx.preferences().values();
        v.splitStrategy = strategy.get().name();
        v.validFraction = validPercent.get() / 100;
        v.testFraction = testPercent.get() / 100;
        v.splitSeed = seed.get();
        v.trainSplit = trainOn.get();
        if (ds == null) {
            return;
        }
        SplitChoice choice;
        try {
            choice = new SplitChoice(strategy.get(), validPercent.get() / 100, testPercent.get() / 100, seed.get(),
                    trainOn.get());
        } catch (IllegalArgumentException e) {
            splitError.set(e.getMessage());
            return;
        }
        DatasetSummary s = summary.get();
        tasks.submit("Splitting " + ds.root().getFileName(), () -> choice.apply(ds), splits -> {
            if (dataset.get() != ds) {
                return;
            }
            splitError.set("");
            showSplits(choice, splits);
            ctx.session().setDataset(ds, s, choice, splits);
            trainingUtterances.set(ctx.session().trainingUtterances().size());
        }, err -> {
            if (dataset.get() != ds) {
                return;
            }
            splitError.set(ErrorMessages.describe(err));
            splitRows.clear();
            ctx.session().setDataset(ds, s, choice, null);
            trainingUtterances.set(0);
        });
    }

    private void showSplits(SplitChoice choice, Splits splits) {
        splitRows.clear();
        for (String name : List.of("train", "valid", "test")) {
            List<Utterance> us = splits.get(name);
            double hours = us.stream().mapToDouble(Utterance::seconds).sum() / 3600;
            int speakers = (int) us.stream().map(Utterance::speaker).filter(Objects::nonNull).distinct().count();
            splitRows.add(new SplitRow(name, us.size(), hours, speakers,
                    choice.trainOn().equals(name) || choice.trainOn().equals("all")));
        }
    }

    // ---- properties -----------------------------------------------------------------------

    public StringProperty pathProperty() {
        return path;
    }

    public BooleanProperty scanningProperty() {
        return scanning;
    }

    /** 0..1, or -1 while the total is unknown. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public ObjectProperty<Dataset> datasetProperty() {
        return dataset;
    }

    public ObjectProperty<DatasetSummary> summaryProperty() {
        return summary;
    }

    public ObservableList<String> recent() {
        return recent;
    }

    public ObservableList<Utterance> utterances() {
        return filtered;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Utterance> selectedProperty() {
        return selected;
    }

    public ObjectProperty<AudioClip> clipProperty() {
        return clip;
    }

    public BooleanProperty clipLoadingProperty() {
        return clipLoading;
    }

    public StringProperty clipErrorProperty() {
        return clipError;
    }

    /** The selected utterance's spectrogram and its scale. */
    public SpectrogramModel spectrogram() {
        return spectrogram;
    }

    public DoubleProperty playheadProperty() {
        return playhead;
    }

    /** Empty when audio can be played, else the reason it cannot. */
    public StringProperty playbackUnavailableProperty() {
        return playbackUnavailable;
    }

    public ObjectProperty<DatasetSplitter.Strategy> strategyProperty() {
        return strategy;
    }

    public DoubleProperty validPercentProperty() {
        return validPercent;
    }

    public DoubleProperty testPercentProperty() {
        return testPercent;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public StringProperty trainOnProperty() {
        return trainOn;
    }

    public ObservableList<SplitRow> splitRows() {
        return splitRows;
    }

    public StringProperty splitErrorProperty() {
        return splitError;
    }

    public IntegerProperty trainingUtterancesProperty() {
        return trainingUtterances;
    }

    public void dispose() {
        playback.stop();
        cancelScan();
    }
}
