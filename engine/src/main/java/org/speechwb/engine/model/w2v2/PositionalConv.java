package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Gelu;
import org.speechwb.engine.nn.GroupedTimeConv;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.TapWeightNorm;
import org.speechwb.engine.nn.Tensors;

/**
 * Relative positional embedding of wav2vec 2.0: a grouped convolution over time (kernel k =
 * 128, 16 groups), weight-normalised over the kernel dimension, the last output frame dropped
 * (even kernel), GELU, added to its input: {@code y = x + GELU(conv(x))}.
 *
 * <p>On the CPU the grouped convolution is {@link GroupedTimeConv}: directly on SIMD lanes for
 * thin groups (small config: 16 channels, where the unfolded input would be k = 128 times the
 * input and the GEMMs over it 16 rows thin), GEMMs over a 16-tap unfold for wide ones (BASE: 48). Elsewhere it is ND4J's native unfold (im2col, padding k/2 on both sides; the
 * last of the T + 1 outputs is dropped, as the reference does) followed by one batched matmul per
 * utterance over the groups, {@code [dg, dg·k] × [dg·k, T+1]} each; the input gradient is the
 * transposed products folded back by the native col2im. Both natives exist on the CUDA backend too. The
 * earlier unfold, k strided copies of the permuted input, cost more than the GEMMs on a
 * 2-core CPU. Weight normalisation:
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
    /** The unfolded input {@code [B, d, 1, k, 1, T+1]} (im2col's layout), then its gradient. */
    private INDArray col;
    /** The input, when forward took {@link GroupedTimeConv}'s CPU path (its weight gradient reads it); null otherwise. */
    private INDArray input;
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
        weight = a.get("pos_conv.w", groups, (long) k * dg, dg);
        INDArray vv = v.value().reshape('c', groups, k, (long) dg * dg);
        if (TapWeightNorm.applies(vv, gain.value(), weight)) {
            norms = a.get("pos_conv.norms", k);
            TapWeightNorm.forward(vv, gain.value(), norms, weight.reshape('c', groups, k, (long) dg * dg));
        } else {
            norms = tapNorms(a, v.value());
            INDArray scale = a.get("pos_conv.scale", k);
            gain.value().div(norms, scale);
            Nd4j.getExecutioner().exec(new BroadcastMulOp(vv, scale, weight.reshape('c', groups, k, dg * dg), 1));
        }
        INDArray conv = a.get("pos_conv.conv", batch, frames, d);
        input = GroupedTimeConv.applies(dg, x, weight, conv) ? x : null;
        if (input != null) {
            col = null;
            GroupedTimeConv.forward(a, x, weight, groups, k, k / 2, conv);
        } else {
            unfoldedForward(a, x, conv);
        }
        Tensors.addRow(Tensors.rows(conv, d), bias.value(), Tensors.rows(conv, d));
        INDArray act = gelu.forward(ctx, conv);
        INDArray y = a.get("pos_conv.y", batch, frames, d);
        x.add(act, y);
        return y;
    }

    /** The convolution as ND4J's im2col and batched matmuls (the CUDA backend; group widths the kernel does not take). */
    private void unfoldedForward(Arena a, INDArray x, INDArray conv) {
        // the GEMMs take the kernel as [G, dg_out, (c, j)], the order of im2col's rows
        INDArray wt = a.get("pos_conv.wt", groups, dg, (long) dg * k);
        wt.reshape('c', groups, dg, dg, k).assign(weight.reshape('c', groups, k, dg, dg).permute(0, 3, 2, 1));
        INDArray xt = a.get("pos_conv.xt", batch, d, 1, frames);
        xt.reshape('c', batch, d, frames).assign(x.permute(0, 2, 1));
        col = a.get("pos_conv.col", batch, d, 1, k, 1, frames + 1);
        // padding k/2 on both sides gives T + 1 outputs; the reference drops the last (even kernel)
        Convolution.im2col(xt, 1, k, 1, 1, 0, k / 2, 1, 1, false, col);
        INDArray yt = a.get("pos_conv.yt", batch, d, frames + 1);
        for (int b = 0; b < batch; b++) {
            Nd4j.matmul(wt, groupsOf(col, b, (long) dg * k), groupsOf(yt, b, dg), false, false, false);
        }
        conv.assign(yt.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, frames)).permute(0, 2, 1));
    }

    /** @param dy {@code [B, T, d]}; returns dx (including the residual path) */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        var lap = org.speechwb.engine.nn.Profiler.laps("b.pos.");
        INDArray dconv = gelu.backward(ctx, dy);
        Tensors.accumulateColumnSums(Tensors.rows(dconv, d), bias.grad(), a);
        lap.mark("gelu+bias");
        INDArray dw = a.get("pos_conv.dw", groups, (long) k * dg, dg);
        INDArray dx = a.get("pos_conv.dx", batch, frames, d);
        if (input != null && GroupedTimeConv.applies(dg, dconv, dw, dx)) {
            GroupedTimeConv.weightGrad(a, input, dconv, groups, k, k / 2, dw);
            lap.mark("wgrad");
            weightNormBackward(a, dw);
            lap.mark("wnorm");
            GroupedTimeConv.inputGrad(a, dconv, weight, groups, k, k / 2, dx);
            lap.mark("xgrad");
        } else {
            unfoldedBackward(a, dconv, dw, dx);
        }
        dx.addi(dy);
        return dx;
    }

    private void unfoldedBackward(Arena a, INDArray dconv, INDArray dw, INDArray dx) {
        if (col == null) {
            throw new IllegalStateException("pos_conv: backward without the unfolded forward it needs");
        }
        // the dropped last output frame gets no gradient
        INDArray dyt = a.get("pos_conv.yt", batch, d, frames + 1);
        dyt.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(frames)).assign(0);
        dyt.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, frames)).assign(dconv.permute(0, 2, 1));
        // weight gradient, [G, dg_out, (c, j)], summed over the batch
        INDArray dwt = a.get("pos_conv.dwt", groups, dg, (long) dg * k);
        INDArray part = batch > 1 ? a.get("pos_conv.dwt.part", groups, dg, (long) dg * k) : null;
        for (int b = 0; b < batch; b++) {
            Nd4j.matmul(groupsOf(dyt, b, dg), groupsOf(col, b, (long) dg * k), b == 0 ? dwt : part, false, true, false);
            if (b > 0) {
                dwt.addi(part);
            }
        }
        dw.reshape('c', groups, k, dg, dg).assign(dwt.reshape('c', groups, dg, dg, k).permute(0, 3, 2, 1));
        weightNormBackward(a, dw);
        // input gradient: the unfold's gradient (Wᵀ·dy per utterance and group), folded back by col2im;
        // the forward unfold is dead once the weight gradient is taken, so its buffer takes this one
        INDArray wt = a.get("pos_conv.wt", groups, dg, (long) dg * k);
        for (int b = 0; b < batch; b++) {
            Nd4j.matmul(wt, groupsOf(dyt, b, dg), groupsOf(col, b, (long) dg * k), true, false, false);
        }
        INDArray dxt = a.get("pos_conv.xt", batch, d, 1, frames);
        Convolution.col2im(col, dxt, 1, 1, 0, k / 2, 1, (int) frames, 1, 1);
        dx.assign(dxt.reshape('c', batch, d, frames).permute(0, 2, 1));
    }

    /**
     * Utterance {@code b}'s per-group matrices {@code [G, rows, T+1]} of an array laid out as
     * {@code [B, G·rows, …, T+1]}: the batch the products of one utterance run over. One batched
     * matmul per utterance instead of one gemm per utterance and group (64 calls on the small
     * config): one launch each on the CUDA backend; no measurable change on the CPU.
     */
    private INDArray groupsOf(INDArray x, int b, long rows) {
        return x.reshape('c', batch, groups, rows, frames + 1).slice(b);
    }

    /** dg_j = s_j/n_j, dv = (g_j/n_j)·dW − (g_j s_j/n_j³)·v with s_j = Σ_tap j dW ⊙ v. */
    private void weightNormBackward(Arena a, INDArray dw) {
        INDArray vv = v.value().reshape('c', groups, k, dg * dg);
        INDArray dww = dw.reshape('c', groups, k, dg * dg);
        INDArray dv = v.grad().reshape('c', groups, k, dg * dg);
        if (TapWeightNorm.applies(vv, dww, gain.value(), norms, gain.grad(), dv)) {
            TapWeightNorm.backward(vv, dww, gain.value(), norms, gain.grad(), dv);
            return;
        }
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
