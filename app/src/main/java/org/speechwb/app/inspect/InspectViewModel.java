package org.speechwb.app.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.audio.SpectrogramModel;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.inspect.Inspection;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.inspect.Inspector;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.RunFolder;

/**
 * State of the Inspect screen: which utterance and checkpoint, the decoded audio, and the
 * model's inspection of it. All engine work (reading audio, loading a model, running it) happens
 * on {@code worker}; results come back through {@link Platform#runLater} and stale results
 * (the user picked something else meanwhile) are dropped by a generation counter.
 *
 * <p>A pre-training checkpoint gives an {@link Inspection} (mask, codes, predictions); a
 * fine-tuned (CTC) checkpoint gives a {@link CtcInspection} (posteriorgram, transcripts, forced
 * alignment). Exactly one of the two is set for a finished inspection.
 */
public final class InspectViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(InspectViewModel.class);

    /** A checkpoint the user can inspect ({@code best} for a fine-tuning run's best checkpoint on validation). */
    public record CheckpointChoice(Path file, String runId, int update) {
        @Override
        public String toString() {
            return runId + " · " + (file.getFileName().toString().equals("best.ckpt") ? "best on validation"
                    : "update " + update);
        }
    }

    /**
     * Tiers a pre-training checkpoint cannot fill: drawn as unavailable so nobody mistakes an
     * empty tier for "the model found nothing".
     */
    public static final List<InspectionCanvas.UnavailableTier> FINE_TUNING_TIERS = List.of(
            new InspectionCanvas.UnavailableTier("CTC posteriorgram", "pick a fine-tuned (CTC) checkpoint"),
            new InspectionCanvas.UnavailableTier("recognised text", "pick a fine-tuned (CTC) checkpoint"),
            new InspectionCanvas.UnavailableTier("forced alignment", "pick a fine-tuned (CTC) checkpoint"));

    private final Executor worker;
    private final SpectrogramModel spectrogram;
    private final ObservableList<Utterance> utterances = FXCollections.observableArrayList();
    private final ObjectProperty<Utterance> utterance = new SimpleObjectProperty<>(this, "utterance");
    private final ObservableList<CheckpointChoice> checkpoints = FXCollections.observableArrayList();
    private final ObjectProperty<CheckpointChoice> checkpoint = new SimpleObjectProperty<>(this, "checkpoint");
    private final ReadOnlyObjectWrapper<float[]> audio = new ReadOnlyObjectWrapper<>(this, "audio");
    private final ReadOnlyObjectWrapper<Inspection> inspection = new ReadOnlyObjectWrapper<>(this, "inspection");
    private final ReadOnlyObjectWrapper<CtcInspection> ctc = new ReadOnlyObjectWrapper<>(this, "ctc");
    private final LongProperty maskSeed = new SimpleLongProperty(this, "maskSeed", 1);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final AtomicLong audioGeneration = new AtomicLong();
    private final AtomicLong inspectGeneration = new AtomicLong();
    private final java.util.Random seeds = new java.util.Random();
    private int pending;

    /** Touched only on the worker: the loaded model is reused while the checkpoint stays the same. */
    private Inspector loaded;
    /** Touched only on the worker: the fine-tuned model, reused likewise. */
    private Recognizer recognizer;

    public InspectViewModel(Executor worker) {
        this(worker, new SpectrogramModel(ForkJoinPool.commonPool(), Platform::runLater));
    }

    /** @param spectrogram computes the spectrogram apart from {@code worker}, which may be busy with a model */
    public InspectViewModel(Executor worker, SpectrogramModel spectrogram) {
        this.worker = Objects.requireNonNull(worker);
        this.spectrogram = Objects.requireNonNull(spectrogram);
        spectrogram.audioProperty().bind(audio);
        utterance.addListener((o, a, b) -> loadAudio());
        checkpoint.addListener((o, a, b) -> runInspection());
    }

    public ObservableList<Utterance> utterances() {
        return utterances;
    }

    public ObjectProperty<Utterance> utteranceProperty() {
        return utterance;
    }

    public ObservableList<CheckpointChoice> checkpoints() {
        return checkpoints;
    }

    public ObjectProperty<CheckpointChoice> checkpointProperty() {
        return checkpoint;
    }

    /** The current audio's spectrogram and its scale. */
    public SpectrogramModel spectrogram() {
        return spectrogram;
    }

    public ReadOnlyObjectProperty<float[]> audioProperty() {
        return audio.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Inspection> inspectionProperty() {
        return inspection.getReadOnlyProperty();
    }

    /** The CTC view of the current utterance, when the checkpoint is a fine-tuned one. */
    public ReadOnlyObjectProperty<CtcInspection> ctcProperty() {
        return ctc.getReadOnlyProperty();
    }

    public LongProperty maskSeedProperty() {
        return maskSeed;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A readable message when the last action failed; empty otherwise. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Lists every checkpoint of the given runs (newest run first, newest checkpoint first). */
    public void setRuns(List<RunFolder> runs) {
        listCheckpoints(() -> runs, null);
    }

    /**
     * Lists the checkpoints of every run under {@code runsRoot} plus {@code extra} (a run kept
     * elsewhere), in the background; then selects the newest checkpoint of {@code prefer} if given.
     */
    public void refreshRuns(Path runsRoot, RunFolder extra, RunFolder prefer) {
        listCheckpoints(() -> {
            List<RunFolder> runs = new ArrayList<>(new org.speechwb.engine.run.RunStore(runsRoot).list());
            if (extra != null && runs.stream().noneMatch(r -> r.dir().equals(extra.dir()))) {
                runs.add(0, extra);
            }
            return runs;
        }, prefer);
    }

    private void listCheckpoints(Job<List<RunFolder>> runLister, RunFolder prefer) {
        submit(() -> {
            List<RunFolder> runs = runLister.call();
            List<CheckpointChoice> out = new ArrayList<>();
            for (RunFolder r : runs) {
                try {
                    if (java.nio.file.Files.isRegularFile(r.bestCheckpointFile())) {
                        out.add(bestChoice(r));
                    }
                    List<Path> all = r.checkpoints();
                    for (int i = all.size() - 1; i >= 0; i--) {
                        out.add(new CheckpointChoice(all.get(i), r.id(), RunFolder.updateOf(all.get(i))));
                    }
                } catch (IOException e) {
                    LOG.warn("cannot list checkpoints of {}: {}", r.dir(), e.getMessage());
                }
            }
            return out;
        }, list -> {
            CheckpointChoice keep = checkpoint.get();
            if (!checkpoints.equals(list)) {
                checkpoints.setAll(list);
            }
            // a checkpoint picked explicitly (Runs → Inspect) wins over "newest of the preferred run"
            boolean keepIt = keep != null && list.contains(keep)
                    && (prefer == null || keep.file().startsWith(prefer.dir()));
            if (keepIt) {
                checkpoint.set(keep);
                return;
            }
            if (prefer != null) {
                java.util.Optional<CheckpointChoice> newest = list.stream()
                        .filter(c -> c.file().startsWith(prefer.dir())).findFirst();
                if (newest.isPresent()) {
                    checkpoint.set(newest.get());
                    return;
                }
            }
            if (keep != null && list.contains(keep)) {
                checkpoint.set(keep);
                return;
            }
            checkpoint.set(list.isEmpty() ? null : list.get(0));
        }, "list checkpoints");
    }

    private static CheckpointChoice bestChoice(RunFolder r) {
        int update = -1;
        try {
            update = Checkpoint.readMeta(r.bestCheckpointFile()).update();
        } catch (CheckpointException e) {
            // listed anyway: inspecting it will say what is wrong with it
        }
        return new CheckpointChoice(r.bestCheckpointFile(), r.id(), update);
    }

    /** Selects a checkpoint file directly (e.g. the one chosen on the Runs screen). */
    public void selectCheckpoint(Path file, String runId) {
        CheckpointChoice c = new CheckpointChoice(file, runId, RunFolder.updateOf(file));
        if (!checkpoints.contains(c)) {
            checkpoints.add(0, c);
        }
        checkpoint.set(c);
    }

    /** Draws a new mask (and distractors) for the same utterance and checkpoint. */
    public void resampleMask() {
        maskSeed.set(1 + (seeds.nextLong() & 0x7fffffffL));
        runInspection();
    }

    /** Runs the model again with the current selection. */
    public void refresh() {
        runInspection();
    }

    private void loadAudio() {
        Utterance u = utterance.get();
        long gen = audioGeneration.incrementAndGet();
        inspectGeneration.incrementAndGet();
        audio.set(null);
        inspection.set(null);
        ctc.set(null);
        if (u == null) {
            return;
        }
        submit(() -> AudioReader.read16k(u.audio()).samples(), samples -> {
            if (gen != audioGeneration.get()) {
                return;
            }
            audio.set(samples);
            status.set(String.format(Locale.ROOT, "%s: %.2f s", u.id(), samples.length / 16000.0));
            runInspection();
        }, "read " + u.id());
    }

    private void runInspection() {
        Utterance u = utterance.get();
        CheckpointChoice c = checkpoint.get();
        float[] samples = audio.get();
        long gen = inspectGeneration.incrementAndGet();
        if (u == null || c == null || samples == null) {
            inspection.set(null);
            ctc.set(null);
            return;
        }
        long seed = maskSeed.get();
        submit(() -> {
            // the header says which kind of model it is; reading it is cheap next to loading one
            var meta = Checkpoint.readMeta(c.file());
            String family = familyOf(meta.config());
            if (!family.equals(PretrainConfig.WAV2VEC2)) {
                // the Inspector builds a wav2vec 2.0 model: there are no masks, quantized targets
                // or Transformer layers to show for the other families
                return new OtherFamily(family, meta.update());
            }
            if (meta.vocabulary() != null) {
                if (recognizer == null || !recognizer.checkpoint().equals(c.file())) {
                    loaded = null;
                    recognizer = null; // let the old model go before the new one is allocated
                    recognizer = Recognizer.open(c.file());
                }
                return CtcInspection.of(recognizer, u.id(), u.transcript(), samples);
            }
            if (loaded == null || !loaded.checkpoint().equals(c.file())) {
                loaded = null;
                recognizer = null;
                loaded = Inspector.open(c.file());
            }
            return loaded.inspect(u.id(), samples, seed);
        }, result -> {
            if (gen != inspectGeneration.get()) {
                return;
            }
            if (result instanceof OtherFamily of) {
                inspection.set(null);
                ctc.set(null);
                status.set(of.message());
                return;
            }
            if (result instanceof CtcInspection ci) {
                inspection.set(null);
                ctc.set(ci);
                status.set(ctcStatus(ci));
                return;
            }
            Inspection in = (Inspection) result;
            ctc.set(null);
            inspection.set(in);
            long masked = 0;
            for (boolean m : in.masked()) {
                masked += m ? 1 : 0;
            }
            boolean clusters = loaded != null && loaded.config().loss().clusterTargets();
            status.set(String.format(Locale.ROOT, "%s: %.2f s, %d frames, %d masked in %d spans · accuracy %.1f %% "
                    + (clusters ? "· MFCC-cluster prediction %.2f bits · cluster perplexity %.1f"
                    : "· contrastive %.2f bits · code perplexity %.1f") + " · mask seed %d", u.id(),
                    in.samples() / 16000.0,
                    in.frames(), masked, in.maskSpans().size(), 100 * in.accuracy(), in.contrastiveBits(),
                    in.codePerplexity(), in.maskSeed()));
        }, "inspect " + u.id() + " with " + c);
    }

    /** A checkpoint of a family the Inspector cannot open. */
    record OtherFamily(String family, int update) {
        String message() {
            String name = family.equals(PretrainConfig.VQ_WAV2VEC) ? "vq-wav2vec" : "wav2vec 1.0";
            return "This is a " + name + " checkpoint (update " + update + "). Inspection of masks, codes and"
                    + " Transformer layers is for wav2vec 2.0 checkpoints; " + name + " has no masking. Its"
                    + " features can be exported with `speechwb extract-features`.";
        }
    }

    /** The family stored in a checkpoint's config, read as a tree so a config of any family parses. */
    static String familyOf(String yaml) throws IOException {
        var node = ConfigIO.yaml().readTree(yaml);
        String f = node == null ? null : node.path("family").asText(null);
        return f == null || f.isBlank() ? PretrainConfig.WAV2VEC2 : f.toLowerCase(Locale.ROOT);
    }

    static String ctcStatus(CtcInspection c) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %.2f s, %d CTC frames · update %d",
                c.utteranceId(), c.samples() / 16000.0, c.frames(), c.update()));
        if (!c.reference().isBlank()) {
            sb.append(String.format(Locale.ROOT, " · greedy WER %.1f %%", 100 * c.greedyDiff().counts().rate()));
            if (c.beamDiff() != null) {
                sb.append(String.format(Locale.ROOT, " · beam WER %.1f %%", 100 * c.beamDiff().counts().rate()));
            }
        }
        if (c.alignment() != null) {
            sb.append(String.format(Locale.ROOT, " · alignment %.2f nats/frame", c.alignment().logProbPerFrame()));
        } else if (c.alignmentProblem() != null) {
            sb.append(" · no forced alignment: ").append(c.alignmentProblem());
        }
        return sb.toString();
    }

    private interface Job<T> {
        T call() throws Exception;
    }

    private <T> void submit(Job<T> job, Consumer<T> onFx, String what) {
        pending++;
        busy.set(true);
        error.set("");
        worker.execute(() -> {
            T result = null;
            String failure = null;
            try {
                result = job.call();
            } catch (OutOfMemoryError e) {
                loaded = null;
                recognizer = null;
                failure = "Out of memory while trying to " + what + ". Close other runs or give the workbench more"
                        + " memory (-Xmx).";
            } catch (CheckpointException e) {
                failure = "Cannot use the checkpoint: " + e.getMessage();
            } catch (IOException e) {
                failure = "Cannot " + what + ": " + e.getMessage();
            } catch (IllegalArgumentException e) {
                failure = "Cannot " + what + ": " + e.getMessage();
            } catch (Exception | LinkageError e) {
                LOG.error("failed to {}", what, e);
                failure = "Cannot " + what + ": " + e;
            }
            T r = result;
            String f = failure;
            if (f != null) {
                LOG.warn(f);
            }
            Platform.runLater(() -> {
                pending--;
                busy.set(pending > 0);
                if (f != null) {
                    error.set(f);
                } else {
                    onFx.accept(r);
                }
            });
        });
    }
}
