package org.speechwb.engine.train;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.interop.tensorboard.TensorBoardMirror;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.QuantizerSchedule;
import org.speechwb.engine.data.AudioBatch;
import org.speechwb.engine.data.AudioCache;
import org.speechwb.engine.data.BatchPosition;
import org.speechwb.engine.data.BatchStream;
import org.speechwb.engine.data.PretrainBatcher;
import org.speechwb.engine.data.SkippedFile;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v1.StepNegatives;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.model.w2v1.Wav2Vec1Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.CodebookUsage;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.util.Seeds;

/**
 * The update loop of wav2vec 1.0 and vq-wav2vec, run by {@link Pretrainer} for those families so
 * that both families share one trainer: the same run folder, checkpoints, resume, pause/stop,
 * events and metrics file. It differs from the wav2vec 2.0 loop only in what a step needs
 * (distractors per target frame instead of masks) and reports (per-step accuracy and loss).
 * Gradients are normalised by the number of positives, the reference criterion's sample size.
 */
final class Wav2Vec1Pretraining {

    private static final int CODEBOOK_WINDOW = 10;
    private static final int GC_INTERVAL = 50;

    private final Pretrainer loop;
    private final List<Utterance> utterances;

    Wav2Vec1Pretraining(Pretrainer loop, List<Utterance> utterances) {
        this.loop = loop;
        this.utterances = utterances;
    }

