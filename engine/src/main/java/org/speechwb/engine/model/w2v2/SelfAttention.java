package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.AttentionProducts;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;
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
    private INDArray proj;    // [B·T, 3d]: q, k, v per frame
    private boolean direct;   // the per-head products ran on proj in place (AttentionProducts)
    private INDArray split;   // [3, B, H, T, dh], q pre-scaled: the ND4J path's copy of proj
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
        var lap = Profiler.laps("f.att.");
        proj = qkv.forward(ctx, x);
        lap.mark("qkv");
        softmax = a.get(name + ".p", batch, heads, frames, frames);
        INDArray merged = a.get(name + ".merged", batch, frames, heads, dh);
        // every other buffer below is a dense arena array of the same type as these
        direct = AttentionProducts.applies(proj, softmax, merged);
        float scale = (float) (1.0 / Math.sqrt(dh));
        if (direct) {
            AttentionProducts.scores(proj, (int) batch, heads, scale, softmax);
        } else {
            split = a.get(name + ".split", 3, batch, heads, frames, dh);
            split.assign(proj.reshape('c', batch, frames, 3, heads, dh).permute(2, 0, 3, 1, 4));
            split.slice(0).muli(scale);
            // one batched product over all (utterance, head) pairs instead of a gemm per pair: one
            // launch on the CUDA backend
            Nd4j.matmul(heads(split.slice(0)), heads(split.slice(1)), heads(softmax), false, true, false);
        }
        lap.mark("scores");
        if (keyPadBias != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(softmax, keyPadBias, softmax, 0, 3));
        }
        Tensors.softmaxLastDim(softmax, softmax);
        lap.mark("softmax");
        probs = attnDropout.forward(ctx, softmax);
        lap.mark("drop");
        if (direct) {
            AttentionProducts.context(probs, proj, (int) batch, heads, a.get("attention.ctx", batch, heads, frames, dh),
                    Tensors.rows(merged, d));
        } else {
            INDArray ctxOut = a.get("attention.ctx", batch, heads, frames, dh);
            Nd4j.matmul(heads(probs), heads(split.slice(2)), heads(ctxOut), false, false, false);
            merged.assign(ctxOut.permute(0, 2, 1, 3));
        }
        lap.mark("ctx");
        INDArray r = out.forward(ctx, Tensors.rows(merged, d));
        lap.mark("out");
        return r;
    }

    /** {@code [B, H, R, C]} as {@code [B·H, R, C]}: the batch of matrices the products run over. */
    private static INDArray heads(INDArray x) {
        return x.reshape('c', x.size(0) * x.size(1), x.size(2), x.size(3));
    }

    /** Backward scratch buffers are shared by all layers: only one layer's backward runs at a time. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        var lap = Profiler.laps("b.att.");
        INDArray dmerged = out.backward(ctx, dy, true);
        lap.mark("out");
        INDArray dp = a.get("attention.dp", batch, heads, frames, frames);
        INDArray dqkv = a.get("attention.dproj", batch * frames, 3L * d);
        float scale = (float) (1.0 / Math.sqrt(dh));
        if (direct) {
            INDArray perHead = a.get("attention.dsplit", 3, batch, heads, frames, dh);
            AttentionProducts.contextBackward(dmerged, probs, proj, (int) batch, heads, dp, perHead);
            lap.mark("ctx");
            attnDropout.backward(dp);
            softmaxBackward(a, dp);
            lap.mark("softmax");
            AttentionProducts.scoresBackward(dp, proj, (int) batch, heads, scale, perHead, dqkv);
            lap.mark("scores");
        } else {
            INDArray dctx = a.get("attention.dctx", batch, heads, frames, dh);
            dctx.assign(dmerged.reshape('c', batch, frames, heads, dh).permute(0, 2, 1, 3));
            INDArray dsplit = a.get("attention.dsplit", 3, batch, heads, frames, dh);
            INDArray q = heads(split.slice(0));
            INDArray k = heads(split.slice(1));
            INDArray g = heads(dctx);
            Nd4j.matmul(g, heads(split.slice(2)), heads(dp), false, true, false);
            Nd4j.matmul(heads(probs), g, heads(dsplit.slice(2)), true, false, false);
            lap.mark("ctx");
            attnDropout.backward(dp);
            softmaxBackward(a, dp);
            lap.mark("softmax");
            // q was stored pre-scaled: dq = dS·K·scale, dk = dSᵀ·(q·scale)
            INDArray dq = heads(dsplit.slice(0));
            Nd4j.matmul(heads(dp), k, dq, false, false, false);
            dq.muli(scale);
            Nd4j.matmul(heads(dp), q, heads(dsplit.slice(1)), true, false, false);
            dqkv.reshape('c', batch, frames, 3, heads, dh).assign(dsplit.permute(1, 3, 0, 2, 4));
            lap.mark("scores");
        }
        INDArray r = qkv.backward(ctx, dqkv, true);
        lap.mark("qkv");
        return r;
    }

    private void softmaxBackward(Arena a, INDArray dp) {
        Tensors.softmaxBackwardInPlace(softmax, dp, a.get("attention.prod", dp.shape()),
                a.get("attention.rowsum", batch * heads * frames));
    }
}
