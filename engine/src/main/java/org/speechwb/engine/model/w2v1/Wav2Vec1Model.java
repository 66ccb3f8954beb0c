package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.model.w2v2.GumbelQuantizer;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;
import org.speechwb.engine.nn.Tensors;

/**
 * wav2vec 1.0 and vq-wav2vec for pre-training (fairseq's Wav2VecModel and wav2vec criterion):
 * <pre>
 * wave → encoder f → z ─[quantizer]→ z' ─┬→ dropout → causal context g → dropout → K step heads ─┐
 *                                        └────────────────────────── targets ────────────────────┴→ step loss
 * </pre>
 * Total loss = the step loss (binary or InfoNCE, mean over positives) + w · quantizer loss, where
 * the quantizer loss is G·V − prob_perplexity for Gumbel (the reference's extra loss; its recipe
 * weights it 0) and the k-means loss for k-means (recipe weight 1).
 */
public final class Wav2Vec1Model {

    /** What one pass needs besides the waveform. */
    public record Batch(INDArray wave, int[][][] negatives, double temperature) {
    }

    /** What one pass produced (host values). */
    public record Result(double loss, double contrastive, double quantizerLoss, double accuracy, double[] stepLoss,
                         double[] stepAccuracy, double codePerplexity, double probPerplexity, long positives, int frames,
                         long[][] codeCounts) {
    }

    private final Wav2Vec1Config cfg;
    private final ParamStore params;
    private final Wav2Vec1Encoder encoder;
    private final Linear vqHidden;
    private final Activation vqHiddenAct;
    private final GumbelQuantizer gumbel;
    private final KMeansQuantizer kmeans;
    private final Dropout featureDropout;
    private final CausalContextNetwork context;
    private final Dropout contextDropout;
    private final StepPredictionHeads heads;
    private final Dropout predictionDropout;
    private final StepContrastiveLoss loss;
    private final int offset;

    private INDArray z;
    private long batchSize;
    private long frames;

    public Wav2Vec1Model(Wav2Vec1Config cfg, long seed, DataType dtype) {
        this.cfg = cfg;
        this.params = new ParamStore(dtype, seed);
        int c = cfg.encoderChannels();
        this.encoder = new Wav2Vec1Encoder(params, cfg);
        if (cfg.quantizer().equals(Wav2Vec1Config.GUMBEL)) {
            int in = c;
            if (cfg.vqDepth() == 2) {
                vqHidden = new Linear(params, "quantizer.weight_proj.hidden", c, 2 * c, Linear.Init.TORCH, true);
                vqHiddenAct = new Activation("quantizer.weight_proj.act", cfg.activation());
                in = 2 * c;
            } else {
                vqHidden = null;
                vqHiddenAct = null;
            }
            gumbel = new GumbelQuantizer(params, "quantizer", in, cfg.vqGroups(), cfg.vqEntries(), cfg.featureDim(),
                    cfg.combineGroups(), cfg.vqDepth() == 2 ? Linear.Init.TORCH : Linear.Init.NORMAL);
            kmeans = null;
        } else {
            vqHidden = null;
            vqHiddenAct = null;
            gumbel = null;
            kmeans = cfg.quantizer().equals(Wav2Vec1Config.KMEANS)
                    ? new KMeansQuantizer(params, c, cfg.vqGroups(), cfg.vqEntries(), cfg.combineGroups(), cfg.vqGamma())
                    : null;
        }
        this.featureDropout = new Dropout("dropout_features", cfg.featureDropout());
        this.context = new CausalContextNetwork(params, cfg);
        this.contextDropout = new Dropout("dropout_agg", cfg.contextDropout());
        this.heads = new StepPredictionHeads(params, "project_to_steps", cfg.contextChannels(), cfg.featureDim(),
                cfg.predictionSteps());
        this.predictionDropout = new Dropout("dropout_predictions", cfg.dropout());
        this.loss = new StepContrastiveLoss(cfg.predictionSteps(), cfg.featureDim(),
                cfg.objective().equals(Wav2Vec1Config.INFONCE));
        this.offset = cfg.effectiveOffset();
    }

    public Wav2Vec1Config config() {
        return cfg;
    }

    public ParamStore params() {
        return params;
    }

    public long framesFor(long samples) {
        return cfg.framesFor(samples);
    }

    /** Frames a crop needs so that step 1 has a target: more than the offset. */
    public int offset() {
        return offset;
    }

