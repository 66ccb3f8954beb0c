package org.speechwb.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.interop.tensorboard.TensorBoardMirror;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.LossConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.AudioBatch;
import org.speechwb.engine.data.AudioCache;
import org.speechwb.engine.data.BatchPosition;
import org.speechwb.engine.data.BatchStream;
import org.speechwb.engine.data.GainJitter;
import org.speechwb.engine.data.PretrainBatcher;
import org.speechwb.engine.data.SkippedFile;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v2.MfccClusters;
import org.speechwb.engine.model.w2v2.NegativeSampler;
import org.speechwb.engine.model.w2v2.SpanMaskSampler;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.CodebookUsage;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.util.Seeds;

/**
 * The wav2vec 2.0 pre-training loop, hand-written for full control (the notes explain why
 * SameDiff's fit() is not used): Adam with decoupled weight decay, warm-up and decay
 * schedule, global gradient-norm clipping, gradient accumulation normalised by the masked
 * frame count, and reproducible randomness.
 *
 * <p>Every random choice of update u (masks, distractors, LayerDrop, dropout and Gumbel noise)
 * is drawn from generators seeded by (seed, u), and batch u comes from a position the batcher
 * can seek to, so a run stopped after a checkpoint and resumed computes the same updates as an
 * uninterrupted one. {@link #requestPause()}, {@link #requestResume()} and
 * {@link #requestStop()} may be called from any thread and take effect between updates; a
 * stop writes a checkpoint first.
 */
