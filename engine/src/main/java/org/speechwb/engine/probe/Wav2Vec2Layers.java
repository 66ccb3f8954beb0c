package org.speechwb.engine.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.data.AudioBatcher;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.features.FeatureFiles;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.inspect.Inspector;
import org.speechwb.engine.model.w2v1.FeatureExtractor;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.RunFolder;

/**
 * The per-layer representations of a wav2vec 2.0 model, in evaluation mode: the feature
 * encoder's output (after its LayerNorm), the Transformer's input and every Transformer layer's
 * output, all one frame per {@link Wav2Vec2Config#hopSamples()} samples; for a pre-training
 * checkpoint also the quantizer's codes, one-hot per codebook group: the targets the contrastive
 * task asks the model to pick out, so a probe on them tells whether the targets themselves carry
 * letters. Loads a pre-training or fine-tuning checkpoint, or builds the same architecture with
 * random weights, which is the baseline a probe needs to tell what pre-training put into a layer
 * from what the architecture gives for free.
 */
public final class Wav2Vec2Layers {

    /** The last of {@link #layerNames()} for a pre-training checkpoint (a fine-tuning one has no quantizer). */
    public static final String CODES = "quantizer codes";
    /** The same slot for a model pre-trained on MFCC cluster targets (HuBERT-style): its targets are the clusters. */
    public static final String CLUSTERS = "MFCC clusters";

    private final Wav2Vec2CtcModel model;
    /** Computes the codes; null for a fine-tuning checkpoint. */
    private final Inspector quantizer;
    private final boolean normalize;
    private final double epsilon;
    private final String description;
    /** Appended to a front end's name: "" for trained weights, so a random one is never taken for them. */
    private final String nameSuffix;
    private final Arena arena = new Arena(DataType.FLOAT);
    private final Ctx ctx = new Ctx(arena, false, Nd4j.getRandom());

    private Wav2Vec2Layers(Wav2Vec2CtcModel model, Inspector quantizer, boolean normalize, double epsilon,
                           String description, String nameSuffix) {
        this.model = model;
        this.quantizer = quantizer;
        this.normalize = normalize;
        this.epsilon = epsilon;
        this.description = description;
        this.nameSuffix = nameSuffix;
    }

    /**
     * @param runOrCheckpoint a wav2vec 2.0 pre-training or fine-tuning checkpoint, or a run folder
     *                        (its newest checkpoint)
     */
    public static Wav2Vec2Layers load(Path runOrCheckpoint) throws IOException, CheckpointException {
        Path file = RunFolder.newestCheckpoint(runOrCheckpoint);
        Checkpoint.Loaded c = Checkpoint.read(file);
        String yaml = c.meta().config();
        Wav2Vec2Config arch;
        boolean normalize;
        double epsilon;
        PretrainConfig pre = null; // stays null for a fine-tuning checkpoint, which has no quantizer
        try {
            if (c.meta().vocabulary() != null) {
                FinetuneConfig f = ConfigIO.readYaml(yaml, FinetuneConfig.class, file);
                arch = f.wav2vec2();
                normalize = f.data().normalize();
                epsilon = f.data().epsilon();
            } else {
                pre = ConfigIO.readYaml(yaml, PretrainConfig.class, file);
                if (pre.wav2vec2() == null) {
                    throw new CheckpointException(file, "layer probes need a wav2vec 2.0 checkpoint, this one is "
                            + pre.family(), null);
                }
                arch = pre.wav2vec2();
                normalize = pre.data().normalize();
                epsilon = pre.data().epsilon();
            }
        } catch (ConfigException e) {
            throw new CheckpointException(file, "its stored config is invalid: " + e.getMessage(), e);
        }
        Wav2Vec2CtcModel model = new Wav2Vec2CtcModel(arch, 2, 0.0, 1, DataType.FLOAT);
        Map<String, INDArray> weights = new HashMap<>();
        for (int i = 0; i < c.meta().tensors().size(); i++) {
            weights.put(c.meta().tensors().get(i).name(), c.params().get(i));
        }
        List<String> copied = model.loadPretrained(weights);
        long expected = model.params().list().stream().filter(p -> !p.name().startsWith("ctc_head.")).count();
        if (copied.size() < expected) {
            throw new CheckpointException(file, "only " + copied.size() + " of " + expected
                    + " encoder tensors match this architecture", null);
        }
        Inspector quantizer = pre == null ? null : Inspector.of(file, c, pre);
        return new Wav2Vec2Layers(model, quantizer, normalize, epsilon, file.getFileName() + " (update "
                + c.meta().update() + ")", "");
    }