    RunState train(PretrainConfig cfg) throws IOException, CheckpointException {
        Wav2Vec1Config mc = cfg.wav2vec1();
        int maxUpdates = loop.maxUpdatesOverride != null ? loop.maxUpdatesOverride : cfg.run().maxUpdates();
        long seed = cfg.run().seed();
        Backends.Info device = Backends.describe();
        Wav2Vec1Model model = new Wav2Vec1Model(mc, seed, DataType.FLOAT);
        AdamW adam = new AdamW(cfg.optimizer(), model.params().list());
        LrSchedule schedule = new LrSchedule(cfg.optimizer(), maxUpdates);
        boolean vq = mc.quantized();
        HealthMonitor health = HealthMonitor.forConfig(cfg);
        QuantizerSchedule temperature = cfg.quantizer();

        int update = 0;
        BatchPosition position = BatchPosition.start(0);
        TrainingLoop.Resumed resumed = loop.resume(model.params().list(), adam);
        if (resumed != null) {
            update = resumed.update();
            position = resumed.position();
            TrainingLoop.retainUpTo(loop.run.metricsFile(), UpdateMetrics.class, UpdateMetrics::update, update);
            TrainingLoop.retainUpTo(loop.run.codebookFile(), CodebookUsage.class, CodebookUsage::update, update);
        }
        if (!loop.run.hasUtterances("train")) {
            loop.run.writeUtterances("train", utterances);
        }
        PretrainBatcher batcher = new PretrainBatcher(utterances, cfg.data().batching(seed),
                new AudioCache((long) cfg.data().cacheMegabytes() << 20));
        if (batcher.batchesInEpoch(0) == 0) {
            return loop.fail("no training batches: every utterance is shorter than data.minSampleSize ("
                    + cfg.data().minSampleSize() + " samples) or the dataset is empty", null, update);
        }
        if (!batcher.dropped().isEmpty()) {
            loop.warn(TrainingEvent.Warning.Kind.DATA, batcher.dropped().size()
                    + " utterances shorter than data.minSampleSize are not used", update);
        }

        Arena arena = new Arena(DataType.FLOAT);
        Random nativeRng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        Ctx ctx = new Ctx(arena, true, nativeRng);
        int negatives = cfg.loss().negatives();
        double qWeight = cfg.loss().diversityWeight();
        int accumulate = cfg.optimizer().updateFreq();
        try (BatchStream stream = batcher.stream(position);
             MetricsLog<UpdateMetrics> metrics = new MetricsLog<>(loop.run.metricsFile(), UpdateMetrics.class,
                     new TensorBoardMirror(loop.run.tensorboardDir(), "train", update));
             MetricsLog<CodebookUsage> codebook = new MetricsLog<>(loop.run.codebookFile(), CodebookUsage.class)) {
            reserveMemory(cfg, model, ctx);
            loop.setState(RunState.RUNNING, resumed == null ? "started" : "resumed at update " + update, update, maxUpdates);
            loop.listener.onEvent(new TrainingEvent.Started(loop.run.id(), loop.run.dir(), device.toString(),
                    model.params().count(), update, maxUpdates));
            loop.run.log("device: " + device + "; parameters: " + model.params().count() + "; "
                    + mc.receptiveField().describe() + "; offset " + mc.effectiveOffset() + " frames");
            long startNanos = System.nanoTime();
            int lastCheckpoint = update;
            GuardedStep guard = new GuardedStep(loop, adam, cfg.optimizer().clipNorm(), cfg.run().nanTolerance());
            long[][] windowCounts = vq ? new long[mc.vqGroups()][mc.vqEntries()] : null;

            while (update < maxUpdates) {
                if (loop.waitWhilePaused(update, maxUpdates)) {
                    break;
                }
                long t0 = System.nanoTime();
                model.params().zeroGrads();
                double tau = temperature == null ? 1.0 : temperature.temperature(update);
                Step step = new Step(mc.predictionSteps());
                long[][] counts = new long[0][0];
                for (int micro = 0; micro < accumulate; micro++) {
                    AudioBatch batch = stream.next();
                    for (SkippedFile s : batch.skipped()) {
                        loop.warn(TrainingEvent.Warning.Kind.DATA, "skipped " + s.file() + ": " + s.reason() + " "
                                + s.detail(), update);
                    }
                    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, update, micro, 1));
                    nativeRng.setSeed(Seeds.mix(seed, update, micro, 2));
                    int frames = (int) model.framesFor(batch.length());
                    int[][][] neg = StepNegatives.sample(batch.size(), frames, negatives, rng);
                    INDArray wave = arena.get("input.wave", batch.size(), batch.length());
                    try (INDArray host = Nd4j.create(batch.flat(), new long[] {batch.size(), batch.length()}, 'c')) {
                        wave.assign(host);
                    }
                    // one micro-batch: the mean over its positives; several: weighted by positives, divided below
                    long positives = positives(mc, model.offset(), batch.size(), frames);
                    double scale = accumulate == 1 ? 1.0 : positives;
                    Wav2Vec1Model.Result r = model.step(ctx, new Wav2Vec1Model.Batch(wave, neg, tau), qWeight, true, scale);
                    step.add(r, batch);
                    counts = r.codeCounts();
                    if (vq) {
                        for (int g = 0; g < counts.length; g++) {
                            for (int v = 0; v < counts[g].length; v++) {
                                windowCounts[g][v] += counts[g][v];
                            }
                        }
                    }
                }
                if (accumulate > 1) {
                    adam.scaleGrads(1.0 / step.positives);
                }
                double gradNorm = adam.gradNorm();
                double lr = schedule.at(update);
                boolean finite = guard.apply(step.loss(), gradNorm, lr, null, update);
                if (finite) {
                    update++;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                UpdateMetrics m = step.metrics(finite ? update : update + 1, !finite, gradNorm, lr,
                        temperature == null ? 0 : tau, seconds, (System.nanoTime() - startNanos) / 1e9, mc);
                metrics.append(m);
                loop.listener.onEvent(new TrainingEvent.Updated(m, counts));
                for (TrainingEvent.Warning w : health.observe(m)) {
                    loop.run.log("warning: " + w.message());
                    loop.listener.onEvent(w);
                }
                if (!finite && guard.exhausted()) {
                    return loop.fail(guard.failureMessage(update), null, update);
                }
                if (vq && finite && update % CODEBOOK_WINDOW == 0) {
                    codebook.append(new CodebookUsage(update, windowCounts));
                    windowCounts = new long[mc.vqGroups()][mc.vqEntries()];
                }
                if (finite && (update % cfg.run().checkpointInterval() == 0 || update == maxUpdates)) {
                    save(cfg, model, adam, update, stream.position(), maxUpdates);
                    lastCheckpoint = update;
                }
                if (update % GC_INTERVAL == 0) {
                    System.gc();
                }
                if (loop.stopRequested) {
                    break;
                }
            }
            if (update < maxUpdates) {
                loop.setState(RunState.STOPPING, "stopping: writing a checkpoint", update, maxUpdates);
                if (update > lastCheckpoint && update > 0) {
                    save(cfg, model, adam, update, stream.position(), maxUpdates);
                }
                loop.setState(RunState.STOPPED, "stopped at update " + update + " of " + maxUpdates, update, maxUpdates);
            } else {
                loop.setState(RunState.FINISHED, "finished " + update + " updates", update, maxUpdates);
            }
            return loop.state;
        } finally {
            arena.clear();
        }
    }

    static long positives(Wav2Vec1Config mc, int offset, int batch, int frames) {
        long n = 0;
        for (int k = 0; k < Math.min(mc.predictionSteps(), frames - offset); k++) {
            n += (long) batch * (frames - offset - k);
        }
        return n;
    }

    /**
     * Two throw-away passes at the extreme batch shapes (longest crops; most utterances of the
     * shortest crop) so every scratch buffer has its final size before the first update.
     */
    private void reserveMemory(PretrainConfig cfg, Wav2Vec1Model model, Ctx ctx) {
        int cap = cfg.data().maxBatchSize() > 0 ? cfg.data().maxBatchSize() : Integer.MAX_VALUE;
        SplittableRandom rng = new SplittableRandom(0);
        for (int len : new int[] {cfg.data().maxSampleSize(), Math.max(cfg.data().minSampleSize(), 1)}) {
            int batch = Math.max(1, Math.min(cap, Math.min(cfg.data().maxTokens() / len, utterances.size())));
            int frames = (int) model.framesFor(len);
            if (frames <= model.offset() + 1) {
                continue;
            }
            INDArray wave = ctx.arena().get("input.wave", batch, len);
            wave.assign(0.01);
            model.step(ctx, new Wav2Vec1Model.Batch(wave, StepNegatives.sample(batch, frames, cfg.loss().negatives(), rng),
                    1.0), cfg.loss().diversityWeight(), true, 1.0);
        }
        model.params().zeroGrads();
    }

    private void save(PretrainConfig cfg, Wav2Vec1Model model, AdamW adam, int update, BatchPosition next, int maxUpdates)
            throws IOException {
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, cfg.family(), update, next.epoch(), next.index(),
                cfg.run().seed(), model.params().dtype().name(), Checkpoint.describe(model.params().list()),
                adam.steps().clone(), null, Provenance.now(), ConfigIO.toYaml(cfg), loop.provenanceJson(), null);
        loop.saveCheckpoint(loop.run.checkpointFile(update), meta, model.params().list(), adam, cfg.run().keepCheckpoints(),
                maxUpdates);
    }

    /** Metrics of one update, accumulated over its micro-batches weighted by positives. */
    private static final class Step {
        final double[] stepLossSum;
        final double[] stepAccSum;
        final double[] stepWeight;
        double lossSum;
        double ceSum;
        double qSum;
        double accSum;
        double codeSum;
        double probSum;
        long positives;
        long samples;
        int utterances;
        int epoch;
        double cropSeconds;

        Step(int steps) {
            stepLossSum = new double[steps];
            stepAccSum = new double[steps];
            stepWeight = new double[steps];
        }

        void add(Wav2Vec1Model.Result r, AudioBatch batch) {
            double w = r.positives();
            lossSum += r.loss() * w;
            ceSum += r.contrastive() * w;
            qSum += r.quantizerLoss() * w;
            accSum += r.accuracy() * w;
            codeSum += (Double.isNaN(r.codePerplexity()) ? 0 : r.codePerplexity()) * w;
            probSum += (Double.isNaN(r.probPerplexity()) ? 0 : r.probPerplexity()) * w;
            for (int k = 0; k < stepLossSum.length; k++) {
                if (!Double.isNaN(r.stepLoss()[k])) {
                    stepLossSum[k] += r.stepLoss()[k] * batch.size();
                    stepAccSum[k] += r.stepAccuracy()[k] * batch.size();
                    stepWeight[k] += batch.size();
                }
            }
            positives += r.positives();
            samples += batch.samples();
            utterances += batch.size();
            epoch = batch.position().epoch();
            cropSeconds = batch.length() / 16000.0;
        }

        double loss() {
            return lossSum / positives;
        }

        UpdateMetrics metrics(int update, boolean skipped, double gradNorm, double lr, double temperature, double seconds,
                              double elapsed, Wav2Vec1Config mc) {
            double ln2 = Math.log(2);
            double[] acc = new double[stepLossSum.length];
            double[] loss = new double[stepLossSum.length];
            for (int k = 0; k < acc.length; k++) {
                // a step without targets in this update (crop too short) reads 0, never NaN, in the metrics file
                acc[k] = stepWeight[k] == 0 ? 0 : stepAccSum[k] / stepWeight[k];
                loss[k] = stepWeight[k] == 0 ? 0 : stepLossSum[k] / stepWeight[k] / ln2;
            }
            double q = qSum / positives;
            double diversity = mc.quantizer().equals(Wav2Vec1Config.GUMBEL) ? q / (mc.vqGroups() * mc.vqEntries()) : 0;
            return new UpdateMetrics(update, epoch, lossSum / positives / ln2, ceSum / positives / ln2, diversity, 0,
                    accSum / positives, codeSum / positives, probSum / positives, temperature, lr, gradNorm, 0,
                    samples / 16000.0 / seconds, Backends.residentBytes() / 1048576.0, seconds, elapsed, skipped, utterances,
                    cropSeconds, acc, loss, q);
        }
    }
}
