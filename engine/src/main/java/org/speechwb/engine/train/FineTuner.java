package org.speechwb.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.interop.tensorboard.TensorBoardMirror;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.ctc.CtcLoss;
import org.speechwb.engine.ctc.CtcLossOutput;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.ctc.Hypothesis;
import org.speechwb.engine.ctc.LogProbs;
import org.speechwb.engine.data.AudioBatch;
import org.speechwb.engine.data.AudioCache;
import org.speechwb.engine.data.BatchPosition;
import org.speechwb.engine.data.BatchStream;
import org.speechwb.engine.data.FinetuneBatcher;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.eval.UtteranceScore;
import org.speechwb.engine.model.w2v2.SpanMaskSampler;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.util.Seeds;

/**
 * CTC fine-tuning of wav2vec 2.0 (fairseq's audio_finetuning with the ctc criterion, loss
 * averaged per utterance): padded batches, time and channel masking, LayerDrop, the CTC head
 * alone for the first {@code freezeUpdates} updates, then the Transformer with the feature
 * encoder frozen, tri-stage learning rate; greedy-decoding WER on the validation utterances
 * every {@code validationInterval} updates, with the best checkpoint kept as {@code best.ckpt}.
 * With an empty {@code pretrained} the same code trains from random initialisation (the
 * baseline of the low-resource experiment). Utterances whose transcripts need more CTC frames
 * than their audio has are left out of the loss and reported.
 */
public final class FineTuner extends TrainingLoop {

    private static final int GC_INTERVAL = 50;

    private final List<Utterance> train;
    private final List<Utterance> valid;
    private final int untranscribedValid;

    public FineTuner(RunFolder run, List<Utterance> train, List<Utterance> valid, TrainingListener listener,
                     Integer maxUpdates) {
        super(run, listener, maxUpdates);
        this.train = List.copyOf(train);
        // validation speakers often also have untranscribed recordings: score only what can be scored
        this.valid = valid.stream().filter(Utterance::labeled).toList();
        this.untranscribedValid = valid.size() - this.valid.size();
    }

    /** Validation utterances left out because they have no transcript. */
    public int untranscribedValidation() {
        return untranscribedValid;
    }

    /** The vocabulary a config asks for: shipped English letters, built from transcripts, or a file. */
    public static Vocabulary resolveVocabulary(FinetuneConfig cfg, List<Utterance> train) throws IOException {
        return switch (cfg.vocabulary()) {
            case "english-letters" -> Vocabulary.englishLetters();
            case "transcripts" -> Vocabulary.fromTranscripts(train.stream()
                    .map(u -> TranscriptNormalizer.normalize(u.transcript())).toList(), false);
            default -> Vocabulary.load(Path.of(cfg.vocabulary()));
        };
    }

    /** Weights of a pre-training checkpoint (or run), after checking the architecture matches. */
    public static Map<String, INDArray> pretrainedWeights(FinetuneConfig cfg) throws CheckpointException, IOException {
        Path p = Path.of(cfg.pretrained());
        Path file = p;
        if (java.nio.file.Files.isDirectory(p)) {
            List<Path> all = new RunFolder(p).checkpoints();
            if (all.isEmpty()) {
                throw new CheckpointException(p, "the pre-training run has no checkpoint", null);
            }
            file = all.get(all.size() - 1);
        }
        Checkpoint.Loaded c = Checkpoint.read(file);
        PretrainConfig pre;
        try {
            pre = ConfigIO.readYaml(c.meta().config(), PretrainConfig.class, file);
        } catch (ConfigException e) {
            throw new CheckpointException(file, "not a wav2vec 2.0 pre-training checkpoint: " + e.getMessage(), e);
        }
        if (!sameShape(pre.wav2vec2(), cfg.wav2vec2())) {
            throw new CheckpointException(file, "the fine-tuning architecture differs from the pre-trained one (it must"
                    + " match in feature encoder, dimensions, heads and positional convolution, and have at most its "
                    + pre.wav2vec2().layers() + " Transformer layers); take the wav2vec2 section of the pre-training config",
                    null);
        }
        Map<String, INDArray> out = new HashMap<>();
        for (int i = 0; i < c.meta().tensors().size(); i++) {
            out.put(c.meta().tensors().get(i).name(), c.params().get(i));
        }
        return out;
    }

