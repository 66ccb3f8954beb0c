package org.speechwb.engine.model.w2v1;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.model.w2v2.ConvLayerSpec;

/**
 * Architecture and objective of a wav2vec 1.0 or vq-wav2vec model (fairseq's Wav2VecConfig,
 * the fields that shape the network). Immutable; the constructor names the field to change.
 *
 * @param convLayers             encoder f: (channels, kernel, stride); the paper's five layers,
 *                               optionally followed by (C,1,1) layers (the "linear" layers)
 * @param logCompression         {@code log(|z| + 1)} on the encoder output
 * @param contextLayers          context network g: (channels, kernel, 1), causal
 * @param contextSkipConnections {@code (x + residual)·√residualScale} around every context layer,
 *                               with a 1×1 projection where widths differ ("large")
 * @param residualScale          0.5 in the reference: residuals are scaled by √0.5
 * @param contextBias            bias in the context convolutions (the reference has it)
 * @param activation             "relu" (wav2vec 1.0) or "gelu" (the vq-wav2vec recipe)
 * @param normalization          "group": the reference's GroupNorm with one group, which
 *                               normalises each utterance over channels × ALL frames, so every
 *                               output depends (through two statistics per layer) on the whole
 *                               utterance; "layer": LayerNorm over the channels of each frame
 *                               (fairseq's norm_block alternative), strictly causal
 * @param dropout                dropout in the context layers and on the step predictions
 * @param featureDropout         dropout on the encoder (or quantizer) output before the context network
 * @param contextDropout         dropout on the context output (fairseq dropout_agg)
 * @param predictionSteps        K, steps ahead predicted (12)
 * @param offset                 frames between a context vector and its step-1 target; −1 for the
 *                               reference's automatic ceil(receptive field / hop)
 * @param objective              "binary" (the paper's logistic loss) or "infonce" (cross-entropy
 *                               over the positive and its distractors)
 * @param quantizer              "none" (wav2vec 1.0), "gumbel" or "kmeans" (vq-wav2vec)
 * @param vqGroups               G codebook groups
 * @param vqEntries              V entries per group
 * @param vqDim                  width of the quantized vector (0: the encoder width)
 * @param vqDepth                Gumbel logit projection depth: 1 = one Linear, 2 = Linear(C→2C) +
 *                               activation + Linear (the vq-wav2vec recipe)
 * @param combineGroups          one codebook shared by all groups (the recipe's --combine-groups)
 * @param vqGamma                k-means commitment weight γ (0.25)
 */
