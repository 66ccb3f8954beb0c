package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.config.LossConfig;
import org.speechwb.engine.features.Mfcc;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;
import org.speechwb.engine.nn.Tensors;

/**
 * wav2vec 2.0 for pre-training (fairseq's Wav2Vec2Model.forward and the wav2vec criterion):
 * <pre>
 * wave → FeatureEncoder → penalty = mean(z²) → LayerNorm ─┬→ [Linear C→d] → dropout_input → mask → Transformer → final_proj ─┐
 *                                                         └→ dropout_features → GumbelQuantizer → project_q ─────────────────┴→ ContrastiveLoss
 * </pre>
 * Total loss = contrastive (mean over masked frames) + α·diversity + λ·penalty, equal to the
 * reference's summed loss divided by the number of masked frames. The gradient into the
 * feature encoder is scaled by feature_grad_mult, penalty included, as in the reference.
 *
 * <p>With MFCC cluster targets (HuBERT's first iteration, {@code loss.mfccClusters}) the quantizer
 * branch is not run: final_proj feeds {@link ClusterPrediction} against each frame's fixed
 * cluster, and the loss is its cross-entropy + λ·penalty. The quantizer's weights stay as
 * initialised (and keep the checkpoint's layout that of every wav2vec 2.0 model); the cluster
 * centroids ride in the checkpoint as a parameter that never receives a gradient.
 */
public final class Wav2Vec2Model {

    /** What one update feeds the model. */
    public record Batch(INDArray wave, boolean[][] mask, float[] negCounts, double temperature,
                        boolean[] activeLayers, int[][] labels) {
        /** A batch for the contrastive task (no cluster labels). */
        public Batch(INDArray wave, boolean[][] mask, float[] negCounts, double temperature, boolean[] activeLayers) {
            this(wave, mask, negCounts, temperature, activeLayers, null);
        }
    }

    /** What one pass produced (host values). */
    public record Result(double loss, double contrastive, double diversity, double penalty,
                         double codePerplexity, double probPerplexity, double accuracy, int maskedFrames,
                         int frames, int[] codes, boolean[] correct, double[] targetLogit, long[][] codeCounts) {
    }

    private final Wav2Vec2Config cfg;
    private final ParamStore params;
    private final FeatureEncoder encoder;
    private final LayerNorm featureNorm;
    private final Linear postExtractProj;
    private final Dropout inputDropout;
    private final Dropout featureDropout;
    private final Param maskEmb;
    private final TransformerEncoder transformer;
    private final Linear finalProj;
    private final GumbelQuantizer quantizer;
    private final Linear projectQ;
    private final ContrastiveLoss contrastive;
    private final ClusterPrediction clusterHead;
    private final Param centroids;
    private final boolean mfccCmvn;

    // kept between forward and backward
    private INDArray feats;
    private INDArray maskCol;
    private ContrastiveLoss.Result lastContrastive;
    private long batchSize;

    /** A model for wav2vec 2.0's quantizer targets. */
    public Wav2Vec2Model(Wav2Vec2Config cfg, long seed, DataType dtype) {
        this(cfg, seed, dtype, null);
    }