    /** The architecture of {@code runOrCheckpoint} with random weights drawn from {@code seed}. */
    public static Wav2Vec2Layers randomLike(Path runOrCheckpoint, long seed) throws IOException, CheckpointException {
        Wav2Vec2Layers trained = load(runOrCheckpoint);
        Wav2Vec2CtcModel model = new Wav2Vec2CtcModel(trained.model.config(), 2, 0.0, seed, DataType.FLOAT);
        // the codes come from a random pre-training model of their own: the CTC model has no quantizer
        Inspector quantizer = trained.quantizer == null ? null : trained.quantizer.withRandomWeights(seed);
        return new Wav2Vec2Layers(model, quantizer, trained.normalize, trained.epsilon, "random initialisation (seed "
                + seed + ")", " at random initialisation (seed " + seed + ")");
    }

    public String description() {
        return description;
    }

    /** Names of the representations, in the order {@link #compute} returns them. */
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        names.add("features");
        names.add("transformer input");
        for (int l = 1; l <= model.config().layers(); l++) {
            names.add("layer " + l);
        }
        if (quantizer != null) {
            names.add(clusterTargets() > 0 ? CLUSTERS : CODES);
        }
        return names;
    }

    public int hopSamples() {
        return (int) model.config().hopSamples();
    }

    /** Frames of an utterance of {@code samples} samples. */
    public int framesFor(int samples) {
        return Math.max(0, model.framesFor(samples));
    }

    /**
     * Index into {@link #compute}'s list for a layer named as transformers counts
     * {@code hidden_states}: {@code features}, {@code 0} (the Transformer's input) to {@code L}, or
     * {@code last} (what the CTC head reads; -1).
     */
    public int layerIndex(String spec) {
        int layers = model.config().layers();
        if (spec.equals("features")) {
            return 0;
        }
        if (spec.equals("last")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(spec);
            if (n >= 0 && n <= layers) {
                return 1 + n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("layer " + spec + ": expected features, last, or a layer from 0 (the"
                + " Transformer's input) to " + layers);
    }

    /**
     * Index into {@link #layerNames()} for a representation named as {@link #layerIndex} names
     * layers, or {@code codes} for the quantizer's codes.
     */
    public int representationIndex(String spec) {
        if (spec.equals("codes")) {
            if (quantizer == null) {
                throw new IllegalArgumentException("codes: " + description + " has no quantizer (it is a fine-tuning"
                        + " checkpoint); probe the pre-training run it came from");
            }
            return encoderRepresentations();
        }
        int i = layerIndex(spec);
        return i < 0 ? 1 + model.config().layers() : i;
    }

    private boolean isCodes(int index) {
        return quantizer != null && index == encoderRepresentations();
    }

    /** K for a model whose targets are K MFCC clusters, else 0. */
    private int clusterTargets() {
        return quantizer == null ? 0 : quantizer.config().loss().mfccClusters();
    }

    /** Width of a code's one-hot row: a cluster per frame, or an entry per codebook group. */
    private int codeWidth() {
        return clusterTargets() > 0 ? clusterTargets() : model.config().codebookGroups() * model.config().codebookEntries();
    }

    /**
     * How many of the representations the encoder gives (the feature encoder's, the Transformer
     * input's, every layer's); the codes come after them in {@link #layerNames()}.
     */
    private int encoderRepresentations() {
        return 2 + model.config().layers();
    }

    /**
     * One representation as a front end for the acoustic model: {@code index} into
     * {@link #layerNames()} (0 the feature encoder's output, 1 the Transformer's input, then each layer, then,
     * for a pre-training checkpoint, the codes).
     */
    public FrontEnd frontEnd(int index) {
        List<String> names = layerNames();
        if (index < 0 || index >= names.size()) {
            throw new IllegalArgumentException("representation " + index + ": expected 0 to " + (names.size() - 1));
        }
        Wav2Vec2Config c = model.config();
        int dim = index == 0 ? c.encoderChannels() : isCodes(index) ? codeWidth()
                : c.modelDim();
        String name = "wav2vec 2.0 " + names.get(index) + nameSuffix;
        return new FrontEnd() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int dimension() {
                return dim;
            }

            @Override
            public int hopSamples() {
                return Wav2Vec2Layers.this.hopSamples();
            }

            @Override
            public int framesFor(int samples) {
                return Wav2Vec2Layers.this.framesFor(samples);
            }

            @Override
            public float[][] compute(float[] samples) {
                return isCodes(index) ? codes(samples) : encoderStates(samples).get(index);
            }
        };
    }

    /** One representation ({@link #layerIndex}) of one 16 kHz utterance, {@code [frames][dim]}. */
    public synchronized float[][] compute(float[] samples, int index) {
        if (index >= 0) {
            return isCodes(index) ? codes(samples) : encoderStates(samples).get(index);
        }
        int frames = framesFor(samples.length);
        if (frames < 1) {
            return new float[0][];
        }
        float[] input = normalize ? AudioBatcher.normalised(samples, epsilon) : samples;
        try (INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c');
             INDArray h = model.headInput(ctx, wave)) {
            return rows(h.reshape(h.length()).toFloatVector(), frames);
        }
    }

    /** Writes one .npy per utterance plus index.tsv and features.json, as {@code extract-features} does for wav2vec 1.0. */
    public int extract(List<Utterance> utterances, Path out, String layer, FeatureExtractor.Progress progress)
            throws IOException {
        int index = layerIndex(layer);
        FeatureFiles.Written w = FeatureFiles.write(utterances, out, progress::utterance, samples -> {
            float[][] f = compute(samples, index);
            int dim = f.length == 0 ? 0 : f[0].length;
            float[] flat = new float[f.length * dim];
            for (int t = 0; t < f.length; t++) {
                System.arraycopy(f[t], 0, flat, t * dim, dim);
            }
            return new FeatureFiles.Matrix(flat, f.length, dim);
        });
        int written = w.files();
        int dim = w.dim();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("kind", "layer");
        meta.put("family", "wav2vec2");
        meta.put("layer", layer);
        meta.put("layerName", index < 0 ? "CTC head input" : layerNames().get(index));
        meta.put("dim", dim);
        meta.put("hopMs", hopSamples() / 16.0);
        meta.put("dtype", "float32");
        meta.put("layout", "[frames, dim]");
        meta.put("model", description);
        meta.put("utterances", written);
        ConfigIO.json().writerWithDefaultPrettyPrinter().writeValue(out.resolve("features.json").toFile(), meta);
        return written;
    }

    private static float[][] rows(float[] flat, int frames) {
        int dim = flat.length / frames;
        float[][] f = new float[frames][dim];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(flat, t * dim, f[t], 0, dim);
        }
        return f;
    }

    /** Every representation of one 16 kHz utterance, each {@code [frames][dim]}; empty arrays when too short. */
    public List<float[][]> compute(float[] samples) {
        return compute(samples, allRepresentations());
    }

    /** Every index into {@link #layerNames()}, in order. */
    public List<Integer> allRepresentations() {
        return IntStream.range(0, layerNames().size()).boxed().toList();
    }

    /**
     * The representations at {@code indices} into {@link #layerNames()}, in that order; the model
     * runs once for all the encoder's and once more only if the codes are asked for.
     */
    public synchronized List<float[][]> compute(float[] samples, List<Integer> indices) {
        boolean encoder = indices.stream().anyMatch(i -> !isCodes(i));
        List<float[][]> states = encoder ? encoderStates(samples) : List.of();
        List<float[][]> out = new ArrayList<>();
        for (int i : indices) {
            out.add(isCodes(i) ? codes(samples) : states.get(i));
        }
        return out;
    }

    /** The codes as one-hot rows, {@code groups × entries} wide; all zero where the audio was too short to code. */
    private float[][] codes(float[] samples) {
        if (framesFor(samples.length) < 1) {
            return new float[0][];
        }
        int[][] codes = quantizer.codes(samples);
        int entries = clusterTargets() > 0 ? clusterTargets() : model.config().codebookEntries();
        float[][] oneHot = new float[codes.length][codes.length == 0 ? 0 : codes[0].length * entries];
        for (int t = 0; t < codes.length; t++) {
            for (int g = 0; g < codes[t].length; g++) {
                if (codes[t][g] >= 0) {
                    oneHot[t][g * entries + codes[t][g]] = 1;
                }
            }
        }
        return oneHot;
    }

    /** The feature encoder's, the Transformer input's and every layer's output. */
    private synchronized List<float[][]> encoderStates(float[] samples) {
        int frames = framesFor(samples.length);
        List<float[][]> out = new ArrayList<>();
        if (frames < 1) {
            for (int i = 0; i < encoderRepresentations(); i++) {
                out.add(new float[0][]);
            }
            return out;
        }
        // an imported transformers model normalises with its own ε (1e-7), not fairseq's 1e-5
        float[] input = normalize ? AudioBatcher.normalised(samples, epsilon) : samples;
        try (INDArray wave = Nd4j.create(input, new long[] {1, input.length}, 'c')) {
            for (INDArray tap : model.hiddenStates(ctx, wave)) {
                float[] flat = tap.reshape(tap.length()).toFloatVector();
                // the copies live outside the arena: free them now rather than when the GC gets round to it
                tap.close();
                out.add(rows(flat, frames));
            }
        }
        return out;
    }
}