public record Wav2Vec1Config(
        List<ConvLayerSpec> convLayers,
        boolean logCompression,
        List<ConvLayerSpec> contextLayers,
        boolean contextSkipConnections,
        double residualScale,
        boolean contextBias,
        String activation,
        String normalization,
        double dropout,
        double featureDropout,
        double contextDropout,
        int predictionSteps,
        int offset,
        String objective,
        String quantizer,
        int vqGroups,
        int vqEntries,
        int vqDim,
        int vqDepth,
        boolean combineGroups,
        double vqGamma) {

    public static final String GROUP_NORM = "group";
    public static final String LAYER_NORM = "layer";
    public static final String BINARY = "binary";
    public static final String INFONCE = "infonce";
    public static final String NONE = "none";
    public static final String GUMBEL = "gumbel";
    public static final String KMEANS = "kmeans";

    public Wav2Vec1Config {
        convLayers = List.copyOf(convLayers);
        contextLayers = List.copyOf(contextLayers);
        activation = activation == null ? "relu" : activation.toLowerCase(Locale.ROOT);
        normalization = normalization == null ? GROUP_NORM : normalization.toLowerCase(Locale.ROOT);
        objective = objective == null ? BINARY : objective.toLowerCase(Locale.ROOT);
        quantizer = quantizer == null ? NONE : quantizer.toLowerCase(Locale.ROOT);
        List<String> errors = new ArrayList<>();
        if (convLayers.isEmpty()) {
            errors.add("convLayers: the encoder needs at least one layer");
        }
        if (contextLayers.isEmpty()) {
            errors.add("contextLayers: the context network needs at least one layer");
        }
        for (int i = 0; i < contextLayers.size(); i++) {
            if (contextLayers.get(i).stride() != 1) {
                errors.add("contextLayers[" + i + "]: the causal context network runs at the frame rate, stride must be 1, got "
                        + contextLayers.get(i).stride());
            }
        }
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            errors.add("activation must be relu or gelu, got " + activation);
        }
        if (!normalization.equals(GROUP_NORM) && !normalization.equals(LAYER_NORM)) {
            errors.add("normalization must be group or layer, got " + normalization);
        }
        if (!objective.equals(BINARY) && !objective.equals(INFONCE)) {
            errors.add("objective must be binary or infonce, got " + objective);
        }
        if (!quantizer.equals(NONE) && !quantizer.equals(GUMBEL) && !quantizer.equals(KMEANS)) {
            errors.add("quantizer must be none, gumbel or kmeans, got " + quantizer);
        }
        for (double p : new double[] {dropout, featureDropout, contextDropout}) {
            if (p < 0 || p >= 1) {
                errors.add("dropout probabilities must be in [0, 1), got " + p);
            }
        }
        if (!(residualScale > 0)) {
            errors.add("residualScale must be positive, got " + residualScale);
        }
        if (predictionSteps < 1) {
            errors.add("predictionSteps must be at least 1, got " + predictionSteps);
        }
        if (offset < -1) {
            errors.add("offset must be −1 (automatic) or a frame count ≥ 0, got " + offset);
        }
        if (!quantizer.equals(NONE) && !convLayers.isEmpty()) {
            int encoderWidth = convLayers.get(convLayers.size() - 1).channels();
            int width = vqDim > 0 ? vqDim : encoderWidth;
            if (vqGroups < 1 || vqEntries < 2) {
                errors.add("vqGroups must be at least 1 and vqEntries at least 2");
            } else if (width % vqGroups != 0) {
                errors.add("the quantized width " + width + " is not divisible by vqGroups " + vqGroups);
            }
            if (quantizer.equals(KMEANS) && vqDim > 0 && vqDim != encoderWidth) {
                errors.add("k-means quantizes the encoder output itself: vqDim must be 0 or " + encoderWidth);
            }
            if (quantizer.equals(GUMBEL) && (vqDepth < 1 || vqDepth > 2)) {
                errors.add("vqDepth must be 1 or 2, got " + vqDepth);
            }
            if (vqGamma < 0) {
                errors.add("vqGamma cannot be negative, got " + vqGamma);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid wav2vec 1.0 model: " + String.join("; ", errors));
        }
    }

    /** The paper's encoder: (C,10,5) (C,8,4) (C,4,2) (C,4,2) (C,4,2) plus {@code linear} (C,1,1) layers. */
    public static List<ConvLayerSpec> paperEncoder(int channels, int linear) {
        List<ConvLayerSpec> l = new ArrayList<>(List.of(new ConvLayerSpec(channels, 10, 5), new ConvLayerSpec(channels, 8, 4),
                new ConvLayerSpec(channels, 4, 2), new ConvLayerSpec(channels, 4, 2), new ConvLayerSpec(channels, 4, 2)));
        for (int i = 0; i < linear; i++) {
            l.add(new ConvLayerSpec(channels, 1, 1));
        }
        return l;
    }

    /** wav2vec 1.0 as in the paper: 9 causal layers of kernel 3, no skip connections. */
    public static Wav2Vec1Config paper() {
        List<ConvLayerSpec> ctx = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ctx.add(new ConvLayerSpec(512, 3, 1));
        }
        return new Wav2Vec1Config(paperEncoder(512, 0), true, ctx, false, 0.5, true, "relu", GROUP_NORM, 0.0, 0.0, 0.0, 12, -1,
                BINARY, NONE, 2, 320, 0, 1, false, 0.25);
    }

    /** wav2vec large: 12 context layers of kernels 2..13 with scaled skips, two extra linear encoder layers. */
    public static Wav2Vec1Config large() {
        List<ConvLayerSpec> ctx = new ArrayList<>();
        for (int k = 2; k <= 13; k++) {
            ctx.add(new ConvLayerSpec(512, k, 1));
        }
        return new Wav2Vec1Config(paperEncoder(512, 2), true, ctx, true, 0.5, true, "relu", GROUP_NORM, 0.0, 0.0, 0.0, 12, -1,
                BINARY, NONE, 2, 320, 0, 1, false, 0.25);
    }

    public boolean quantized() {
        return !quantizer.equals(NONE);
    }

    public int encoderChannels() {
        return convLayers.get(convLayers.size() - 1).channels();
    }

    /** Width of the vectors the context network reads and the targets live in. */
    public int featureDim() {
        return quantized() && vqDim > 0 ? vqDim : encoderChannels();
    }

    public int contextChannels() {
        return contextLayers.get(contextLayers.size() - 1).channels();
    }

    public ReceptiveField receptiveField() {
        return ReceptiveField.of(convLayers, contextLayers);
    }

    /** The offset in use: the configured one, or ceil(encoder receptive field / hop) (3 for the paper). */
    public int effectiveOffset() {
        return offset >= 0 ? offset : (int) receptiveField().referenceOffset();
    }

    /** Encoder frames for {@code samples} input samples (0 if too short), layer by layer as the convolutions floor. */
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
}