    /**
     * @param loss the objective, which says whether the targets are the quantizer's codes or
     *             HuBERT-style MFCC clusters ({@code mfccClusters}, {@code mfccCmvn}); null: the codes
     */
    public Wav2Vec2Model(Wav2Vec2Config cfg, long seed, DataType dtype, LossConfig loss) {
        int mfccClusters = loss == null ? 0 : loss.mfccClusters();
        this.mfccCmvn = loss != null && loss.mfccCmvn();
        this.cfg = cfg;
        this.params = new ParamStore(dtype, seed);
        int c = cfg.encoderChannels();
        int d = cfg.modelDim();
        this.encoder = new FeatureEncoder(params, cfg);
        this.featureNorm = new LayerNorm(params, "layer_norm", c);
        this.postExtractProj = c == d ? null : new Linear(params, "post_extract_proj", c, d, Linear.Init.TORCH, true);
        this.inputDropout = new Dropout("dropout_input", cfg.inputDropout());
        this.featureDropout = new Dropout("dropout_features", cfg.featureDropout());
        this.maskEmb = params.add("mask_emb", params.uniform(0, 1, d), true);
        this.transformer = new TransformerEncoder(params, cfg);
        this.finalProj = new Linear(params, "final_proj", d, cfg.finalDim(), Linear.Init.TORCH, true);
        this.quantizer = new GumbelQuantizer(params, cfg);
        this.projectQ = new Linear(params, "project_q", cfg.finalDim(), cfg.finalDim(), Linear.Init.TORCH, true);
        this.contrastive = new ContrastiveLoss(cfg);
        // added last, so that a quantizer model's parameter order is unchanged
        this.clusterHead = mfccClusters == 0 ? null
                : new ClusterPrediction(params, mfccClusters, cfg.finalDim(), cfg.logitTemperature());
        this.centroids = mfccClusters == 0 ? null
                : params.add("label_centroids", params.constant(0, mfccClusters, Mfcc.DIMENSION), false);
    }

    /** The MFCC clusters this model predicts, or null for wav2vec 2.0's quantizer targets. */
    public MfccClusters clusterTargets() {
        if (centroids == null) {
            return null;
        }
        float[][] c = centroids.value().castTo(DataType.FLOAT).toFloatMatrix();
        return new MfccClusters(c, mfccCmvn);
    }

    /** Sets the fitted clusters (a new run; a resumed one restores them with the checkpoint). */
    public void setClusterTargets(MfccClusters targets) {
        if (centroids == null || targets.clusters() != clusterHead.clusters() || targets.cmvn() != mfccCmvn) {
            throw new IllegalArgumentException("this model predicts " + (centroids == null ? "quantizer codes"
                    : clusterHead.clusters() + " clusters" + (mfccCmvn ? " of normalised MFCCs" : "")) + ", not "
                    + targets.clusters() + " clusters of " + (targets.cmvn() ? "normalised " : "") + "MFCCs");
        }
        centroids.value().assign(Nd4j.createFromArray(targets.centroids()).castTo(centroids.value().dataType()));
    }

    /** Whether the targets are MFCC clusters (HuBERT-style) rather than the quantizer's codes. */
    public boolean predictsClusters() {
        return clusterHead != null;
    }

    /**
     * Parameters the optimiser must leave alone: the cluster centroids are data, not weights, and
     * weight decay (fairseq decays every parameter) would otherwise shrink them, moving the targets.
     */
    public java.util.Set<String> frozenParams() {
        return centroids == null ? java.util.Set.of() : java.util.Set.of(centroids.name());
    }

    public Wav2Vec2Config config() {
        return cfg;
    }

    public ParamStore params() {
        return params;
    }

