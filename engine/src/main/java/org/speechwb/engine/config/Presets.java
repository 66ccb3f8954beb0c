package org.speechwb.engine.config;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The configurations shipped in {@code resources/presets/} (on the class path under
 * {@code /presets/}): the reference BASE and LARGE recipes and a small CPU preset.
 */
public final class Presets {

    /** Preset names with a one-line description, in display order. */
    public static final List<String[]> PRETRAIN = List.of(
            new String[] {"wav2vec2-small-cpu", "small model that learns on the bundled corpus in minutes on 2 cores"},
            new String[] {"wav2vec2-base", "fairseq wav2vec 2.0 BASE (95 M parameters), LibriSpeech recipe"},
            new String[] {"wav2vec2-large", "fairseq wav2vec 2.0 LARGE (317 M parameters), LV-60k recipe"});

    /**
     * wav2vec 1.0 and vq-wav2vec presets, in display order. Kept apart from {@link #PRETRAIN}
     * so that a family choice can list each family's own presets.
     */
    public static final List<String[]> PRETRAIN_WAV2VEC1 = List.of(
            new String[] {"wav2vec1-small-cpu", "small wav2vec 1.0 that learns on the bundled corpus in minutes on 2 cores"},
            new String[] {"wav2vec1-paper", "wav2vec 1.0 as in the paper: 9 causal context layers (~210 ms), K = 12"},
            new String[] {"wav2vec1-large", "wav2vec large: 12 context layers with skips (~810 ms), fairseq README recipe"},
            new String[] {"vq-wav2vec-small-cpu", "small vq-wav2vec (Gumbel, G = 2, V = 64) that learns on the bundled corpus"},
            new String[] {"vq-wav2vec-gumbel", "vq-wav2vec with the Gumbel quantizer (G = 2, V = 320), fairseq recipe"},
            new String[] {"vq-wav2vec-kmeans", "vq-wav2vec with the k-means quantizer (G = 2, V = 320), fairseq recipe"});

    private Presets() {
    }

    public static PretrainConfig pretrain(String name) throws ConfigException {
        String resource = "/presets/" + name + ".yaml";
        try (InputStream in = Presets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(null, "no preset named '" + name + "' (known: "
                        + java.util.stream.Stream.concat(PRETRAIN.stream(), PRETRAIN_WAV2VEC1.stream()).map(p -> p[0]).toList()
                        + ")", null);
            }
            return ConfigIO.readFrom(in, PretrainConfig.class, Path.of("presets", name + ".yaml"), ConfigIO.yaml());
        } catch (java.io.IOException e) {
            throw new ConfigException(null, "cannot read preset " + name + ": " + e.getMessage(), e);
        }
    }

    /** Fine-tuning presets, in display order. */
    public static final List<String[]> FINETUNE = List.of(
            new String[] {"ctc-small-cpu", "fine-tune the small CPU model on minutes of labeled audio"},
            new String[] {"ctc-base-10m", "fairseq BASE 10-minute fine-tuning recipe"});

    public static FinetuneConfig finetune(String name) throws ConfigException {
        String resource = "/presets/" + name + ".yaml";
        try (InputStream in = Presets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(null, "no fine-tuning preset named '" + name + "' (known: "
                        + FINETUNE.stream().map(p -> p[0]).toList() + ")", null);
            }
            return ConfigIO.readFrom(in, FinetuneConfig.class, Path.of("presets", name + ".yaml"), ConfigIO.yaml());
        } catch (java.io.IOException e) {
            throw new ConfigException(null, "cannot read preset " + name + ": " + e.getMessage(), e);
        }
    }

    public static FinetuneConfig finetuneFromNameOrFile(String nameOrPath) throws ConfigException {
        Path p = Path.of(nameOrPath);
        if (java.nio.file.Files.isRegularFile(p)) {
            return ConfigIO.read(p, FinetuneConfig.class);
        }
        return finetune(nameOrPath);
    }

    /**
     * A fine-tuning config for a pre-trained model: the architecture's shapes come from the
     * pre-training run's config, the regularisation (dropouts, LayerDrop, feature_grad_mult)
     * from the fine-tuning config, as fairseq's fine-tuning overrides them. Audio normalisation
     * ({@code data.normalize}) follows the pre-trained model: fairseq requires fine-tuning to
     * normalise as pre-training did, and an imported model says which it expects.
     */
    public static FinetuneConfig forPretrained(FinetuneConfig ft, Path pretrainedRunOrCheckpoint) throws ConfigException {
        org.speechwb.engine.model.w2v2.Wav2Vec2Config pre;
        DataConfig preData;
        try {
            Path file = pretrainedRunOrCheckpoint;
            if (java.nio.file.Files.isDirectory(file)) {
                List<Path> all = new org.speechwb.engine.run.RunFolder(file).checkpoints();
                if (all.isEmpty()) {
                    throw new ConfigException(file, "the pre-training run has no checkpoint yet", null);
                }
                file = all.get(all.size() - 1);
            }
            String yaml = org.speechwb.engine.run.Checkpoint.readMeta(file).config();
            PretrainConfig preCfg = ConfigIO.readYaml(yaml, PretrainConfig.class, file);
            pre = preCfg.wav2vec2();
            preData = preCfg.data();
        } catch (org.speechwb.engine.run.CheckpointException | java.io.IOException e) {
            throw new ConfigException(pretrainedRunOrCheckpoint, e.getMessage(), e);
        }
        org.speechwb.engine.model.w2v2.Wav2Vec2Config f = ft.wav2vec2();
        org.speechwb.engine.model.w2v2.Wav2Vec2Config merged = new org.speechwb.engine.model.w2v2.Wav2Vec2Config(
                pre.convLayers(), pre.extractorMode(), pre.convBias(), pre.modelDim(), pre.ffnDim(), pre.layers(),
                pre.heads(), pre.layerNormFirst(), f.dropout(), f.attentionDropout(), f.activationDropout(),
                f.inputDropout(), f.featureDropout(), f.layerDrop(), pre.posConvKernel(), pre.posConvGroups(),
                f.featureGradMult(), pre.finalDim(), pre.codebookGroups(), pre.codebookEntries(), pre.logitTemperature());
        FinetuneConfig out = ft.withModel(merged).withPretrained(pretrainedRunOrCheckpoint.toAbsolutePath().toString());
        if (preData.normalize() != out.data().normalize()
                || !java.util.Objects.equals(preData.normalizeEpsilon(), out.data().normalizeEpsilon())) {
            out = new FinetuneConfig(out.pretrained(), out.wav2vec2(), out.vocabulary(), out.masking(), out.channelMaskProb(),
                    out.channelMaskLength(), out.finalDropout(), out.freezeUpdates(), out.freezeFeatureEncoder(),
                    out.optimizer(), out.data().withNormalize(preData.normalize(), preData.normalizeEpsilon()), out.run(),
                    out.validationInterval(), out.selection());
        }
        return out;
    }

    /** A preset name, or a path to a YAML/JSON file. */
    public static PretrainConfig pretrainFromNameOrFile(String nameOrPath) throws ConfigException {
        Path p = Path.of(nameOrPath);
        if (java.nio.file.Files.isRegularFile(p)) {
            return ConfigIO.read(p, PretrainConfig.class);
        }
        return pretrain(nameOrPath);
    }
}
