package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact GELU {@code x·Φ(x)} with Φ the standard normal CDF (PyTorch's default; ND4J's
 * built-in gelu is the sigmoid approximation). When training on the CPU in float32,
 * {@link GeluKernel} computes it in one pass and keeps the derivative {@code Φ(x) + x·φ(x)} for
 * backward; otherwise Φ is kept from forward and the derivative computed in backward from ND4J ops.
 */
public final class Gelu {

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final String name;
    private INDArray x;
    private INDArray phi;
    /** The derivative, when forward came through {@link GeluKernel}; null otherwise. */
    private INDArray dydx;

    public Gelu(String name) {
        this.name = name;
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        this.x = x;
        phi = ctx.arena().get(name + ".cdf", x.shape());
        INDArray y = ctx.arena().get(name + ".y", x.shape());
        // only when training: the kernel's forward alone is no clear win over ND4J's (its gain is
        // backward's single multiply), so inference keeps the ND4J path (docs/performance.md)
        if (ctx.training() && GeluKernel.applies(x, phi, y) && x.data() != y.data() && x.data() != phi.data()) {
            GeluKernel.forward(x, y, phi);
            dydx = phi;
            return y;
        }
        dydx = null;
        x.mul(INV_SQRT2, phi);
        Tensors.erf(phi, phi);
        phi.addi(1.0).muli(0.5);
        x.mul(phi, y);
        return y;
    }

    public INDArray backward(Ctx ctx, INDArray dy) {
        return backward(ctx, dy, name + ".dx");
    }

    /** @param dxKey arena key of the result: layers whose gradients are dead by then may share one */
    public INDArray backward(Ctx ctx, INDArray dy, String dxKey) {
        INDArray d = ctx.arena().get(dxKey, x.shape());
        if (dydx != null) {
            return dydx.mul(dy, d);
        }
        x.mul(x, d);
        d.muli(-0.5);
        Tensors.exp(d, d);
        d.muli(x).muli(INV_SQRT_2PI);
        d.addi(phi).muli(dy);
        return d;
    }
}
