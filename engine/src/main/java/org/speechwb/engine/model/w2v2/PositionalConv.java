package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Gelu;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * Relative positional embedding of wav2vec 2.0: a grouped convolution over time (kernel k =
 * 128, 16 groups), weight-normalised over the kernel dimension, the last output frame dropped
 * (even kernel), GELU, added to its input: {@code y = x + GELU(conv(x))}.
 *
 * <p>Padding the input by (k/2, k/2 − 1) frames gives exactly the reference's first T
 * outputs. The grouped convolution is an unfold into {@code [G, B·T, k·C/G]} followed by one
 * GEMM per group. The input gradient is the same operation on the output gradient with the
 * kernel flipped in time and transposed per tap (a "full" correlation), so backward needs no
 * scatter-add into strided views, which ND4J executes slowly. Weight normalisation:
 * {@code W = g·v/‖v‖} with one norm per kernel tap over all channels (PyTorch's
 * weight_norm(dim=2)), initialised so that W = v.
 */
public final class PositionalConv {

    private final int d;
    private final int k;
    private final int groups;
    private final int dg;
    private final Param v;     // [G, k·dg, dg]: row j·dg + c = tap j, input channel c of the group
    private final Param gain;  // [k]
    private final Param bias;  // [d]
    private final Gelu gelu = new Gelu("pos_conv.gelu");
    private INDArray col;
    private INDArray weight;
    private INDArray norms;
    private long batch;
    private long frames;

    public PositionalConv(ParamStore ps, Wav2Vec2Config cfg) {
        this.d = cfg.modelDim();
        this.k = cfg.posConvKernel();
        this.groups = cfg.posConvGroups();
        this.dg = d / groups;
        double std = Math.sqrt(4.0 * (1.0 - cfg.dropout()) / ((double) k * d));
        INDArray v0 = ps.normal(std, groups, (long) k * dg, dg);
        this.v = ps.add("pos_conv.v", v0, true);
        this.gain = ps.add("pos_conv.g", tapNorms(v0), true);
        this.bias = ps.add("pos_conv.b", ps.constant(0, d), false);
    }

    private INDArray tapNorms(INDArray vv) {
        INDArray perTap = vv.reshape('c', groups, k, dg, dg);
        try (INDArray sq = perTap.mul(perTap)) {
            return Transforms.sqrt(sq.sum(0, 2, 3), false);
        }
    }

    /** Per-tap norms using an arena buffer for the squares (no per-step allocation). */
    private INDArray tapNorms(Arena a, INDArray vv) {
        INDArray sq = a.get("pos_conv.vsq", groups, k, (long) dg * dg);
        vv.reshape('c', groups, k, (long) dg * dg).mul(vv.reshape('c', groups, k, (long) dg * dg), sq);
        INDArray n = a.get("pos_conv.norms", k);
        sq.sum(n, 0, 2);
        Transforms.sqrt(n, false);
        return n;
    }