public final class Pretrainer extends TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);
    private static final int CODEBOOK_WINDOW = 10;
    /** Updates between explicit garbage collections (frees ND4J's small per-view native buffers). */
    private static final int GC_INTERVAL = 50;
    /** Model frames the MFCC k-means is fitted on (33 minutes of audio): a sample, as fairseq's simple_kmeans takes. */
    static final int CLUSTER_FIT_FRAMES = 100_000;

    private final List<Utterance> utterances;

    /**
     * @param run          a run folder holding config.yaml (and, to resume, checkpoints)
     * @param utterances   the training utterances
     * @param maxUpdates   overrides run.maxUpdates of the config (to extend a finished run), or null
     */
    public Pretrainer(RunFolder run, List<Utterance> utterances, TrainingListener listener, Integer maxUpdates) {
        super(run, listener, maxUpdates);
        this.utterances = List.copyOf(utterances);
    }

    /**
     * Continued pre-training: starts {@code run} (not yet trained) from the weights of another
     * wav2vec 2.0 pre-training checkpoint, such as an imported Hugging Face or fairseq model. They
     * become the run's update-0 checkpoint with a fresh optimiser, so the run trains on its own
     * data from there and resumes like any other. The run's architecture must match the weights.
     */
    public static void initialiseFrom(RunFolder run, Path checkpointOrRun)
            throws IOException, ConfigException, CheckpointException {
        Path file = RunFolder.newestCheckpoint(checkpointOrRun);
        Checkpoint.Loaded src = Checkpoint.read(file);
        if (src.meta().vocabulary() != null || !PretrainConfig.WAV2VEC2.equals(src.meta().family())) {
            throw new CheckpointException(file, "continued pre-training needs a wav2vec 2.0 pre-training checkpoint;"
                    + " this one is " + (src.meta().vocabulary() != null ? "a fine-tuned CTC model" : src.meta().family()),
                    null);
        }
        if (!run.checkpoints().isEmpty()) {
            throw new IllegalStateException(run.dir() + " already has checkpoints; initialise only a new run");
        }
        PretrainConfig cfg = run.config();
        Wav2Vec2Model model = new Wav2Vec2Model(cfg.wav2vec2(), cfg.run().seed(), DataType.FLOAT, cfg.loss());
        Checkpoint.restoreParams(src, model.params().list());
        List<Param> list = model.params().list();
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, cfg.family(), 0, 0, 0, cfg.run().seed(),
                model.params().dtype().name(), Checkpoint.describe(list), new long[list.size()], null,
                Provenance.now(), ConfigIO.toYaml(cfg), ConfigIO.json().writeValueAsString(run.provenance()), null);
        Checkpoint.writeFresh(run.checkpointFile(0), meta, list);
        run.log("initialised from " + file.toAbsolutePath() + " (update " + src.meta().update() + ")");
    }

    @Override
    protected RunState train() throws IOException, ConfigException, CheckpointException {
        Backends.init();
        PretrainConfig cfg = run.config();
        if (cfg.isWav2Vec1()) {
            return new Wav2Vec1Pretraining(this, utterances).train(cfg);
        }
        int maxUpdates = maxUpdatesOverride != null ? maxUpdatesOverride : cfg.run().maxUpdates();
        long seed = cfg.run().seed();
        Backends.Info device = Backends.describe();

        Wav2Vec2Model model = new Wav2Vec2Model(cfg.wav2vec2(), seed, DataType.FLOAT, cfg.loss());
        AdamW adam = new AdamW(cfg.optimizer(), model.params().list());
        LrSchedule schedule = new LrSchedule(cfg.optimizer(), maxUpdates);
        HealthMonitor health = HealthMonitor.forConfig(cfg);

        int update = 0;
        BatchPosition position = BatchPosition.start(0);
        Resumed resumed = resume(model.params().list(), adam);
        if (resumed != null) {
            update = resumed.update();
            position = resumed.position();
            retainUpTo(run.metricsFile(), UpdateMetrics.class, UpdateMetrics::update, update);
            retainUpTo(run.codebookFile(), CodebookUsage.class, CodebookUsage::update, update);
        }

        if (!run.hasUtterances("train")) {
            run.writeUtterances("train", utterances);
        }
        PretrainBatcher batcher = new PretrainBatcher(utterances, cfg.data().batching(seed),
                new AudioCache((long) cfg.data().cacheMegabytes() << 20));
        if (batcher.batchesInEpoch(0) == 0) {
            return fail("no training batches: every utterance is shorter than data.minSampleSize ("
                    + cfg.data().minSampleSize() + " samples) or the dataset is empty", null, update);
        }
        if (!batcher.dropped().isEmpty()) {
            warn(TrainingEvent.Warning.Kind.DATA, batcher.dropped().size() + " utterances shorter than data.minSampleSize"
                    + " are not used", update);
        }

        MfccClusters targets = null;
        if (model.predictsClusters()) {
            if (resumed == null) {
                long t0 = System.nanoTime();
                setState(RunState.RUNNING, "fitting " + cfg.loss().mfccClusters() + " MFCC clusters", update, maxUpdates);
                model.setClusterTargets(fitClusters(batcher, model, cfg.loss(), seed));
                run.log(String.format(Locale.ROOT, "fitted %d MFCC clusters%s (k-means++ on up to %d frames) in %.1f s",
                        cfg.loss().mfccClusters(), cfg.loss().mfccCmvn() ? " of normalised MFCCs" : "",
                        CLUSTER_FIT_FRAMES, (System.nanoTime() - t0) / 1e9));
            }
            targets = model.clusterTargets();
        }

        Arena arena = new Arena(DataType.FLOAT);
        Random nativeRng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        Ctx ctx = new Ctx(arena, true, nativeRng);
        SpanMaskSampler masker = new SpanMaskSampler(cfg.masking().maskProb(), cfg.masking().maskLength(),
                cfg.masking().minMasks(), cfg.masking().requireSameMasks());
        NegativeSampler negatives = new NegativeSampler(cfg.loss().negatives(), cfg.loss().levelPool());
        GainJitter jitter = cfg.data().gainJittered() ? new GainJitter(cfg.data().gainJitterDb()) : null;
        int accumulate = cfg.optimizer().updateFreq();

        try (BatchStream stream = batcher.stream(position);
             MetricsLog<UpdateMetrics> metrics = new MetricsLog<>(run.metricsFile(), UpdateMetrics.class,
                     new TensorBoardMirror(run.tensorboardDir(), "train", update));
             MetricsLog<CodebookUsage> codebook = new MetricsLog<>(run.codebookFile(), CodebookUsage.class)) {
            reserveMemory(cfg, model, ctx, masker, negatives);
            setState(RunState.RUNNING, resumed == null ? "started" : "resumed at update " + update, update, maxUpdates);
            listener.onEvent(new TrainingEvent.Started(run.id(), run.dir(), device.toString(), model.params().count(),
                    update, maxUpdates));
            run.log("device: " + device + "; parameters: " + model.params().count());
            long startNanos = System.nanoTime();
            int lastCheckpoint = update;
            GuardedStep guard = new GuardedStep(this, adam, cfg.optimizer().clipNorm(), cfg.run().nanTolerance());
            long[][] windowCounts = newCounts(cfg);

            while (update < maxUpdates) {
                if (waitWhilePaused(update, maxUpdates)) {
                    break;
                }
                long t0 = System.nanoTime();
                model.params().zeroGrads();
                Step step = new Step();
                Set<String> inactive = null; // parameters of layers skipped in every micro-batch, then frozen ones
                for (int micro = 0; micro < accumulate; micro++) {
                    AudioBatch batch = stream.next();
                    reportSkipped(batch, update);
                    if (jitter != null) {
                        // the rows are this batch's own copies; its own stream keeps masks and draws as without
                        jitter.apply(batch.audio(), new SplittableRandom(Seeds.mix(seed, update, micro, 3)));
                    }
                    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, update, micro, 1));
                    nativeRng.setSeed(Seeds.mix(seed, update, micro, 2));
                    int frames = (int) model.framesFor(batch.length());
                    boolean[][] mask = masker.sample(batch.size(), frames, null, rng);
                    float[] counts = targets != null ? null : negatives.sampleCounts(mask,
                            negatives.levelsFor(batch.audio(), frames, cfg.wav2vec2()), rng);
                    int[][] labels = targets == null ? null : targets.label(batch.audio(), frames);
                    boolean[] active = new boolean[cfg.wav2vec2().layers()];
                    for (int l = 0; l < active.length; l++) {
                        active[l] = rng.nextDouble() >= cfg.wav2vec2().layerDrop();
                    }
                    Set<String> skipped = new HashSet<>();
                    for (Param p : model.inactiveParams(active)) {
                        skipped.add(p.name());
                    }
                    if (inactive == null) {
                        inactive = skipped;
                    } else {
                        inactive.retainAll(skipped);
                    }
                    INDArray wave = arena.get("input.wave", batch.size(), batch.length());
                    try (INDArray host = Nd4j.create(batch.flat(), new long[] {batch.size(), batch.length()}, 'c')) {
                        wave.assign(host);
                    }
                    int masked = countMasked(mask);
                    double scale = accumulate == 1 ? 1.0 : masked;
                    Wav2Vec2Model.Result r = model.step(ctx, new Wav2Vec2Model.Batch(wave, mask, counts,
                            cfg.quantizer().temperature(update), active, labels), cfg.loss().diversityWeight(),
                            cfg.loss().penaltyWeight(), true, scale);
                    step.add(r, batch, stream.position());
                    addCounts(windowCounts, r.codeCounts());
                    step.codeCounts = r.codeCounts();
                }
                if (accumulate > 1) {
                    adam.scaleGrads(1.0 / step.masked);
                }
                inactive.addAll(model.frozenParams());
                double gradNorm = adam.gradNorm();
                double lr = schedule.at(update);
                boolean finite = guard.apply(step.loss(), gradNorm, lr, inactive, update);
                if (finite) {
                    update++;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                UpdateMetrics m = step.metrics(finite ? update : update + 1, !finite, gradNorm, lr,
                        cfg.quantizer().temperature(finite ? update - 1 : update), seconds,
                        (System.nanoTime() - startNanos) / 1e9);
                metrics.append(m);
                listener.onEvent(new TrainingEvent.Updated(m, step.codeCounts));
                for (TrainingEvent.Warning w : health.observe(m)) {
                    run.log("warning: " + w.message());
                    listener.onEvent(w);
                }
                if (!finite && guard.exhausted()) {
                    checkpointIfNew(cfg, model, adam, update, stream.position(), lastCheckpoint, true);
                    return fail(guard.failureMessage(update), null, update);
                }
                if (finite && update % CODEBOOK_WINDOW == 0 && targets == null) {
                    codebook.append(new CodebookUsage(update, windowCounts));
                    windowCounts = newCounts(cfg);
                }
                if (finite && (update % cfg.run().checkpointInterval() == 0 || update == maxUpdates)) {
                    saveCheckpoint(cfg, model, adam, update, stream.position());
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
                checkpointIfNew(cfg, model, adam, update, stream.position(), lastCheckpoint, false);
                setState(RunState.STOPPED, "stopped at update " + update + " of " + maxUpdates, update, maxUpdates);
            } else {
                setState(RunState.FINISHED, "finished " + update + " updates", update, maxUpdates);
            }
            return state;
        } finally {
            arena.clear();
        }
    }

    /**
     * Runs two throw-away passes at the extreme batch shapes the config allows (the longest crops,
     * and the most utterances of the shortest crop) so that every scratch buffer is allocated at
     * its final size before training: buffers never grow later, which kept native memory from
     * fragmenting as crop lengths vary. Parameters and their gradients are left as they were.
     */
    private void reserveMemory(PretrainConfig cfg, Wav2Vec2Model model, Ctx ctx, SpanMaskSampler masker,
                               NegativeSampler negatives) {
        int maxLen = cfg.data().maxSampleSize();
        int minLen = Math.max(cfg.data().minSampleSize(), (int) cfg.wav2vec2().receptiveFieldSamples()
                + (int) cfg.wav2vec2().hopSamples() * (cfg.masking().maskLength() + 2));
        int cap = cfg.data().maxBatchSize() > 0 ? cfg.data().maxBatchSize() : Integer.MAX_VALUE;
        SplittableRandom rng = new SplittableRandom(0);
        for (int len : new int[] {maxLen, minLen}) {
            int batch = Math.max(1, Math.min(cap, Math.min(cfg.data().maxTokens() / len,
                    utterances.size())));
            int frames = (int) model.framesFor(len);
            boolean[][] mask = masker.sample(batch, frames, null, rng);
            if (countMasked(mask) < 2 * batch) {
                continue;
            }
            INDArray wave = ctx.arena().get("input.wave", batch, len);
            wave.assign(0.01);
            // equal levels: a level pool then draws like any other, and only the shapes matter here
            float[] counts = model.predictsClusters() ? null : negatives.sampleCounts(mask, new float[batch][frames], rng);
            int[][] labels = model.predictsClusters() ? new int[batch][frames] : null;
            model.step(ctx, new Wav2Vec2Model.Batch(wave, mask, counts, 1.0,
                    model.allLayers(), labels), cfg.loss().diversityWeight(), cfg.loss().penaltyWeight(), true);
        }
        model.params().zeroGrads();
    }

    private void checkpointIfNew(PretrainConfig cfg, Wav2Vec2Model model, AdamW adam, int update, BatchPosition next,
                                 int lastCheckpoint, boolean failing) throws IOException {
        if (update > lastCheckpoint && update > 0 && !failing) {
            saveCheckpoint(cfg, model, adam, update, next);
        }
    }

    private void saveCheckpoint(PretrainConfig cfg, Wav2Vec2Model model, AdamW adam, int update, BatchPosition next)
            throws IOException {
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, cfg.family(), update, next.epoch(), next.index(),
                cfg.run().seed(), model.params().dtype().name(), Checkpoint.describe(model.params().list()),
                adam.steps().clone(), null, Provenance.now(), ConfigIO.toYaml(cfg), provenanceJson(), null);
        saveCheckpoint(run.checkpointFile(update), meta, model.params().list(), adam, cfg.run().keepCheckpoints(),
                maxUpdatesOverride != null ? maxUpdatesOverride : cfg.run().maxUpdates());
    }

    private void reportSkipped(AudioBatch batch, int update) {
        for (SkippedFile s : batch.skipped()) {
            warn(TrainingEvent.Warning.Kind.DATA, "skipped " + s.file() + ": " + s.reason() + " " + s.detail(), update);
        }
    }

    private static int countMasked(boolean[][] mask) {
        int n = 0;
        for (boolean[] row : mask) {
            for (boolean v : row) {
                if (v) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long[][] newCounts(PretrainConfig cfg) {
        return cfg.loss().clusterTargets() ? new long[0][0]
                : new long[cfg.wav2vec2().codebookGroups()][cfg.wav2vec2().codebookEntries()];
    }

    /**
     * k-means on the MFCCs of the run's first batches of epoch 0 (its own seeded shuffle, so a
     * sample across utterances), cropped and normalised as batched; a gain jitter, drawn per
     * update, is not applied to them.
     */
    private static MfccClusters fitClusters(PretrainBatcher batcher, Wav2Vec2Model model, LossConfig loss, long seed) {
        List<float[]> rows = new ArrayList<>();
        long frames = 0;
        try (BatchStream s = batcher.stream(BatchPosition.start(0))) {
            while (frames < CLUSTER_FIT_FRAMES && s.hasNext()) {
                AudioBatch b = s.next();
                if (b.position().epoch() > 0) {
                    break;
                }
                for (float[] row : b.audio()) {
                    rows.add(row);
                    frames += model.framesFor(row.length);
                }
            }
        }
        return MfccClusters.fit(rows, model::framesFor, loss.mfccClusters(), loss.mfccCmvn(), CLUSTER_FIT_FRAMES,
                Seeds.mix(seed, 0, 0, 4));
    }

    private static void addCounts(long[][] into, long[][] add) {
        for (int g = 0; g < into.length; g++) {
            for (int v = 0; v < into[g].length; v++) {
                into[g][v] += add[g][v];
            }
        }
    }

    /** Metrics of one update, accumulated over its micro-batches (weighted by masked frames). */
    private static final class Step {
        double lossSum;
        double ceSum;
        double divSum;
        double penSum;
        double accSum;
        double codeSum;
        double probSum;
        long masked;
        long frames;
        long samples;
        int utterances;
        int epoch;
        double cropSeconds;
        long[][] codeCounts;

        void add(Wav2Vec2Model.Result r, AudioBatch batch, BatchPosition next) {
            double w = r.maskedFrames();
            lossSum += r.loss() * w;
            ceSum += r.contrastive() * w;
            divSum += r.diversity() * w;
            penSum += r.penalty() * w;
            accSum += r.accuracy() * w;
            codeSum += r.codePerplexity() * w;
            probSum += r.probPerplexity() * w;
            masked += r.maskedFrames();
            frames += (long) r.frames() * batch.size();
            samples += batch.samples();
            utterances += batch.size();
            epoch = batch.position().epoch();
            cropSeconds = batch.length() / 16000.0;
        }

        double loss() {
            return lossSum / masked;
        }

        UpdateMetrics metrics(int update, boolean skipped, double gradNorm, double lr, double temperature,
                              double seconds, double elapsed) {
            double ln2 = Math.log(2);
            return new UpdateMetrics(update, epoch, lossSum / masked / ln2, ceSum / masked / ln2, divSum / masked,
                    penSum / masked, accSum / masked, codeSum / masked, probSum / masked, temperature, lr, gradNorm,
                    (double) masked / frames, samples / 16000.0 / seconds, Backends.residentBytes() / 1048576.0,
                    seconds, elapsed, skipped, utterances, cropSeconds);
        }
    }
}
