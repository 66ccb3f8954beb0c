package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.MatrixViews;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * Multi-head scaled dot-product self-attention (fairseq's MultiheadAttention with q, k, v
 * projections fused into one {@code d → 3d} matrix; same parameterisation, N(0, 0.02) init),
 * with dropout on the attention probabilities and an optional key padding mask.
 */
public final class SelfAttention {

    private final String name;
    private final int d;
    private final int heads;
    private final int dh;
    private final Linear qkv;
    private final Linear out;
    private final Dropout attnDropout;
    private INDArray split;   // [3, B, H, T, dh]
    private INDArray probs;   // [B, H, T, T] after dropout
    private INDArray softmax; // [B, H, T, T] before dropout
    private long batch;
    private long frames;
    // per-(utterance, head) matrices of the arrays above and of the backward buffers
    private final MatrixViews qViews = new MatrixViews();
    private final MatrixViews kViews = new MatrixViews();
    private final MatrixViews vViews = new MatrixViews();
    private final MatrixViews scoreViews = new MatrixViews();
    private final MatrixViews probViews = new MatrixViews();
    private final MatrixViews ctxViews = new MatrixViews();
    private final MatrixViews dctxViews = new MatrixViews();
    private final MatrixViews dpViews = new MatrixViews();
    private final MatrixViews dqViews = new MatrixViews();
    private final MatrixViews dkViews = new MatrixViews();
    private final MatrixViews dvViews = new MatrixViews();

    public SelfAttention(ParamStore ps, String name, int d, int heads, double attentionDropout) {
        this.name = name;
        this.d = d;
        this.heads = heads;
        this.dh = d / heads;
        this.qkv = new Linear(ps, name + ".qkv", d, 3 * d, Linear.Init.BERT, true);
        this.out = new Linear(ps, name + ".out_proj", d, d, Linear.Init.BERT, true);
        this.attnDropout = new Dropout(name + ".attn_dropout", attentionDropout);
    }

    /**
     * @param x          {@code [B·T, d]}
     * @param keyPadBias {@code [B, T]}: 0 at valid frames, a large negative value at padding; or null
     */
    public INDArray forward(Ctx ctx, INDArray x, long batch, INDArray keyPadBias) {
        Arena a = ctx.arena();
        this.batch = batch;
        this.frames = x.size(0) / batch;
        INDArray proj = qkv.forward(ctx, x);
        split = a.get(name + ".split", 3, batch, heads, frames, dh);
        split.assign(proj.reshape('c', batch, frames, 3, heads, dh).permute(2, 0, 3, 1, 4));
        split.slice(0).muli(1.0 / Math.sqrt(dh));
        softmax = a.get(name + ".p", batch, heads, frames, frames);
        INDArray[] q = qViews.of(split.slice(0));
        INDArray[] k = kViews.of(split.slice(1));
        INDArray[] scores = scoreViews.of(softmax);
        INDArray[] padBias = null;
        if (keyPadBias != null) {
            padBias = new INDArray[(int) batch];
            for (int b = 0; b < batch; b++) {
                padBias[b] = keyPadBias.slice(b);
            }
        }
        for (int i = 0; i < scores.length; i++) {
            Tensors.gemm(q[i], k[i], scores[i], false, true, 1, 0);
            if (padBias != null) {
                Tensors.addRow(scores[i], padBias[i / heads], scores[i]);
            }
        }
        Tensors.softmaxLastDim(softmax, softmax);
        probs = attnDropout.forward(ctx, softmax);
        INDArray ctxOut = a.get("attention.ctx", batch, heads, frames, dh);
        INDArray[] p = probViews.of(probs);
        INDArray[] v = vViews.of(split.slice(2));
        INDArray[] c = ctxViews.of(ctxOut);
        for (int i = 0; i < p.length; i++) {
            Tensors.gemm(p[i], v[i], c[i], false, false, 1, 0);
        }
        INDArray merged = a.get(name + ".merged", batch, frames, heads, dh);
        merged.assign(ctxOut.permute(0, 2, 1, 3));
        return out.forward(ctx, Tensors.rows(merged, d));
    }

    /** Backward scratch buffers are shared by all layers: only one layer's backward runs at a time. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        INDArray dmerged = out.backward(ctx, dy, true);
        INDArray dctx = a.get("attention.dctx", batch, heads, frames, dh);
        dctx.assign(dmerged.reshape('c', batch, frames, heads, dh).permute(0, 2, 1, 3));
        INDArray dsplit = a.get("attention.dsplit", 3, batch, heads, frames, dh);
        INDArray dp = a.get("attention.dp", batch, heads, frames, frames);
        INDArray[] q = qViews.of(split.slice(0));
        INDArray[] k = kViews.of(split.slice(1));
        INDArray[] v = vViews.of(split.slice(2));
        INDArray[] p = probViews.of(probs);
        INDArray[] g = dctxViews.of(dctx);
        INDArray[] ds = dpViews.of(dp);
        INDArray[] dq = dqViews.of(dsplit.slice(0));
        INDArray[] dk = dkViews.of(dsplit.slice(1));
        INDArray[] dv = dvViews.of(dsplit.slice(2));
        for (int i = 0; i < g.length; i++) {
            Tensors.gemm(g[i], v[i], ds[i], false, true, 1, 0);
            Tensors.gemm(p[i], g[i], dv[i], true, false, 1, 0);
        }
        attnDropout.backward(dp);
        Tensors.softmaxBackwardInPlace(softmax, dp, a.get("attention.prod", dp.shape()),
                a.get("attention.rowsum", batch * heads * frames));
        double scale = 1.0 / Math.sqrt(dh);
        for (int i = 0; i < ds.length; i++) {
            // q was stored pre-scaled: dq = dS·K·scale, dk = dSᵀ·(q·scale)
            Tensors.gemm(ds[i], k[i], dq[i], false, false, scale, 0);
            Tensors.gemm(ds[i], q[i], dk[i], true, false, 1, 0);
        }
        INDArray dproj = a.get("attention.dproj", batch, frames, 3, heads, dh);
        dproj.assign(dsplit.permute(1, 3, 0, 2, 4));
        return qkv.backward(ctx, Tensors.rows(dproj, 3L * d), true);
    }
}
