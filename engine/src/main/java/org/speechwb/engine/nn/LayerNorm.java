package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the last dimension of {@code [N, d]} rows, eps 1e-5 (PyTorch's default). On the
 * CPU in float32 with the Vector API, {@link NormKernels} does each direction in one or two
 * passes; otherwise ND4J ops.
 */
public final class LayerNorm {

    static final double EPS = 1e-5;

    private final String name;
    private final int dim;
    private final Param gain;
    private final Param bias;
    private INDArray xhat;
    private INDArray rstd;

    public LayerNorm(ParamStore ps, String name, int dim) {
        this.name = name;
        this.dim = dim;
        this.gain = ps.add(name + ".g", ps.constant(1, dim), false);
        this.bias = ps.add(name + ".b", ps.constant(0, dim), false);
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        Arena a = ctx.arena();
        long n = x.size(0);
        xhat = a.get(name + ".xhat", n, dim);
        rstd = a.get(name + ".rstd", n);
        INDArray y = a.get(name + ".y", n, dim);
        if (CpuKernels.VECTORISED && CpuKernels.applies(x, gain.value(), bias.value(), xhat, rstd, y)) {
            NormKernels.layerNormForward(x, gain.value(), bias.value(), EPS, xhat, rstd, y);
            return y;
        }
        INDArray mean = a.get(name + ".mean", n);
        x.mean(mean, 1);
        Tensors.subColumn(x, mean, xhat);
        INDArray sq = a.get(name + ".sq", n, dim);
        xhat.mul(xhat, sq);
        sq.mean(rstd, 1);
        rstd.addi(EPS);
        Transforms.sqrt(rstd, false);
        rstd.rdivi(1.0);
        Tensors.mulColumn(xhat, rstd, xhat);
        Tensors.mulRow(xhat, gain.value(), y);
        Tensors.addRow(y, bias.value(), y);
        return y;
    }

    /** dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = dy ⊙ γ. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        Arena a = ctx.arena();
        long n = dy.size(0);
        INDArray g = a.get(name + ".dx", n, dim);
        if (CpuKernels.VECTORISED && CpuKernels.applies(dy, xhat, rstd, gain.value(), g, gain.grad(), bias.grad())) {
            NormKernels.layerNormBackward(dy, xhat, rstd, gain.value(), g, gain.grad(), bias.grad());
            return g;
        }
        INDArray scratch = a.get(name + ".sq", n, dim);
        Tensors.accumulateColumnSums(dy, bias.grad(), a);
        dy.mul(xhat, scratch);
        Tensors.accumulateColumnSums(scratch, gain.grad(), a);

        Tensors.mulRow(dy, gain.value(), g);
        INDArray meanG = a.get(name + ".mean", n);
        g.mean(meanG, 1);
        g.mul(xhat, scratch);
        INDArray meanGx = a.get(name + ".meanGx", n);
        scratch.mean(meanGx, 1);
        Tensors.subColumn(g, meanG, g);
        Tensors.mulColumn(xhat, meanGx, scratch);
        g.subi(scratch);
        Tensors.mulColumn(g, rstd, g);
        return g;
    }
}
