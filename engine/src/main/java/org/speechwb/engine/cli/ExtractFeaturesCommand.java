package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v1.FeatureExtractor;
import org.speechwb.engine.probe.Wav2Vec2Layers;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "extract-features", mixinStandardHelpOptions = true,
        description = {"Write the representations of a model for every utterance of a dataset: one float32 .npy"
                + " [frames x dim] per utterance, index.tsv, features.json (see docs/workflows.md).",
                "wav2vec 1.0 / vq-wav2vec: context vectors or encoder features (--kind). wav2vec 2.0 (pre-trained,"
                        + " fine-tuned or imported): a layer (--layer), counted as transformers' hidden_states."})
final class ExtractFeaturesCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "run folder (newest checkpoint) or checkpoint file")
    Path model;

    @Option(names = "--data", defaultValue = "datasets/harvard-tts", description = "dataset folder or manifest; default ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--split", defaultValue = "all", description = "split (train, valid, test or all); default ${DEFAULT-VALUE}")
    String split;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--kind", defaultValue = "context",
            description = "context (c, the paper's features) or encoder (z, after the quantizer if any); default ${DEFAULT-VALUE}")
    String kind;

    @Option(names = "--layer", defaultValue = "last", description = "wav2vec 2.0: features (feature encoder output),"
            + " N (output of Transformer layer N; 0 = its input) or last (what the CTC head reads); default ${DEFAULT-VALUE}")
    String layer;

    @Override
    public Integer call() throws Exception {
        Backends.init();
        Path file = RunFolder.newestCheckpoint(Cli.resolve(model));
        if (isWav2Vec2(file)) {
            Wav2Vec2Layers layers = Wav2Vec2Layers.load(file);
            int index = layers.layerIndex(layer);
            List<Utterance> utts = TrainingData.select(DatasetLoader.open(Cli.resolve(data)), split);
            Path dir = Cli.resolve(out);
            int n = layers.extract(utts, dir, layer, this::progress);
            System.out.printf(Locale.ROOT, "wrote %d utterances of %s (%s) to %s%n", n,
                    index < 0 ? "the CTC head input" : layers.layerNames().get(index), layers.description(), dir);
            return 0;
        }
        FeatureExtractor.Kind k;
        try {
            k = FeatureExtractor.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("error: --kind must be context or encoder, got " + kind);
            return 2;
        }
        FeatureExtractor fx;
        try {
            fx = FeatureExtractor.load(Cli.resolve(model));
        } catch (ConfigException | CheckpointException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        Dataset dataset = DatasetLoader.open(Cli.resolve(data));
        List<Utterance> utts = TrainingData.select(dataset, split);
        Path dir = Cli.resolve(out);
        int n = fx.extract(utts, dir, k, this::progress);
        System.out.printf(Locale.ROOT, "wrote %d utterances of %s features (dim %d) to %s%n", n, kind, fx.dimension(k), dir);
        return 0;
    }

    private void progress(int done, int total, Utterance u, long frames) {
        if (frames == 0) {
            System.err.println("skipped " + u.id() + ": shorter than one frame");
        } else if (done % 50 == 0 || done == total) {
            System.out.printf(Locale.ROOT, "%d / %d%n", done, total);
        }
    }

    /** A fine-tuning checkpoint, or a pre-training one of the wav2vec 2.0 family. */
    private static boolean isWav2Vec2(Path checkpoint) throws CheckpointException {
        Checkpoint.Meta meta = Checkpoint.readMeta(checkpoint);
        return meta.vocabulary() != null || "wav2vec2".equals(meta.family());
    }
}