    /**
     * Whether fine-tuning config {@code ft} can start from pre-trained {@code pre}: the same network,
     * or its lowest Transformer layers only. Keeping fewer layers is there because layer probes of
     * short pre-training found the letter information low in the network and the top layers worse
     * than random (docs/experiment.md); the layers above are then dropped, as when a probe reads a
     * lower layer.
     */
    static boolean sameShape(Wav2Vec2Config pre, Wav2Vec2Config ft) {
        return pre.convLayers().equals(ft.convLayers()) && pre.extractorMode() == ft.extractorMode()
                && pre.convBias() == ft.convBias() && pre.modelDim() == ft.modelDim() && pre.ffnDim() == ft.ffnDim()
                && ft.layers() >= 1 && ft.layers() <= pre.layers() && pre.heads() == ft.heads()
                && pre.layerNormFirst() == ft.layerNormFirst() && pre.posConvKernel() == ft.posConvKernel()
                && pre.posConvGroups() == ft.posConvGroups();
    }

    @Override
    protected RunState train() throws IOException, ConfigException, CheckpointException {
        Backends.init();
        FinetuneConfig cfg = run.finetuneConfig();
        int maxUpdates = maxUpdatesOverride != null ? maxUpdatesOverride : cfg.run().maxUpdates();
        long seed = cfg.run().seed();
        Vocabulary vocab = resolveVocabulary(cfg, train);
        Wav2Vec2CtcModel model = new Wav2Vec2CtcModel(cfg.wav2vec2(), vocab.size(), cfg.finalDropout(), seed,
                DataType.FLOAT);
        AdamW adam = new AdamW(cfg.optimizer(), model.params().list());
        LrSchedule schedule = new LrSchedule(cfg.optimizer(), maxUpdates);

        int update = 0;
        BatchPosition position = BatchPosition.start(0);
        double bestWer = Double.NaN;
        double bestCer = Double.NaN;
        Resumed resumed = resume(model.params().list(), adam);
        if (resumed != null) {
            update = resumed.update();
            position = resumed.position();
            retainUpTo(run.metricsFile(), FinetuneMetrics.class, FinetuneMetrics::update, update);
            retainUpTo(run.validationFile(), ValidationResult.class, ValidationResult::update, update);
            try (MetricsLog<ValidationResult> v = new MetricsLog<>(run.validationFile(), ValidationResult.class,
                     new TensorBoardMirror(run.tensorboardDir(), "valid", update))) {
                for (ValidationResult r : v.readAll()) {
                    if (cfg.selection().better(r.wer(), r.cer(), bestWer, bestCer)) {
                        bestWer = r.wer();
                        bestCer = r.cer();
                    }
                }
            }
        } else if (!cfg.fromScratch()) {
            List<String> copied = model.loadPretrained(pretrainedWeights(cfg));
            run.log("initialised " + copied.size() + " of " + model.params().list().size() + " tensors from "
                    + cfg.pretrained());
        }

        if (untranscribedValid > 0) {
            run.log("validation: left out " + untranscribedValid + " utterance(s) without a transcript; validating on "
                    + valid.size());
        }
        if (!run.hasUtterances("train")) {
            run.writeUtterances("train", train);
            run.writeUtterances("valid", valid);
        }
        FinetuneBatcher batcher = new FinetuneBatcher(train, cfg.data().batching(seed),
                new AudioCache((long) cfg.data().cacheMegabytes() << 20));
        if (batcher.batchesInEpoch(0) == 0) {
            return fail("no fine-tuning batches: no labeled utterance fits data.minSampleSize..maxSampleSize", null, update);
        }
        Arena arena = new Arena(DataType.FLOAT);
        Random nativeRng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        Ctx ctx = new Ctx(arena, true, nativeRng);
        Ctx evalCtx = new Ctx(arena, false, nativeRng);
        CtcLoss ctc = new CtcLoss(vocab.blank());
        SpanMaskSampler timeMask = new SpanMaskSampler(cfg.masking().maskProb(), cfg.masking().maskLength(),
                cfg.masking().minMasks(), false);
        SpanMaskSampler channelMask = new SpanMaskSampler(cfg.channelMaskProb(), cfg.channelMaskLength(), 0, true);
        Set<String> warnedInfeasible = new HashSet<>();

        try (BatchStream stream = batcher.stream(position);
             MetricsLog<FinetuneMetrics> metrics = new MetricsLog<>(run.metricsFile(), FinetuneMetrics.class,
                     new TensorBoardMirror(run.tensorboardDir(), "train", update));
             MetricsLog<ValidationResult> validation = new MetricsLog<>(run.validationFile(), ValidationResult.class,
                     new TensorBoardMirror(run.tensorboardDir(), "valid", update))) {
            setState(RunState.RUNNING, resumed == null ? "started" : "resumed at update " + update, update, maxUpdates);
            listener.onEvent(new TrainingEvent.Started(run.id(), run.dir(), Backends.describe().toString(),
                    model.params().count(), update, maxUpdates));
            long startNanos = System.nanoTime();
            int lastCheckpoint = update;
            GuardedStep guard = new GuardedStep(this, adam, cfg.optimizer().clipNorm(), cfg.run().nanTolerance());
            while (update < maxUpdates) {
                if (waitWhilePaused(update, maxUpdates)) {
                    break;
                }
                long t0 = System.nanoTime();
                Wav2Vec2CtcModel.Train depth = update < cfg.freezeUpdates() ? Wav2Vec2CtcModel.Train.HEAD
                        : cfg.freezeFeatureEncoder() ? Wav2Vec2CtcModel.Train.TRANSFORMER : Wav2Vec2CtcModel.Train.ALL;
                AudioBatch batch = stream.next();
                SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, update, 1));
                nativeRng.setSeed(Seeds.mix(seed, update, 2));
                int frames = model.framesFor(batch.length());
                int[] frameLengths = new int[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    frameLengths[i] = Math.min(frames, model.framesFor(batch.lengths()[i]));
                }
                boolean[][] tmask = cfg.masking().maskProb() > 0 && frames > cfg.masking().maskLength() + 1
                        ? maskWithin(timeMask, batch.size(), frames, frameLengths, cfg.masking().maskLength(), rng) : null;
                boolean[][] cmask = cfg.channelMaskProb() > 0
                        ? channelMask.sample(batch.size(), cfg.wav2vec2().modelDim(), null, rng) : null;
                boolean[] active = new boolean[cfg.wav2vec2().layers()];
                for (int l = 0; l < active.length; l++) {
                    active[l] = rng.nextDouble() >= cfg.wav2vec2().layerDrop();
                }
                INDArray wave = arena.get("input.wave", batch.size(), batch.length());
                try (INDArray host = Nd4j.create(batch.flat(), new long[] {batch.size(), batch.length()}, 'c')) {
                    wave.assign(host);
                }
                model.params().zeroGrads();
                INDArray logits = model.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, batch.lengths(), tmask, cmask,
                        active));
                int[][] labels = new int[batch.size()][];
                for (int i = 0; i < batch.size(); i++) {
                    labels[i] = vocab.encode(TranscriptNormalizer.normalize(batch.transcripts().get(i)), false);
                }
                CtcLossOutput out = ctc.forward(logits, model.frameLengths(), labels);
                for (int b : out.unusable()) {
                    Utterance u = batch.utterances().get(b);
                    if (warnedInfeasible.add(u.id())) {
                        warn(TrainingEvent.Warning.Kind.DATA, u.id() + " (" + u.audio() + ") is left out: its transcript"
                                + " needs " + out.requiredFrames(b) + " CTC frames but the audio gives "
                                + out.inputLength(b), update);
                    }
                }
                double loss = out.usableCount() == 0 ? Double.NaN : out.mean();
                if (out.usableCount() > 0) {
                    model.backward(ctx, out.gradientOfMean(), depth);
                }
                Set<String> frozen = new HashSet<>();
                Set<String> trained = new HashSet<>();
                for (Param p : model.trainable(depth)) {
                    trained.add(p.name());
                }
                for (Param p : model.params().list()) {
                    if (!trained.contains(p.name()) || skippedLayer(p.name(), active)) {
                        frozen.add(p.name());
                    }
                }
                double gradNorm = adam.gradNorm();
                double lr = schedule.at(update);
                boolean finite = guard.apply(loss, gradNorm, lr, frozen, update);
                if (finite) {
                    update++;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                FinetuneMetrics m = new FinetuneMetrics(finite ? update : update + 1, batch.position().epoch(), loss, lr,
                        gradNorm, depth.name().toLowerCase(Locale.ROOT), batch.samples() / 16000.0 / seconds,
                        Backends.residentBytes() / 1048576.0, seconds, (System.nanoTime() - startNanos) / 1e9, !finite,
                        batch.size(), batch.size() - out.usableCount());
                metrics.append(m);
                listener.onEvent(new TrainingEvent.FinetuneUpdated(m));
                if (!finite && guard.exhausted()) {
                    return fail(guard.failureMessage(update), null, update);
                }
                boolean validate = finite && !valid.isEmpty() && (update == maxUpdates
                        || (cfg.validationInterval() > 0 && update % cfg.validationInterval() == 0));
                if (validate) {
                    long v0 = System.nanoTime();
                    SplitSummary s = evaluate(model, vocab, evalCtx, valid, cfg);
                    boolean best = cfg.selection().better(s.wer(), s.cer(), bestWer, bestCer);
                    ValidationResult r = new ValidationResult(update, s.wer(), s.cer(),
                            s.utterances(), best, (System.nanoTime() - v0) / 1e9);
                    validation.append(r);
                    run.log(String.format(Locale.ROOT, "validation at update %d: WER %.2f %%, CER %.2f %%%s", update,
                            100 * r.wer(), 100 * r.cer(), best ? " (best)" : ""));
                    listener.onEvent(new TrainingEvent.Validated(r));
                    if (best) {
                        bestWer = r.wer();
                        bestCer = r.cer();
                        saveCheckpoint(cfg, model, adam, vocab, update, stream.position(), run.bestCheckpointFile(),
                                maxUpdates);
                    }
                }
                if (finite && (update % cfg.run().checkpointInterval() == 0 || update == maxUpdates)) {
                    saveCheckpoint(cfg, model, adam, vocab, update, stream.position(), run.checkpointFile(update),
                            maxUpdates);
                    lastCheckpoint = update;
                }
                if (update % GC_INTERVAL == 0) {
                    System.gc();
                }
                if (stopRequested) {
                    break;
                }
            }
            if (update < maxUpdates) {
                setState(RunState.STOPPING, "stopping: writing a checkpoint", update, maxUpdates);
                if (update > lastCheckpoint) {
                    saveCheckpoint(cfg, model, adam, vocab, update, stream.position(), run.checkpointFile(update),
                            maxUpdates);
                }
                setState(RunState.STOPPED, "stopped at update " + update + " of " + maxUpdates, update, maxUpdates);
            } else {
                setState(RunState.FINISHED, "finished " + update + " updates", update, maxUpdates);
            }
            return state;
        } finally {
            arena.clear();
        }
    }

    /** Time masks only where a span fits inside an utterance's own frames. */
    private static boolean[][] maskWithin(SpanMaskSampler sampler, int batch, int frames, int[] lengths, int span,
                                          SplittableRandom rng) {
        int[] usable = new int[batch];
        for (int i = 0; i < batch; i++) {
            usable[i] = lengths[i] > span + 1 ? lengths[i] : 0;
        }
        return sampler.sample(batch, frames, usable, rng);
    }

    private static boolean skippedLayer(String name, boolean[] active) {
        for (int l = 0; l < active.length; l++) {
            if (!active[l] && name.startsWith(org.speechwb.engine.model.w2v2.TransformerLayer.layerPrefix(l))) {
                return true;
            }
        }
        return false;
    }

    private void saveCheckpoint(FinetuneConfig cfg, Wav2Vec2CtcModel model, AdamW adam, Vocabulary vocab, int update,
                                BatchPosition next, Path file, int maxUpdates) throws IOException {
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, "wav2vec2-ctc", update, next.epoch(), next.index(),
                cfg.run().seed(), model.params().dtype().name(), Checkpoint.describe(model.params().list()),
                adam.steps().clone(), null, Provenance.now(), ConfigIO.toYaml(cfg), provenanceJson(), vocab.tokens());
        if (file.equals(run.bestCheckpointFile())) {
            Checkpoint.write(file, meta, model.params().list(), adam.firstMoments(), adam.secondMoments());
            run.log("best checkpoint at update " + update);
        } else {
            saveCheckpoint(file, meta, model.params().list(), adam, cfg.run().keepCheckpoints(), maxUpdates);
        }
    }

    /** Greedy decoding WER/CER of {@code utterances} in evaluation mode. */
    static SplitSummary evaluate(Wav2Vec2CtcModel model, Vocabulary vocab, Ctx ctx, List<Utterance> utterances,
                                 FinetuneConfig cfg) {
        FinetuneBatcher batcher = new FinetuneBatcher(utterances, cfg.data().batching(0).withNormalize(cfg.data().normalize()),
                new AudioCache(64L << 20));
        GreedyDecoder greedy = new GreedyDecoder(vocab);
        boolean[] all = new boolean[model.config().layers()];
        java.util.Arrays.fill(all, true);
        List<UtteranceScore> scores = new ArrayList<>();
        int batches = batcher.batchesInEpoch(0);
        for (int i = 0; i < batches; i++) {
            AudioBatch batch = batcher.batch(new BatchPosition(0, i));
            INDArray wave = ctx.arena().get("eval.wave", batch.size(), batch.length());
            try (INDArray host = Nd4j.create(batch.flat(), new long[] {batch.size(), batch.length()}, 'c')) {
                wave.assign(host);
            }
            INDArray logits = model.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, batch.lengths(), null, null, all));
            int[] lengths = model.frameLengths();
            for (int b = 0; b < batch.size(); b++) {
                Hypothesis h = greedy.decode(LogProbs.utterance(logits, b, lengths[b]));
                Utterance u = batch.utterances().get(b);
                scores.add(UtteranceScore.of(u.id(), "valid", TranscriptNormalizer.normalize(u.transcript()), h.text()));
            }
        }
        return new ScoreReport(scores, List.of(), List.of()).overall();
    }
}
