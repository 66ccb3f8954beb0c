package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
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
 * GEMM per group. Weight normalisation: {@code W = g·v/‖v‖} with one norm per kernel tap over
 * all channels (PyTorch's weight_norm(dim=2)), initialised so that W = v.
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
        return Transforms.sqrt(perTap.mul(perTap).sum(0, 2, 3), false);
    }

    /** @param x {@code [B, T, d]}; returns {@code x + GELU(conv(x))} */
    public INDArray forward(Ctx ctx, INDArray x) {
        Arena a = ctx.arena();
        batch = x.size(0);
        frames = x.size(1);
        // W = v · g/‖v‖ per tap
        norms = tapNorms(v.value());
        weight = a.get("pos_conv.w", groups, (long) k * dg, dg);
        INDArray scale = gain.value().div(norms);
        org.nd4j.linalg.factory.Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(
                v.value().reshape('c', groups, k, dg * dg), scale, weight.reshape('c', groups, k, dg * dg), 1));

        INDArray padded = a.zeros("pos_conv.pad", batch, frames + k - 1, d);
        padded.get(NDArrayIndex.all(), NDArrayIndex.interval(k / 2, k / 2 + frames), NDArrayIndex.all()).assign(x);
        col = a.get("pos_conv.col", groups, batch, frames, k, dg);
        for (int j = 0; j < k; j++) {
            INDArray src = padded.get(NDArrayIndex.all(), NDArrayIndex.interval(j, j + frames), NDArrayIndex.all())
                    .reshape(batch, frames, groups, dg).permute(2, 0, 1, 3);
            col.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all())
                    .assign(src);
        }
        INDArray yg = a.get("pos_conv.yg", groups, batch * frames, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(col.slice(g).reshape('c', batch * frames, (long) k * dg), weight.slice(g), yg.slice(g),
                    false, false, 1, 0);
        }
        INDArray conv = a.get("pos_conv.conv", batch, frames, d);
        conv.reshape('c', batch, frames, groups, dg).assign(yg.reshape('c', groups, batch, frames, dg).permute(1, 2, 0, 3));
        Tensors.addRow(Tensors.rows(conv, d), bias.value(), Tensors.rows(conv, d));
        INDArray act = gelu.forward(ctx, conv);
        INDArray y = a.get("pos_conv.y", batch, frames, d);
        x.add(act, y);
        return y;
    }

    /** @param dy {@code [B, T, d]}; returns dx (including the residual path) */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        INDArray dconv = gelu.backward(ctx, dy);
        Tensors.accumulateColumnSums(Tensors.rows(dconv, d), bias.grad(), a.get("pos_conv.db", d));
        INDArray dyg = a.get("pos_conv.dyg", groups, batch * frames, dg);
        dyg.reshape('c', groups, batch, frames, dg).assign(dconv.reshape('c', batch, frames, groups, dg).permute(2, 0, 1, 3));
        INDArray dw = a.zeros("pos_conv.dw", groups, (long) k * dg, dg);
        INDArray dcol = a.get("pos_conv.dcol", groups, batch, frames, k, dg);
        for (int g = 0; g < groups; g++) {
            INDArray colG = col.slice(g).reshape('c', batch * frames, (long) k * dg);
            Tensors.gemm(colG, dyg.slice(g), dw.slice(g), true, false, 1, 0);
            Tensors.gemm(dyg.slice(g), weight.slice(g), dcol.slice(g).reshape('c', batch * frames, (long) k * dg),
                    false, true, 1, 0);
        }
        INDArray dpad = a.zeros("pos_conv.dpad", batch, frames + k - 1, d);
        for (int j = 0; j < k; j++) {
            INDArray dst = dpad.get(NDArrayIndex.all(), NDArrayIndex.interval(j, j + frames), NDArrayIndex.all())
                    .reshape(batch, frames, groups, dg).permute(2, 0, 1, 3);
            dst.addi(dcol.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j),
                    NDArrayIndex.all()));
        }
        weightNormBackward(dw);
        INDArray dx = a.get("pos_conv.dx", batch, frames, d);
        dx.assign(dpad.get(NDArrayIndex.all(), NDArrayIndex.interval(k / 2, k / 2 + frames), NDArrayIndex.all()));
        dx.addi(dy);
        return dx;
    }

    /** dg_j = s_j/n_j, dv = (g_j/n_j)·dW − (g_j s_j/n_j³)·v with s_j = Σ_tap j dW ⊙ v. */
    private void weightNormBackward(INDArray dw) {
        INDArray vv = v.value().reshape('c', groups, k, dg * dg);
        INDArray dww = dw.reshape('c', groups, k, dg * dg);
        INDArray s = dww.mul(vv).sum(0, 2);                       // [k]
        gain.grad().addi(s.div(norms));
        INDArray a1 = gain.value().div(norms);                     // g/n
        INDArray a2 = gain.value().mul(s).div(norms.mul(norms).muli(norms)); // g s / n³
        INDArray dv = v.grad().reshape('c', groups, k, dg * dg);
        org.nd4j.linalg.factory.Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(
                dww, a1, dww, 1));
        INDArray t = vv.dup();
        org.nd4j.linalg.factory.Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(
                t, a2, t, 1));
        dv.addi(dww).subi(t);
    }
}
