package org.speechwb.engine.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.MfccClusters;
import org.speechwb.engine.model.w2v2.NegativeSampler;
import org.speechwb.engine.model.w2v2.SpanMaskSampler;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.RunFolder;

/**
 * Runs a pre-trained checkpoint on one utterance in evaluation mode (no dropout, no Gumbel
 * noise: codes are the argmax of the quantizer logits) with a seeded mask, and reports what the
 * model did frame by frame. Loads the model once and can inspect many utterances.
 */
public final class Inspector {

    private final Path checkpoint;
    private final PretrainConfig config;
    private final Wav2Vec2Model model;
    /** The model's fixed MFCC cluster targets, read from it once; null when it predicts quantizer codes. */
    private final MfccClusters targets;
    private final int update;
    private final Arena arena = new Arena(DataType.FLOAT);

    private Inspector(Path checkpoint, PretrainConfig config, Wav2Vec2Model model, int update) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.model = model;
        this.targets = model.clusterTargets();
        this.update = update;
    }

    /** @param checkpointOrRun a checkpoint file, or a run folder (its newest checkpoint) */
    public static Inspector open(Path checkpointOrRun) throws CheckpointException, IOException {
        Path file = RunFolder.newestCheckpoint(checkpointOrRun);
        Checkpoint.Loaded c = Checkpoint.read(file);
        PretrainConfig cfg;
        try {
            cfg = ConfigIO.readYaml(c.meta().config(), PretrainConfig.class, file);
        } catch (ConfigException e) {
            throw new CheckpointException(file, "its stored config is invalid: " + e.getMessage(), e);
        }
        return of(file, c, cfg);
    }

    /**
     * An inspector over a pre-training checkpoint its caller has already read and parsed (the
     * layer probes read it for the encoder too).
     *
     * @param file where {@code c} was read from
     */
    public static Inspector of(Path file, Checkpoint.Loaded c, PretrainConfig cfg) throws CheckpointException {
        Wav2Vec2Model model = new Wav2Vec2Model(cfg.wav2vec2(), cfg.run().seed(), DataType.FLOAT, cfg.loss());
        Checkpoint.restoreParams(c, model.params().list());
        return new Inspector(file, cfg, model, c.meta().update());
    }

    /**
     * The same architecture and settings with random weights drawn from {@code seed} (update 0):
     * what the codes look like before any training.
     */
    public Inspector withRandomWeights(long seed) {
        Wav2Vec2Model random = new Wav2Vec2Model(config.wav2vec2(), seed, DataType.FLOAT, config.loss());
        if (targets != null) {
            // the targets are fixed before training: a random model has the trained one's
            random.setClusterTargets(targets);
        }
        return new Inspector(checkpoint, config, random, 0);
    }

    public PretrainConfig config() {
        return config;
    }

    public Wav2Vec2Config model() {
        return config.wav2vec2();
    }

    public Path checkpoint() {
        return checkpoint;
    }

    public Inspection inspect(Path audio, long maskSeed) throws IOException {
        AudioClip clip = AudioReader.read16k(audio);
        return inspect(audio.toString(), clip.samples(), maskSeed);
    }

    /** @param samples 16 kHz mono audio */
    public synchronized Inspection inspect(String name, float[] samples, long maskSeed) {
        Wav2Vec2Config m = config.wav2vec2();
        int frames = (int) m.framesFor(samples.length);
        if (frames < config.masking().maskLength() + 2) {
            throw new IllegalArgumentException(name + ": " + samples.length + " samples give " + frames
                    + " frames, too short to mask spans of " + config.masking().maskLength());
        }
        float[] input = modelInput(samples);
        SplittableRandom rng = new SplittableRandom(maskSeed);
        SpanMaskSampler sampler = new SpanMaskSampler(config.masking().maskProb(), config.masking().maskLength(),
                config.masking().minMasks(), false);
        boolean[][] mask = sampler.sample(1, frames, null, rng);
        int negatives = Math.min(config.loss().negatives(), Math.max(1, count(mask[0]) - 1));
        float[] counts = null;
        int[][] labels = null;
        if (targets == null) {
            NegativeSampler distractors = new NegativeSampler(negatives, config.loss().levelPool());
            counts = distractors.sampleCounts(mask, distractors.levelsFor(new float[][] {input}, frames, m), rng);
        } else {
            labels = targets.label(new float[][] {input}, frames);
        }
        Wav2Vec2Model.Result r;
        try (INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c')) {
            r = model.step(new Ctx(arena, false, Nd4j.getRandom()), new Wav2Vec2Model.Batch(wave, mask, counts,
                    config.quantizer().endTemperature(), model.allLayers(), labels), 0, 0, false);
        }
        // with MFCC cluster targets a frame's "code" is its cluster: one group
        int groups = targets == null ? m.codebookGroups() : 1;
        int[][] codes = new int[frames][groups];
        Boolean[] correct = new Boolean[frames];
        Double[] logits = new Double[frames];
        for (int t = 0; t < frames; t++) {
            for (int g = 0; g < groups; g++) {
                codes[t][g] = r.codes()[t * groups + g];
            }
            if (mask[0][t]) {
                correct[t] = r.correct()[t];
                logits[t] = r.targetLogit()[t];
            }
        }
        return new Inspection(name, checkpoint.toString(), update, AudioReader.TARGET_RATE, samples.length, frames,
                m.hopSamples(), m.receptiveFieldSamples(), maskSeed, negatives, spans(mask[0], m), codes, mask[0],
                correct, logits, r.accuracy(), r.contrastive() / Math.log(2), r.codePerplexity());
    }

    /**
     * The codebook entry each group picks at every frame, {@code [frames][groups]}: the argmax of
     * the quantizer logits, as in {@link #inspect}. Codes come from the unmasked features, so the
     * mask drawn to run the model does not change them. For a model with MFCC cluster targets,
     * {@code [frames][1]}: each frame's cluster, labelled without running the model. Audio too short
     * to mask gives rows of -1 (no code), one per frame.
     */
    public synchronized int[][] codes(float[] samples) {
        Wav2Vec2Config m = config.wav2vec2();
        int frames = Math.max(0, (int) m.framesFor(samples.length));
        if (frames < config.masking().maskLength() + 2) {
            int[][] none = new int[frames][targets != null ? 1 : m.codebookGroups()];
            for (int[] row : none) {
                Arrays.fill(row, -1);
            }
            return none;
        }
        if (targets != null) {
            int[] labels = targets.label(modelInput(samples), frames);
            int[][] out = new int[frames][];
            for (int t = 0; t < frames; t++) {
                out[t] = new int[] {labels[t]};
            }
            return out;
        }
        return inspect("codes", samples, 0).codes();
    }

    /** The audio as the model receives it: normalised per utterance when the config says so. */
    private float[] modelInput(float[] samples) {
        return config.data().normalize() ? org.speechwb.engine.data.AudioBatcher.normalised(samples,
                config.data().epsilon()) : samples;
    }

    private static List<Inspection.MaskSpan> spans(boolean[] mask, Wav2Vec2Config m) {
        List<Inspection.MaskSpan> out = new ArrayList<>();
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] && (t == 0 || !mask[t - 1])) {
                int end = t;
                while (end < mask.length && mask[end]) {
                    end++;
                }
                out.add(new Inspection.MaskSpan(t, end, m.frameStartSample(t),
                        m.frameStartSample(end - 1) + m.receptiveFieldSamples()));
            }
        }
        return out;
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

}
