package org.speechwb.engine.recognize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.ctc.LogProbs;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.text.Vocabulary;

/**
 * A fine-tuned wav2vec 2.0 CTC model loaded from a checkpoint, for decoding, alignment and
 * evaluation. Runs in evaluation mode (no dropout, no masking). The checkpoint carries its
 * config and vocabulary, so nothing else is needed.
 */
public final class Recognizer implements LogProbSource {

    private final Path checkpoint;
    private final FinetuneConfig config;
    private final Vocabulary vocabulary;
    private final Wav2Vec2CtcModel model;
    private final int update;
    private final Arena arena = new Arena(DataType.FLOAT);

    Recognizer(Path checkpoint, FinetuneConfig config, Vocabulary vocabulary, Wav2Vec2CtcModel model, int update) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.vocabulary = vocabulary;
        this.model = model;
        this.update = update;
    }

    /**
     * @param checkpointOrRun a fine-tuning checkpoint, or a fine-tuning run folder (its kept
     *                        checkpoint, best.ckpt, else its newest)
     */
    public static Recognizer open(Path checkpointOrRun) throws CheckpointException, IOException {
        Path file = checkpointOrRun;
        if (Files.isDirectory(checkpointOrRun)) {
            RunFolder run = new RunFolder(checkpointOrRun);
            List<Path> all = run.checkpoints();
            if (Files.isRegularFile(run.bestCheckpointFile())) {
                file = run.bestCheckpointFile();
            } else if (!all.isEmpty()) {
                file = all.get(all.size() - 1);
            } else {
                throw new CheckpointException(checkpointOrRun, "this run has no checkpoint yet", null);
            }
        }
        Checkpoint.Loaded c = Checkpoint.read(file);
        if (c.meta().vocabulary() == null) {
            throw new CheckpointException(file, "this is a pre-training checkpoint; decoding needs a fine-tuned (CTC)"
                    + " checkpoint", null);
        }
        FinetuneConfig cfg;
        try {
            cfg = ConfigIO.readYaml(c.meta().config(), FinetuneConfig.class, file);
        } catch (ConfigException e) {
            throw new CheckpointException(file, "its stored config is invalid: " + e.getMessage(), e);
        }
        Vocabulary vocab = Vocabulary.of(c.meta().vocabulary());
        Wav2Vec2CtcModel model = new Wav2Vec2CtcModel(cfg.wav2vec2(), vocab.size(), cfg.finalDropout(), cfg.run().seed(),
                DataType.FLOAT);
        Checkpoint.restoreParams(c, model.params().list());
        return new Recognizer(file, cfg, vocab, model, c.meta().update());
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public FinetuneConfig config() {
        return config;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    public int update() {
        return update;
    }

    /** Seconds between CTC frames (0.02 for the reference encoder). */
    public double frameSeconds() {
        return model.config().hopSamples() / 16000.0;
    }

    /** Per-frame log-probabilities {@code [T][C]} of 16 kHz audio. */
    @Override
    public synchronized float[][] logProbs(float[] samples) {
        float[] input = config.data().normalize() ? org.speechwb.engine.data.AudioBatcher.normalised(samples,
                config.data().epsilon()) : samples;
        try (INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c')) {
            INDArray logits = model.forward(new Ctx(arena, false, Nd4j.getRandom()),
                    new Wav2Vec2CtcModel.Batch(wave, new int[] {input.length}, null, null, allLayers()));
            return LogProbs.utteranceLogSoftmax(logits, 0, model.frameLengths()[0]);
        }
    }

    /**
     * The CTC head's raw outputs (before log-softmax) for 16 kHz audio, {@code [T][V]} in the
     * vocabulary's order: what transformers' {@code Wav2Vec2ForCTC} returns as {@code logits}.
     */
    public synchronized float[][] logits(float[] samples) {
        float[] input = config.data().normalize() ? org.speechwb.engine.data.AudioBatcher.normalised(samples,
                config.data().epsilon()) : samples;
        try (INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c')) {
            INDArray logits = model.forward(new Ctx(arena, false, Nd4j.getRandom()),
                    new Wav2Vec2CtcModel.Batch(wave, new int[] {input.length}, null, null, allLayers()));
            int frames = model.frameLengths()[0];
            int v = (int) logits.size(2);
            float[][] out = new float[frames][];
            for (int t = 0; t < frames; t++) {
                out[t] = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).castTo(DataType.FLOAT).dup().toFloatVector();
                if (out[t].length != v) {
                    throw new IllegalStateException("logit row of " + out[t].length + " values, expected " + v);
                }
            }
            return out;
        }
    }

    public float[][] logProbs(Path audio) throws IOException {
        return logProbs(AudioReader.read16k(audio).samples());
    }

    private boolean[] allLayers() {
        boolean[] a = new boolean[model.config().layers()];
        java.util.Arrays.fill(a, true);
        return a;
    }

}
