package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Linear;
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
        // one batched product over all (utterance, head) pairs instead of a gemm per pair: one
        // launch on the CUDA backend; on the CPU no measurable change in the update (docs/performance.md)
        Nd4j.matmul(heads(split.slice(0)), heads(split.slice(1)), heads(softmax), false, true, false);
        if (keyPadBias != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(softmax, keyPadBias, softmax, 0, 3));
        }
        Tensors.softmaxLastDim(softmax, softmax);
        probs = attnDropout.forward(ctx, softmax);
        INDArray ctxOut = a.get("attention.ctx", batch, heads, frames, dh);
        Nd4j.matmul(heads(probs), heads(split.slice(2)), heads(ctxOut), false, false, false);
        INDArray merged = a.get(name + ".merged", batch, frames, heads, dh);
        merged.assign(ctxOut.permute(0, 2, 1, 3));
        return out.forward(ctx, Tensors.rows(merged, d));
    }

    /** {@code [B, H, R, C]} as {@code [B·H, R, C]}: the batch of matrices the products run over. */
    private static INDArray heads(INDArray x) {
        return x.reshape('c', x.size(0) * x.size(1), x.size(2), x.size(3));
    }

    /** Backward scratch buffers are shared by all layers: only one layer's backward runs at a time. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        INDArray dmerged = out.backward(ctx, dy, true);
        INDArray dctx = a.get("attention.dctx", batch, heads, frames, dh);
        dctx.assign(dmerged.reshape('c', batch, frames, heads, dh).permute(0, 2, 1, 3));
        INDArray dsplit = a.get("attention.dsplit", 3, batch, heads, frames, dh);
        INDArray dp = a.get("attention.dp", batch, heads, frames, frames);
        INDArray q = heads(split.slice(0));
        INDArray k = heads(split.slice(1));
        INDArray g = heads(dctx);
        Nd4j.matmul(g, heads(split.slice(2)), heads(dp), false, true, false);
        Nd4j.matmul(heads(probs), g, heads(dsplit.slice(2)), true, false, false);
        attnDropout.backward(dp);
        Tensors.softmaxBackwardInPlace(softmax, dp, a.get("attention.prod", dp.shape()),
                a.get("attention.rowsum", batch * heads * frames));
        // q was stored pre-scaled: dq = dS·K·scale, dk = dSᵀ·(q·scale)
        INDArray dq = heads(dsplit.slice(0));
        Nd4j.matmul(heads(dp), k, dq, false, false, false);
        dq.muli(1.0 / Math.sqrt(dh));
        Nd4j.matmul(heads(dp), q, heads(dsplit.slice(1)), true, false, false);
        INDArray dproj = a.get("attention.dproj", batch, frames, 3, heads, dh);
        dproj.assign(dsplit.permute(1, 3, 0, 2, 4));
        return qkv.backward(ctx, Tensors.rows(dproj, 3L * d), true);
    }
}
