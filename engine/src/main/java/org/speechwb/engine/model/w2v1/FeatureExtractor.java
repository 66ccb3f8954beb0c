package org.speechwb.engine.model.w2v1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.features.FeatureFiles;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.RunFolder;

/**
 * Writes the context vectors c (or the encoder features z) of a trained wav2vec 1.0 /
 * vq-wav2vec model for every utterance of a dataset, as the input of a downstream acoustic
 * model (what the paper feeds its wav2letter models instead of log-mel). Format, described
 * in docs/workflows.md:
 * <ul>
 * <li>{@code <id>.npy}: NumPy v1.0 file, little-endian float32, C order, shape [frames, dim];
 *     frame t covers input samples [t·hop, t·hop + receptive field);</li>
 * <li>{@code index.tsv}: header line, then {@code id, file, frames, dim, seconds} per utterance;</li>
 * <li>{@code features.json}: kind, dimension, hop and receptive field (ms), checkpoint and update.</li>
 * </ul>
 * Evaluation mode: no dropout; a Gumbel quantizer takes the argmax code.
 */
public final class FeatureExtractor {

    /** What to write. */
    public enum Kind { CONTEXT, ENCODER }

    /** Reports progress per utterance. */
    public interface Progress {
        void utterance(int done, int total, Utterance u, long frames);
    }

    private final Wav2Vec1Model model;
    private final PretrainConfig cfg;
    private final Path checkpoint;
    private final int update;
    private final Arena arena = new Arena(DataType.FLOAT);
    private final Ctx ctx = new Ctx(arena, false, Nd4j.getRandom());

    private FeatureExtractor(Wav2Vec1Model model, PretrainConfig cfg, Path checkpoint, int update) {
        this.model = model;
        this.cfg = cfg;
        this.checkpoint = checkpoint;
        this.update = update;
    }

    /** Loads the newest checkpoint of a run folder, or the given checkpoint file. */
    public static FeatureExtractor load(Path runOrCheckpoint) throws ConfigException, CheckpointException, IOException {
        Path file = runOrCheckpoint;
        if (Files.isDirectory(file)) {
            List<Path> all = new RunFolder(file).checkpoints();
            if (all.isEmpty()) {
                throw new ConfigException(file, "the run has no checkpoint yet", null);
            }
            file = all.get(all.size() - 1);
        }
        Checkpoint.Loaded c = Checkpoint.read(file);
        PretrainConfig cfg = ConfigIO.readYaml(c.meta().config(), PretrainConfig.class, file);
        if (!cfg.isWav2Vec1()) {
            throw new ConfigException(file, "feature extraction needs a wav2vec1 or vq-wav2vec checkpoint, this one is "
                    + cfg.family(), null);
        }
        Wav2Vec1Model model = new Wav2Vec1Model(cfg.wav2vec1(), cfg.run().seed(), DataType.FLOAT);
        Checkpoint.restoreParams(c, model.params().list());
        return new FeatureExtractor(model, cfg, file, c.meta().update());
    }

    /**
     * The same architecture at random initialisation, untrained: the control that tells what the
     * convolutional stack gives without pre-training.
     */
    public static FeatureExtractor random(PretrainConfig cfg, long seed) {
        if (!cfg.isWav2Vec1()) {
            throw new IllegalArgumentException("feature extraction needs a wav2vec1 or vq-wav2vec config, this one is "
                    + cfg.family());
        }
        return new FeatureExtractor(new Wav2Vec1Model(cfg.wav2vec1(), seed, DataType.FLOAT), cfg, null, -1);
    }

    /**
     * The features of one utterance, {@code [frames][dimension]}, in evaluation mode; an empty
     * array when it is shorter than the encoder's receptive field. Synchronized: calls share one arena.
     */
    public float[][] compute(float[] samples, Kind kind) {
        Flat f = computeFlat(samples, kind);
        float[][] out = new float[f.frames()][f.dim()];
        for (int t = 0; t < f.frames(); t++) {
            System.arraycopy(f.values(), t * f.dim(), out[t], 0, f.dim());
        }
        return out;
    }

    /** Features in the .npy's C order: {@code values[t · dim + d]}; no frames when too short. */
    private record Flat(float[] values, int frames, int dim) {
    }

    private synchronized Flat computeFlat(float[] samples, Kind kind) {
        if (cfg.data().normalize()) {
            samples = samples.clone();
            normalise(samples);
        }
        long frames = model.framesFor(samples.length);
        if (frames < 1) {
            return new Flat(new float[0], 0, dimension(kind));
        }
        INDArray wave = arena.get("input.wave", 1, samples.length);
        try (INDArray host = Nd4j.create(samples, new long[] {1, samples.length}, 'c')) {
            wave.assign(host);
        }
        INDArray f = kind == Kind.CONTEXT ? model.context(ctx, wave, 1.0) : model.encode(ctx, wave, 1.0);
        return new Flat(f.castTo(DataType.FLOAT).reshape(f.length()).toFloatVector(), (int) frames, (int) f.size(2));
    }

    /** This model's context vectors (or encoder features) as the input of a downstream acoustic model. */
    public FrontEnd frontEnd(Kind kind) {
        ReceptiveField rf = cfg.wav2vec1().receptiveField();
        String what = kind == Kind.CONTEXT ? "context" : "encoder";
        return new FrontEnd() {
            @Override
            public String name() {
                return cfg.family() + " " + what + (checkpoint == null ? " (random initialisation)"
                        : " (update " + update + ")");
            }

            @Override
            public int dimension() {
                return FeatureExtractor.this.dimension(kind);
            }

            @Override
            public int hopSamples() {
                return (int) rf.hopSamples();
            }

            @Override
            public int framesFor(int samples) {
                return (int) Math.max(0, model.framesFor(samples));
            }

            @Override
            public float[][] compute(float[] samples) {
                return FeatureExtractor.this.compute(samples, kind);
            }
        };
    }

    public int dimension(Kind kind) {
        return kind == Kind.CONTEXT ? cfg.wav2vec1().contextChannels() : cfg.wav2vec1().featureDim();
    }

    /** Writes one .npy per utterance plus index.tsv and features.json into {@code out}; returns the count written. */
    public int extract(List<Utterance> utterances, Path out, Kind kind, Progress progress) throws IOException {
        ReceptiveField rf = cfg.wav2vec1().receptiveField();
        int written;
        try {
            written = FeatureFiles.write(utterances, out, progress::utterance, samples -> {
                Flat f = computeFlat(samples, kind);
                return new FeatureFiles.Matrix(f.values(), f.frames(), f.dim());
            }).files();
        } finally {
            arena.clear();
        }
        String json = String.format(Locale.ROOT, "{%n  \"kind\": \"%s\",%n  \"family\": \"%s\",%n  \"dim\": %d,%n"
                        + "  \"hopMs\": %.3f,%n  \"receptiveFieldMs\": %.3f,%n  \"contextReceptiveFieldMs\": %.3f,%n"
                        + "  \"dtype\": \"float32\",%n  \"layout\": \"[frames, dim]\",%n  \"checkpoint\": \"%s\",%n"
                        + "  \"update\": %d,%n  \"utterances\": %d%n}%n", kind.name().toLowerCase(Locale.ROOT), cfg.family(),
                dimension(kind), rf.hopMs(), rf.encoderMs(), rf.contextMs(),
                checkpoint.toAbsolutePath().toString().replace("\\", "\\\\"), update, written);
        Files.writeString(out.resolve("features.json"), json);
        return written;
    }

    private static void normalise(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / x.length + 1e-5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - mean) / std);
        }
    }
}