    /** Parameters that took no part in a pass with these active layers (LayerDrop). */
    public List<Param> inactiveParams(boolean[] activeLayers) {
        List<Param> out = new ArrayList<>();
        for (int l = 0; l < activeLayers.length; l++) {
            if (!activeLayers[l]) {
                String prefix = TransformerLayer.layerPrefix(l);
                for (Param p : params.list()) {
                    if (p.name().startsWith(prefix)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs the forward pass and, when {@code backward} is true, accumulates gradients into
     * the parameters' grad arrays (they are not zeroed here).
     */
    public Result step(Ctx ctx, Batch b, double diversityWeight, double penaltyWeight, boolean backward) {
        return step(ctx, b, diversityWeight, penaltyWeight, backward, 1.0);
    }

    /**
     * As {@link #step(Ctx, Batch, double, double, boolean)} with the gradient of
     * {@code gradScale × loss}: the trainer passes each micro-batch's masked-frame count when it
     * accumulates several, and divides by their sum afterwards (the reference's normalisation).
     */
    public Result step(Ctx ctx, Batch b, double diversityWeight, double penaltyWeight, boolean backward,
                       double gradScale) {
        Arena a = ctx.arena();
        int c = cfg.encoderChannels();
        int d = cfg.modelDim();
        batchSize = b.wave().size(0);
        try (var sec = Profiler.start("fwd.encoder")) {
            feats = encoder.forward(ctx, b.wave());                    // [B, T, C]
        }
        long frames = feats.size(1);
        if (b.mask()[0].length != frames) {
            throw new IllegalArgumentException("mask has " + b.mask()[0].length + " frames but the encoder produced " + frames);
        }
        long n = batchSize * frames;
        INDArray squares = a.get("penalty.sq", feats.shape());
        feats.mul(feats, squares);
        double penalty = squares.meanNumber().doubleValue();
        INDArray z = featureNorm.forward(ctx, Tensors.rows(feats, c)); // [B·T, C]
        INDArray x = postExtractProj == null ? z : postExtractProj.forward(ctx, z);
        x = inputDropout.forward(ctx, x);
        INDArray unmasked = clusterHead != null ? null : featureDropout.forward(ctx, z);

        maskCol = a.get("mask.col", n);
        for (int i = 0; i < batchSize; i++) {
            for (int t = 0; t < frames; t++) {
                maskCol.putScalar(i * frames + t, b.mask()[i][t] ? 1.0 : 0.0);
            }
        }
        INDArray keep = a.get("mask.keep", n);
        maskCol.rsub(1.0, keep);
        INDArray masked = a.get("mask.x", n, d);
        Tensors.mulColumn(x, keep, masked);
        INDArray embRows = a.get("mask.emb", n, d);
        Tensors.gemm(maskCol.reshape(n, 1), maskEmb.value().reshape(1, d), embRows, false, false, 1, 0);
        masked.addi(embRows);

        INDArray context;
        try (var sec = Profiler.start("fwd.transformer")) {
            context = transformer.forward(ctx, masked.reshape('c', batchSize, frames, d), b.activeLayers(), null);
        }
        INDArray projected = finalProj.forward(ctx, context);
        if (clusterHead != null) {
            return clusterStep(ctx, b, projected, penalty, penaltyWeight, backward, frames, gradScale);
        }
        INDArray quantized;
        try (var sec = Profiler.start("fwd.quantizer")) {
            quantized = quantizer.forward(ctx, unmasked, maskCol, b.temperature());
        }
        INDArray targets = projectQ.forward(ctx, quantized);
        GumbelQuantizer.Stats qs = quantizer.stats();
        try (var sec = Profiler.start("fwd.contrastive")) {
            lastContrastive = contrastive.forward(ctx, projected, targets, qs.selected(), b.negCounts(), b.mask());
        }
        ContrastiveLoss.Result cr = lastContrastive;
        double loss = cr.loss() + diversityWeight * qs.diversity() + penaltyWeight * penalty;

        if (backward) {
            backward(ctx, diversityWeight * gradScale, penaltyWeight * gradScale, frames, gradScale);
        }
        return new Result(loss, cr.loss(), qs.diversity(), penalty, qs.codePerplexity(), qs.probPerplexity(),
                cr.accuracy(), cr.maskedFrames(), (int) frames, qs.codes(), cr.correctPerFrame(), cr.targetLogit(),
                qs.codeCounts());
    }

    private Result clusterStep(Ctx ctx, Batch b, INDArray projected, double penalty, double penaltyWeight,
                               boolean backward, long frames, double gradScale) {
        if (b.labels() == null) {
            throw new IllegalArgumentException("a model with MFCC cluster targets needs each frame's cluster (Batch.labels)");
        }
        ClusterPrediction.Result cr;
        try (var sec = Profiler.start("fwd.clusters")) {
            cr = clusterHead.forward(projected, b.mask(), b.labels());
        }
        if (backward && cr.maskedFrames() > 0) {
            INDArray dProjected = clusterHead.backward(gradScale / cr.maskedFrames());
            backwardFromContext(ctx, dProjected, penaltyWeight * gradScale, frames, null);
        }
        int[] codes = new int[(int) (batchSize * frames)];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(b.labels()[i], 0, codes, (int) (i * frames), (int) frames);
        }
        return new Result(cr.loss() + penaltyWeight * penalty, cr.loss(), 0, penalty, cr.labelPerplexity(),
                cr.predictionPerplexity(), cr.accuracy(), cr.maskedFrames(), (int) frames, codes,
                cr.correctPerFrame(), cr.targetLogit(), new long[0][0]);
    }

    private void backward(Ctx ctx, double diversityWeight, double penaltyWeight, long frames, double gradScale) {
        INDArray[] dcq;
        try (var sec = Profiler.start("bwd.contrastive")) {
            dcq = contrastive.backward(ctx, gradScale / lastContrastive.maskedFrames());
        }
        backwardFromContext(ctx, dcq[0], penaltyWeight, frames, () -> {
            INDArray dquant = projectQ.backward(ctx, dcq[1], true);
            try (var sec = Profiler.start("bwd.quantizer")) {
                return featureDropout.backward(quantizer.backward(ctx, dquant, diversityWeight));
            }
        });
    }

    /**
     * From the gradient at final_proj's output down to the feature encoder; {@code targetsBranch}
     * gives the gradient that reaches the normalised features through the targets (null: none).
     */
    private void backwardFromContext(Ctx ctx, INDArray dProjected, double penaltyWeight, long frames,
                                     java.util.function.Supplier<INDArray> targetsBranch) {
        Arena a = ctx.arena();
        int c = cfg.encoderChannels();
        int d = cfg.modelDim();
        long n = batchSize * frames;
        INDArray dctx = finalProj.backward(ctx, dProjected, true);
        INDArray dmasked;
        try (var sec = Profiler.start("bwd.transformer")) {
            dmasked = transformer.backward(ctx, dctx, batchSize).reshape('c', n, d);
        }
        Tensors.gemm(maskCol.reshape(1, n), dmasked, maskEmb.grad().reshape(1, d), false, false, 1, 1);
        INDArray dx = a.get("mask.dx", n, d);
        Tensors.mulColumn(dmasked, a.get("mask.keep", n), dx);
        dx = inputDropout.backward(dx);
        INDArray dz = postExtractProj == null ? dx : postExtractProj.backward(ctx, dx, true);
        INDArray dzTotal = a.get("features.dz", n, c);
        dzTotal.assign(dz);

        if (targetsBranch != null) {
            dzTotal.addi(targetsBranch.get());
        }

        INDArray dfeat = featureNorm.backward(ctx, dzTotal).reshape('c', feats.shape());
        if (penaltyWeight != 0) {
            INDArray dpen = a.get("penalty.sq", feats.shape());
            feats.mul(2.0 * penaltyWeight / feats.length(), dpen);
            dfeat.addi(dpen);
        }
        if (cfg.featureGradMult() != 1.0) {
            dfeat.muli(cfg.featureGradMult());
        }
        try (var sec = Profiler.start("bwd.encoder")) {
            encoder.backward(ctx, dfeat);
        }
    }

    GumbelQuantizer quantizer() {
        return quantizer;
    }

    /** Frames the encoder produces for {@code samples} input samples. */
    public long framesFor(long samples) {
        return cfg.framesFor(samples);
    }

    /** Host copy of a buffer, for inspection. */
    static float[] toFloats(INDArray x) {
        return x.castTo(DataType.FLOAT).toFloatVector();
    }

    /** A fresh all-layers-active array. */
    public boolean[] allLayers() {
        boolean[] a = new boolean[cfg.layers()];
        java.util.Arrays.fill(a, true);
        return a;
    }

    static INDArray zeros(DataType t, long... shape) {
        return Nd4j.zeros(t, shape);
    }
}
