package org.speechwb.app.experiment;

import java.util.Map;

/** One-line explanations of the config fields, shown as tooltips (from the engine's record docs). */
final class FieldDocs {

    private FieldDocs() {
    }

    private static final Map<String, String> DOCS = Map.ofEntries(
            Map.entry("wav2vec2.convLayers", "Feature encoder layers (channels,kernel,stride); xN repeats. Reference:"
                    + " (512,10,5) (512,3,2)x4 (512,2,2)x2 = 20 ms hop, 25 ms receptive field"),
            Map.entry("wav2vec2.extractorMode", "Where the encoder normalises: default (GroupNorm after the first conv,"
                    + " BASE) or layer_norm (after every conv, LARGE)"),
            Map.entry("wav2vec2.convBias", "Bias in the encoder convolutions (false in BASE)"),
            Map.entry("wav2vec2.modelDim", "Transformer width d (768 BASE, 1024 LARGE)"),
            Map.entry("wav2vec2.ffnDim", "Transformer feed-forward width (3072 BASE, 4096 LARGE)"),
            Map.entry("wav2vec2.layers", "Transformer layers (12 BASE, 24 LARGE)"),
            Map.entry("wav2vec2.heads", "Attention heads; must divide modelDim"),
            Map.entry("wav2vec2.layerNormFirst", "Pre-LN layers plus a final LayerNorm (LARGE) instead of post-LN (BASE)"),
            Map.entry("wav2vec2.dropout", "Transformer dropout (0.1)"),
            Map.entry("wav2vec2.attentionDropout", "Dropout on attention probabilities (0.1)"),
            Map.entry("wav2vec2.activationDropout", "Dropout after the FFN activation (0.0)"),
            Map.entry("wav2vec2.inputDropout", "Dropout on the projected features before masking (0.1)"),
            Map.entry("wav2vec2.featureDropout", "Dropout on the quantizer input (0.1)"),
            Map.entry("wav2vec2.layerDrop", "Probability of skipping a whole Transformer layer (0.05)"),
            Map.entry("wav2vec2.posConvKernel", "Positional convolution width in frames (128); even"),
            Map.entry("wav2vec2.posConvGroups", "Positional convolution groups (16); must divide modelDim"),
            Map.entry("wav2vec2.featureGradMult", "Gradient scale into the feature encoder (0.1 BASE, 1.0 LARGE)"),
            Map.entry("wav2vec2.finalDim", "Width of quantized targets and context projection (256 BASE, 768 LARGE)"),
            Map.entry("wav2vec2.codebookGroups", "Codebook groups G (2)"),
            Map.entry("wav2vec2.codebookEntries", "Entries per codebook group V (320)"),
            Map.entry("wav2vec2.logitTemperature", "Cosine-similarity temperature κ of the contrastive task (0.1)"),
            Map.entry("wav2vec1.convLayers", "Encoder f (channels,kernel,stride); xN repeats. Paper: (512,10,5)"
                    + " (512,8,4) (512,4,2)x3 = 10 ms hop, ~30 ms receptive field; (C,1,1) layers add depth"),
            Map.entry("wav2vec1.logCompression", "log(|z| + 1) on the encoder output (true in the paper)"),
            Map.entry("wav2vec1.contextLayers", "Causal context network g (channels,kernel,1): each layer sees kernel − 1"
                    + " more past frames. Paper: (512,3,1)x9 = ~210 ms"),
            Map.entry("wav2vec1.contextSkipConnections", "Scaled residual skips around context layers (wav2vec large)"),
            Map.entry("wav2vec1.residualScale", "Residuals are scaled by √residualScale (0.5)"),
            Map.entry("wav2vec1.contextBias", "Bias in the context convolutions (true)"),
            Map.entry("wav2vec1.activation", "relu (wav2vec 1.0) or gelu (vq-wav2vec recipe)"),
            Map.entry("wav2vec1.normalization", "group: one-group GroupNorm over the whole utterance (reference, not"
                    + " strictly causal); layer: LayerNorm per frame (strictly causal)"),
            Map.entry("wav2vec1.dropout", "Dropout in the context layers and on the step predictions"),
            Map.entry("wav2vec1.featureDropout", "Dropout on the encoder (or quantizer) output"),
            Map.entry("wav2vec1.contextDropout", "Dropout on the context output"),
            Map.entry("wav2vec1.predictionSteps", "K: steps ahead the context predicts (12 in the paper)"),
            Map.entry("wav2vec1.offset", "Frames between a context vector and its step-1 target; −1 = automatic"
                    + " ceil(receptive field / hop) = 3 for the paper"),
            Map.entry("wav2vec1.objective", "binary (the paper's logistic loss) or infonce (cross-entropy over the"
                    + " positive and its distractors)"),
            Map.entry("wav2vec1.quantizer", "none (wav2vec 1.0), gumbel or kmeans (vq-wav2vec); set by the preset"),
            Map.entry("wav2vec1.vqGroups", "Codebook groups G (2)"),
            Map.entry("wav2vec1.vqEntries", "Entries per group V (320)"),
            Map.entry("wav2vec1.vqDim", "Width of the quantized vector; 0 = the encoder width"),
            Map.entry("wav2vec1.vqDepth", "Gumbel logit projection: 1 = one Linear, 2 = Linear(C→2C) + activation +"
                    + " Linear (recipe)"),
            Map.entry("wav2vec1.combineGroups", "One codebook shared by all groups (--combine-groups)"),
            Map.entry("wav2vec1.vqGamma", "k-means commitment weight γ (0.25)"),
            Map.entry("masking.maskProb", "Share of frames chosen as span starts (0.65 → about 49% masked)"),
            Map.entry("masking.maskLength", "Span length in frames (10 = 200 ms); must be shorter than the shortest crop"),
            Map.entry("masking.minMasks", "At least this many spans per utterance (2)"),
            Map.entry("masking.requireSameMasks", "Equalise the masked count across the batch (true, as the reference)"),
            Map.entry("quantizer.startTemperature", "Gumbel-softmax temperature at update 0 (2.0)"),
            Map.entry("quantizer.endTemperature", "Lowest temperature (0.5 BASE, 0.1 LARGE)"),
            Map.entry("quantizer.decay", "Temperature factor per update: τ = max(start·decay^u, end) (0.999995)"),
            Map.entry("loss.negatives", "Distractors per target: 100 masked frames (wav2vec 2.0), 10 frames of the same"
                    + " utterance (wav2vec 1.0); InfoNCE chance level is log2(N+1) bits"),
            Map.entry("loss.diversityWeight", "Weight α of the codebook diversity loss (0.1); in vq-wav2vec the weight of the"
                    + " quantizer's own loss (0 Gumbel, 1 k-means)"),
            Map.entry("loss.penaltyWeight", "Weight λ of the feature penalty (10)"),
            Map.entry("loss.levelPool", "0 (the reference): distractors from every masked frame; n: only from the n masked"
                    + " frames nearest the target in loudness, so codes that only code loudness stop paying"),
            Map.entry("loss.mfccClusters", "0 (wav2vec 2.0): predict the quantizer's learned codes; K: HuBERT's first"
                    + " iteration, predict each masked frame's k-means cluster (of K, 100 in HuBERT) of its MFCCs, fitted"
                    + " on the training audio before update 1 (set loss.diversityWeight to 0)"),
            Map.entry("loss.mfccCmvn", "With loss.mfccClusters: normalise each crop's MFCCs to zero mean and unit variance"
                    + " before clustering; takes most of the speaker out of the clusters (on real speech, letters too)"),
            Map.entry("optimizer.lr", "Peak learning rate (5e-4 BASE)"),
            Map.entry("optimizer.beta1", "Adam β1 (0.9)"),
            Map.entry("optimizer.beta2", "Adam β2 (0.98)"),
            Map.entry("optimizer.eps", "Adam ε (1e-6)"),
            Map.entry("optimizer.weightDecay", "Decoupled weight decay (0.01)"),
            Map.entry("optimizer.decayAllParams", "Decay every parameter as fairseq does; false exempts biases and norms"),
            Map.entry("optimizer.schedule", "polynomial (wav2vec 2.0), cosine (wav2vec 1.0) or tri_stage (fine-tuning)"),
            Map.entry("optimizer.warmupUpdates", "Updates of linear warm-up (32 000 of 400 000 for BASE)"),
            Map.entry("optimizer.holdUpdates", "tri_stage only: updates held at the peak"),
            Map.entry("optimizer.endLr", "Learning rate at the last update"),
            Map.entry("optimizer.power", "Polynomial decay power (1 = linear)"),
            Map.entry("optimizer.clipNorm", "Global gradient-norm limit; 0 disables clipping"),
            Map.entry("optimizer.updateFreq", "Micro-batches accumulated per update (fairseq update_freq)"),
            Map.entry("data.maxSampleSize", "Crop limit in 16 kHz samples (250 000 = 15.6 s)"),
            Map.entry("data.minSampleSize", "Shorter utterances are dropped (32 000 = 2 s)"),
            Map.entry("data.maxTokens", "Samples per batch (1 400 000 per GPU in the reference)"),
            Map.entry("data.maxBatchSize", "Utterances per batch; 0 for no limit"),
            Map.entry("data.gainJitterDb", "0 (the reference): crops as recorded; g: a random loudness contour of ±g dB"
                    + " (knots every 100 ms) over each pre-training crop, to make loudness less predictable"),
            Map.entry("data.normalize", "Per-utterance zero mean / unit variance (LARGE)"),
            Map.entry("data.cacheMegabytes", "Decoded audio kept in memory across epochs"),
            Map.entry("run.maxUpdates", "Optimiser updates to run (400 000 for BASE)"),
            Map.entry("run.checkpointInterval", "Updates between checkpoints"),
            Map.entry("run.keepCheckpoints", "Newest checkpoints kept on disk"),
            Map.entry("run.seed", "Seeds initialisation, batch order, masks, negatives and noise"),
            Map.entry("run.nanTolerance", "Consecutive non-finite updates skipped before the run stops"),
            Map.entry("run.warnAfterUpdates", "Health warnings (chance-level loss, codebook collapse) only after this"));

    static String describe(String path) {
        return DOCS.getOrDefault(path, path);
    }
}
