package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GroupNorm with one group per channel on time-major {@code [B, T, C]}: each channel of each
 * utterance is standardised over time, then scaled and shifted per channel (fairseq's
 * Fp32GroupNorm(C, C) after the first encoder convolution; eps 1e-5). On the CPU in float32
 * with the Vector API, {@link NormKernels} does it in three passes forward and two backward;
 * otherwise ND4J ops.
 */
public final class GroupNormPerChannel {

    private final String name;
    private final int channels;
    private final Param gain;
    private final Param bias;
    private INDArray xhat;
    private INDArray rstd;

    public GroupNormPerChannel(ParamStore ps, String name, int channels) {
        this.name = name;
        this.channels = channels;
        this.gain = ps.add(name + ".g", ps.constant(1, channels), false);
        this.bias = ps.add(name + ".b", ps.constant(0, channels), false);
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        Arena a = ctx.arena();
        long batch = x.size(0);
        long frames = x.size(1);
        xhat = a.get(name + ".xhat", batch, frames, channels);
        rstd = a.get(name + ".rstd", batch, channels);
        INDArray y = a.get(name + ".y", batch, frames, channels);
        if (CpuKernels.VECTORISED && CpuKernels.applies(x, gain.value(), bias.value(), xhat, rstd, y)) {
            NormKernels.groupNormForward(x, gain.value(), bias.value(), LayerNorm.EPS, xhat, rstd, y);
            return y;
        }
        INDArray mean = a.get(name + ".mean", batch, channels);
        Tensors.meanOverTime(x, mean, a);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, xhat, 0, 2));
        INDArray sq = a.get(name + ".sq", batch, frames, channels);
        xhat.mul(xhat, sq);
        Tensors.meanOverTime(sq, rstd, a);
        rstd.addi(LayerNorm.EPS);
        Transforms.sqrt(rstd, false);
        rstd.rdivi(1.0);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xhat, rstd, xhat, 0, 2));
        Tensors.mulRow(Tensors.rows(xhat, channels), gain.value(), Tensors.rows(y, channels));
        Tensors.addRow(Tensors.rows(y, channels), bias.value(), Tensors.rows(y, channels));
        return y;
    }

    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        long batch = dy.size(0);
        INDArray g = a.get(name + ".dx", dy.shape());
        if (CpuKernels.VECTORISED && CpuKernels.applies(dy, xhat, rstd, gain.value(), g, gain.grad(), bias.grad())) {
            NormKernels.groupNormBackward(dy, xhat, rstd, gain.value(), g, gain.grad(), bias.grad());
            return g;
        }
        INDArray scratch = a.get(name + ".sq", dy.shape());
        INDArray dy2 = Tensors.rows(dy, channels);
        Tensors.accumulateColumnSums(dy2, bias.grad(), a);
        dy.mul(xhat, scratch);
        Tensors.accumulateColumnSums(Tensors.rows(scratch, channels), gain.grad(), a);

        Tensors.mulRow(dy2, gain.value(), Tensors.rows(g, channels));
        INDArray meanG = a.get(name + ".mean", batch, channels);
        Tensors.meanOverTime(g, meanG, a);
        g.mul(xhat, scratch);
        INDArray meanGx = a.get(name + ".meanGx", batch, channels);
        Tensors.meanOverTime(scratch, meanGx, a);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(g, meanG, g, 0, 2));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xhat, meanGx, scratch, 0, 2));
        g.subi(scratch);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(g, rstd, g, 0, 2));
        return g;
    }
}
