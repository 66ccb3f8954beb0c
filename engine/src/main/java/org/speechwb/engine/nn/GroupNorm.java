package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch's GroupNorm(groups, C) on time-major {@code [B, T, C]}: the C channels form
 * {@code groups} consecutive groups, each utterance's group is standardised over all its
 * frames and channels together, then every channel is scaled and shifted (eps 1e-5).
 * wav2vec 1.0 uses one group (normalise over channels × time); vq-wav2vec's k-means
 * projection uses one group per codebook group. ({@link GroupNormPerChannel} is the
 * groups = C case of wav2vec 2.0, kept separate because it is on that model's hot path.)
 *
 * <p>Group statistics are built from per-channel time means (one GEMM per utterance, see
 * {@link Tensors#meanOverTime}) averaged within the group on the host-sized {@code [B, C]}
 * matrix, so no reduction runs over a strided view.
 */
public final class GroupNorm {

    private final String name;
    private final int groups;
    private final int channels;
    private final Param gain;
    private final Param bias;
    private INDArray xhat;
    private INDArray rstd; // [B, C]: the group's 1/σ repeated per channel

    public GroupNorm(ParamStore ps, String name, int groups, int channels, boolean affine) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(name + ": " + channels + " channels cannot form " + groups + " groups");
        }
        this.name = name;
        this.groups = groups;
        this.channels = channels;
        this.gain = affine ? ps.add(name + ".g", ps.constant(1, channels), false) : null;
        this.bias = affine ? ps.add(name + ".b", ps.constant(0, channels), false) : null;
    }

    /** {@code stats[b, c] := mean over channels c' of c's group of stats[b, c']}, in place. */
    private void groupAverage(INDArray stats) {
        long batch = stats.size(0);
        INDArray g = stats.reshape('c', batch, groups, channels / groups);
        INDArray m = g.mean(true, 2); // [B, G, 1]
        g.assign(m.broadcast(batch, groups, channels / groups));
        m.close();
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        Arena a = ctx.arena();
        long batch = x.size(0);
        long frames = x.size(1);
        INDArray mean = a.get(name + ".mean", batch, channels);
        Tensors.meanOverTime(x, mean, a);
        groupAverage(mean);
        xhat = a.get(name + ".xhat", batch, frames, channels);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean, xhat, 0, 2));
        INDArray sq = a.get(name + ".sq", batch, frames, channels);
        xhat.mul(xhat, sq);
        rstd = a.get(name + ".rstd", batch, channels);
        Tensors.meanOverTime(sq, rstd, a);
        groupAverage(rstd);
        rstd.addi(LayerNorm.EPS);
        Transforms.sqrt(rstd, false);
        rstd.rdivi(1.0);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xhat, rstd, xhat, 0, 2));
        if (gain == null) {
            return xhat;
        }
        INDArray y = a.get(name + ".y", batch, frames, channels);
        Tensors.mulRow(Tensors.rows(xhat, channels), gain.value(), Tensors.rows(y, channels));
        Tensors.addRow(Tensors.rows(y, channels), bias.value(), Tensors.rows(y, channels));
        return y;
    }

    /** {@code dx = (g − mean_G(g) − x̂·mean_G(g·x̂)) / σ} with {@code g = dy·gain}, means over each group. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        long batch = dy.size(0);
        INDArray scratch = a.get(name + ".sq", dy.shape());
        INDArray dy2 = Tensors.rows(dy, channels);
        INDArray g = a.get(name + ".dx", dy.shape());
        if (gain != null) {
            Tensors.accumulateColumnSums(dy2, bias.grad(), a);
            dy.mul(xhat, scratch);
            Tensors.accumulateColumnSums(Tensors.rows(scratch, channels), gain.grad(), a);
            Tensors.mulRow(dy2, gain.value(), Tensors.rows(g, channels));
        } else {
            g.assign(dy);
        }
        INDArray meanG = a.get(name + ".mean", batch, channels);
        Tensors.meanOverTime(g, meanG, a);
        groupAverage(meanG);
        g.mul(xhat, scratch);
        INDArray meanGx = a.get(name + ".meanGx", batch, channels);
        Tensors.meanOverTime(scratch, meanGx, a);
        groupAverage(meanGx);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(g, meanG, g, 0, 2));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xhat, meanGx, scratch, 0, 2));
        g.subi(scratch);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(g, rstd, g, 0, 2));
        return g;
    }
}