    /**
     * Encoder (and quantizer) output {@code [B, T, F]}: the targets, and the context network's input.
     * Not training: no dropout, no Gumbel noise.
     */
    private INDArray features(Ctx ctx, INDArray wave, double temperature) {
        try (var sec = Profiler.start("fwd.encoder")) {
            z = encoder.forward(ctx, wave);
        }
        batchSize = z.size(0);
        frames = z.size(1);
        int c = cfg.encoderChannels();
        if (gumbel != null) {
            INDArray rowsIn = Tensors.rows(z, c);
            if (vqHidden != null) {
                rowsIn = vqHiddenAct.forward(ctx, vqHidden.forward(ctx, rowsIn));
            }
            INDArray ones = ctx.arena().get("quantizer.weights", batchSize * frames);
            ones.assign(1.0);
            INDArray q = gumbel.forward(ctx, rowsIn, ones, temperature);
            return q.reshape('c', batchSize, frames, cfg.featureDim());
        }
        if (kmeans != null) {
            return kmeans.forward(ctx, z);
        }
        return z;
    }

    /** Context vectors c {@code [B, T, C']} of a waveform (evaluation mode: pass a non-training Ctx). */
    public INDArray context(Ctx ctx, INDArray wave, double temperature) {
        INDArray feats = features(ctx, wave, temperature);
        return context.forward(ctx, feats);
    }

    /** Encoder features (after the quantizer, if any) {@code [B, T, F]}. */
    public INDArray encode(Ctx ctx, INDArray wave, double temperature) {
        return features(ctx, wave, temperature);
    }

    /**
     * Forward pass and, when {@code backward}, gradients of {@code gradScale × loss} accumulated
     * into the parameters (not zeroed here).
     */
    public Result step(Ctx ctx, Batch b, double quantizerLossWeight, boolean backward, double gradScale) {
        Arena a = ctx.arena();
        INDArray feats = features(ctx, b.wave(), b.temperature());
        int f = cfg.featureDim();
        INDArray x = featureDropout.forward(ctx, feats);
        INDArray c;
        try (var sec = Profiler.start("fwd.context")) {
            c = context.forward(ctx, x);
        }
        c = contextDropout.forward(ctx, c);
        INDArray preds = heads.forward(ctx, Tensors.rows(c, cfg.contextChannels()));
        preds = predictionDropout.forward(ctx, preds);
        StepContrastiveLoss.Result lr;
        try (var sec = Profiler.start("fwd.loss")) {
            lr = loss.forward(ctx, preds, feats, b.negatives(), offset, backward ? gradScale : 0);
        }
        double qLoss = 0;
        double codePpl = Double.NaN;
        double probPpl = Double.NaN;
        long[][] counts = new long[0][0];
        if (gumbel != null) {
            GumbelQuantizer.Stats s = gumbel.stats();
            qLoss = (double) gumbel.groups() * gumbel.entries() - s.probPerplexity();
            codePpl = s.codePerplexity();
            probPpl = s.probPerplexity();
            counts = s.codeCounts();
        } else if (kmeans != null) {
            KMeansQuantizer.Stats s = kmeans.stats();
            qLoss = s.loss();
            codePpl = s.codePerplexity();
            counts = s.codeCounts();
        }
        double total = lr.loss() + quantizerLossWeight * qLoss;
        if (backward) {
            INDArray dpreds = predictionDropout.backward(loss.predGrad());
            INDArray dc = heads.backward(ctx, dpreds);
            dc = contextDropout.backward(dc);
            INDArray dx;
            try (var sec = Profiler.start("bwd.context")) {
                dx = context.backward(ctx, dc.reshape('c', batchSize, frames, cfg.contextChannels()));
            }
            dx = featureDropout.backward(dx);
            INDArray dfeat = a.get("w2v1.dfeat", batchSize, frames, f);
            dx.add(loss.targetGrad(), dfeat);
            INDArray dz;
            if (gumbel != null) {
                // the reference's extra loss is G·V − perplexity; the quantizer differentiates (G·V − ppl)/(G·V)
                double w = quantizerLossWeight * gradScale * gumbel.groups() * gumbel.entries();
                INDArray d = gumbel.backward(ctx, Tensors.rows(dfeat, f), w);
                if (vqHidden != null) {
                    d = vqHidden.backward(ctx, vqHiddenAct.backward(ctx, d), true);
                }
                dz = d.reshape('c', batchSize, frames, cfg.encoderChannels());
            } else if (kmeans != null) {
                dz = kmeans.backward(ctx, dfeat, quantizerLossWeight * gradScale);
            } else {
                dz = dfeat;
            }
            try (var sec = Profiler.start("bwd.encoder")) {
                encoder.backward(ctx, dz);
            }
        }
        return new Result(total, lr.loss(), qLoss, lr.accuracy(), lr.stepLoss(), lr.stepAccuracy(), codePpl, probPpl,
                lr.positives(), (int) frames, counts);
    }

    /** For gradient tests: the k-means quantizer, or null. */
    public KMeansQuantizer kmeansQuantizer() {
        return kmeans;
    }

    /** For gradient tests: the Gumbel quantizer, or null. */
    public GumbelQuantizer gumbelQuantizer() {
        return gumbel;
    }
}