    /** @param x {@code [B, T, d]}; returns {@code x + GELU(conv(x))} */
    public INDArray forward(Ctx ctx, INDArray x) {
        Arena a = ctx.arena();
        batch = x.size(0);
        frames = x.size(1);
        norms = tapNorms(a, v.value());
        weight = a.get("pos_conv.w", groups, (long) k * dg, dg);
        INDArray scale = a.get("pos_conv.scale", k);
        gain.value().div(norms, scale);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(v.value().reshape('c', groups, k, dg * dg), scale,
                weight.reshape('c', groups, k, dg * dg), 1));
        col = a.get("pos_conv.col", groups, batch, frames, k, dg);
        INDArray conv = a.get("pos_conv.conv", batch, frames, d);
        groupedConv(a, "pos_conv.fwd", x, weight, k / 2, col, conv);
        Tensors.addRow(Tensors.rows(conv, d), bias.value(), Tensors.rows(conv, d));
        INDArray act = gelu.forward(ctx, conv);
        INDArray y = a.get("pos_conv.y", batch, frames, d);
        x.add(act, y);
        return y;
    }

    /**
     * {@code out[b, t, g·dg + o] = Σ_j Σ_c in[b, t + j − leftPad, g·dg + c] · w[g, j·dg + c, o]},
     * zero outside the input. {@code col} receives the unfolded input ({@code [G, B, T, k, dg]}).
     */
    private void groupedConv(Arena a, String key, INDArray in, INDArray w, int leftPad, INDArray col, INDArray out) {
        INDArray padded = a.get(key + ".pad", batch, frames + k - 1, d);
        int rightPad = k - 1 - leftPad;
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, leftPad), NDArrayIndex.all()).assign(0);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(leftPad + frames, leftPad + frames + rightPad),
                NDArrayIndex.all()).assign(0);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(leftPad, leftPad + frames), NDArrayIndex.all()).assign(in);
        for (int j = 0; j < k; j++) {
            INDArray src = padded.get(NDArrayIndex.all(), NDArrayIndex.interval(j, j + frames), NDArrayIndex.all())
                    .reshape(batch, frames, groups, dg).permute(2, 0, 1, 3);
            col.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all())
                    .assign(src);
        }
        INDArray yg = a.get(key + ".yg", groups, batch * frames, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(col.slice(g).reshape('c', batch * frames, (long) k * dg), w.slice(g), yg.slice(g),
                    false, false, 1, 0);
        }
        out.reshape('c', batch, frames, groups, dg).assign(yg.reshape('c', groups, batch, frames, dg).permute(1, 2, 0, 3));
    }

    /** @param dy {@code [B, T, d]}; returns dx (including the residual path) */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        INDArray dconv = gelu.backward(ctx, dy);
        Tensors.accumulateColumnSums(Tensors.rows(dconv, d), bias.grad(), a);
        // weight gradient from the forward unfold
        INDArray dyg = a.get("pos_conv.dyg", groups, batch * frames, dg);
        dyg.reshape('c', groups, batch, frames, dg).assign(dconv.reshape('c', batch, frames, groups, dg).permute(2, 0, 1, 3));
        INDArray dw = a.get("pos_conv.dw", groups, (long) k * dg, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(col.slice(g).reshape('c', batch * frames, (long) k * dg), dyg.slice(g), dw.slice(g),
                    true, false, 1, 0);
        }
        weightNormBackward(a, dw);
        // input gradient: correlate dconv with the time-flipped, per-tap transposed kernel
        INDArray flipped = a.get("pos_conv.wflip", groups, k, dg, dg);
        INDArray w4 = weight.reshape('c', groups, k, dg, dg);
        for (int j = 0; j < k; j++) {
            flipped.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(w4.get(NDArrayIndex.all(), NDArrayIndex.point(k - 1 - j), NDArrayIndex.all(), NDArrayIndex.all())
                            .permute(0, 2, 1));
        }
        // the forward unfold is dead once the weight gradient is taken: its buffer takes the backward one
        INDArray bcol = a.get("pos_conv.col", groups, batch, frames, k, dg);
        INDArray dx = a.get("pos_conv.dx", batch, frames, d);
        groupedConv(a, "pos_conv.bwd", dconv, flipped.reshape('c', groups, (long) k * dg, dg), k - 1 - k / 2, bcol, dx);
        dx.addi(dy);
        return dx;
    }

    /** dg_j = s_j/n_j, dv = (g_j/n_j)·dW − (g_j s_j/n_j³)·v with s_j = Σ_tap j dW ⊙ v. */
    private void weightNormBackward(Arena a, INDArray dw) {
        INDArray vv = v.value().reshape('c', groups, k, dg * dg);
        INDArray dww = dw.reshape('c', groups, k, dg * dg);
        INDArray prod = a.get("pos_conv.vsq", groups, k, (long) dg * dg);
        dww.mul(vv, prod);
        INDArray s = a.get("pos_conv.s", k);
        prod.sum(s, 0, 2);
        INDArray a1 = a.get("pos_conv.a1", k);
        INDArray a2 = a.get("pos_conv.a2", k);
        s.div(norms, a1);
        gain.grad().addi(a1);                                   // dg = s/n
        gain.value().div(norms, a1);                            // a1 = g/n
        a2.assign(a1).muli(s).divi(norms).divi(norms);          // a2 = g s / n³
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dww, a1, dww, 1));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(vv, a2, prod, 1));
        v.grad().reshape('c', groups, k, dg * dg).addi(dww).subi(prod);
    }
}
