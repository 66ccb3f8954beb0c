package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

/**
 * Architecture of a wav2vec 2.0 model (fairseq's Wav2Vec2Config, the fields that shape the
 * network). Immutable; the constructor rejects inconsistent shapes with a message that says
 * which field to change.
 *
 * @param convLayers        feature encoder layers (channels, kernel, stride)
 * @param extractorMode     where the encoder normalises (BASE default / LARGE layer_norm)
 * @param convBias          bias in the encoder convolutions (false in the reference)
 * @param modelDim          Transformer width d (768 BASE, 1024 LARGE)
 * @param ffnDim            Transformer feed-forward width (3072 / 4096)
 * @param layers            Transformer layers (12 / 24)
 * @param heads             attention heads (12 in the reference config, 16 LARGE)
 * @param layerNormFirst    pre-LN layers plus a final LayerNorm (LARGE) instead of post-LN (BASE)
 * @param dropout           Transformer dropout (0.1)
 * @param attentionDropout  dropout on attention probabilities (0.1)
 * @param activationDropout dropout after the FFN activation (0.0)
 * @param inputDropout      dropout on the projected features before masking (dropout_input 0.1)
 * @param featureDropout    dropout on the quantizer input (dropout_features 0.1)
 * @param layerDrop         probability of skipping a whole Transformer layer (0.05)
 * @param posConvKernel     positional convolution width (128)
 * @param posConvGroups     positional convolution groups (16)
 * @param featureGradMult   gradient scale into the feature encoder (0.1 BASE, 1.0 LARGE)
 * @param finalDim          D: width of quantized targets and of the context projection (256 / 768)
 * @param codebookGroups    G (2)
 * @param codebookEntries   V (320)
 * @param logitTemperature  κ, cosine-similarity temperature (0.1)
 */
public record Wav2Vec2Config(
        List<ConvLayerSpec> convLayers,
        ExtractorMode extractorMode,
        boolean convBias,
        int modelDim,
        int ffnDim,
        int layers,
        int heads,
        boolean layerNormFirst,
        double dropout,
        double attentionDropout,
        double activationDropout,
        double inputDropout,
        double featureDropout,
        double layerDrop,
        int posConvKernel,
        int posConvGroups,
        double featureGradMult,
        int finalDim,
        int codebookGroups,
        int codebookEntries,
        double logitTemperature) {

    public Wav2Vec2Config {
        convLayers = List.copyOf(convLayers);
        List<String> errors = new ArrayList<>();
        if (convLayers.isEmpty()) {
            errors.add("convLayers: the feature encoder needs at least one layer");
        }
        if (modelDim <= 0 || ffnDim <= 0 || layers <= 0 || heads <= 0) {
            errors.add("modelDim, ffnDim, layers and heads must be positive");
        } else if (modelDim % heads != 0) {
            errors.add("modelDim " + modelDim + " is not divisible by heads " + heads);
        }
        if (posConvGroups <= 0 || modelDim % posConvGroups != 0) {
            errors.add("modelDim " + modelDim + " is not divisible by posConvGroups " + posConvGroups);
        }
        if (posConvKernel < 2 || posConvKernel % 2 != 0) {
            errors.add("posConvKernel must be even and at least 2 (the reference uses 128), got " + posConvKernel);
        }
        if (codebookGroups <= 0 || codebookEntries < 2) {
            errors.add("the quantizer needs at least one group and two entries per group");
        } else if (finalDim % codebookGroups != 0) {
            errors.add("finalDim " + finalDim + " is not divisible by codebookGroups " + codebookGroups
                    + " (each group contributes finalDim/G dimensions)");
        }
        for (double[] p : new double[][] {{dropout}, {attentionDropout}, {activationDropout}, {inputDropout},
                {featureDropout}, {layerDrop}}) {
            if (p[0] < 0 || p[0] >= 1) {
                errors.add("dropout-type probabilities must be in [0, 1), got " + p[0]);
            }
        }
        if (featureGradMult < 0 || featureGradMult > 1) {
            errors.add("featureGradMult must be in [0, 1], got " + featureGradMult);
        }
        if (logitTemperature <= 0) {
            errors.add("logitTemperature must be positive, got " + logitTemperature);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid wav2vec 2.0 model: " + String.join("; ", errors));
        }
    }

    /** The reference feature encoder: (512,10,5), (512,3,2)×4, (512,2,2)×2. */
    public static List<ConvLayerSpec> referenceEncoder(int channels) {
        List<ConvLayerSpec> l = new ArrayList<>();
        l.add(new ConvLayerSpec(channels, 10, 5));
        for (int i = 0; i < 4; i++) {
            l.add(new ConvLayerSpec(channels, 3, 2));
        }
        l.add(new ConvLayerSpec(channels, 2, 2));
        l.add(new ConvLayerSpec(channels, 2, 2));
        return l;
    }

    /** fairseq wav2vec2_base: 95 M parameters. */
    public static Wav2Vec2Config base() {
        return new Wav2Vec2Config(referenceEncoder(512), ExtractorMode.DEFAULT, false, 768, 3072, 12, 12, false,
                0.1, 0.1, 0.0, 0.1, 0.1, 0.05, 128, 16, 0.1, 256, 2, 320, 0.1);
    }

    /**
     * fairseq wav2vec2_large_librivox: 317 M parameters; that recipe turns every dropout off
     * (dropout, attention, input and feature dropout 0) and LayerDrop too.
     */
    public static Wav2Vec2Config large() {
        return new Wav2Vec2Config(referenceEncoder(512), ExtractorMode.LAYER_NORM, true, 1024, 4096, 24, 16, true,
                0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 128, 16, 1.0, 768, 2, 320, 0.1);
    }

    public int encoderChannels() {
        return convLayers.get(convLayers.size() - 1).channels();
    }

    /** Encoder frames produced from {@code samples} input samples (0 if too short). */
    public long framesFor(long samples) {
        long t = samples;
        for (ConvLayerSpec l : convLayers) {
            if (t < l.kernel()) {
                return 0;
            }
            t = (t - l.kernel()) / l.stride() + 1;
        }
        return t;
    }

    /** Samples between consecutive frames (320 for the reference encoder: 20 ms at 16 kHz). */
    public long hopSamples() {
        long hop = 1;
        for (ConvLayerSpec l : convLayers) {
            hop *= l.stride();
        }
        return hop;
    }

    /** Samples seen by one frame (400 for the reference encoder: 25 ms at 16 kHz). */
    public long receptiveFieldSamples() {
        long rf = 1;
        long jump = 1;
        for (ConvLayerSpec l : convLayers) {
            rf += (l.kernel() - 1) * jump;
            jump *= l.stride();
        }
        return rf;
    }

    /** First input sample covered by frame {@code t}. */
    public long frameStartSample(long t) {
        return t * hopSamples();
    }
}
