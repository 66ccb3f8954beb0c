package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact GELU {@code x·Φ(x)} with Φ the standard normal CDF (PyTorch's default; ND4J's
 * built-in gelu is the sigmoid approximation). On the CPU in float32, {@link GeluKernel}
 * computes it in one pass and keeps the derivative {@code Φ(x) + x·φ(x)} for backward: always
 * when its SIMD form can run, otherwise when training (see {@link Path#AUTO}). Elsewhere Φ is
 * kept from forward and the derivative computed in backward from ND4J ops.
 */
public final class Gelu {

    /** How the GELU is computed; everything but {@link #AUTO} is for benchmarks and tests. */
    public enum Path {
        /**
         * The kernel on SIMD lanes when the JVM has the Vector API module; otherwise the scalar
         * kernel when training (its backward is the gain; its forward is no faster than ND4J's)
         * and ND4J's ops for inference. ND4J's ops wherever the kernel does not apply.
         */
        AUTO,
        /** ND4J ops: five passes forward and seven backward, with erf and exp. */
        ND4J,
        /** The one-pass kernel's scalar loop (where it applies; ND4J's ops elsewhere). */
        KERNEL_SCALAR,
        /** The one-pass kernel on SIMD lanes; needs {@code --add-modules=jdk.incubator.vector}. */
        KERNEL_VECTOR;

        /** Whether {@link #KERNEL_VECTOR} can run in this JVM. */
        public static boolean vectorAvailable() {
            return CpuKernels.VECTORISED;
        }
    }

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final String name;
    private final Path path;
    private INDArray x;
    private INDArray phi;
    /** The derivative, when forward came through {@link GeluKernel}; null otherwise. */
    private INDArray dydx;

    public Gelu(String name) {
        this(name, Path.AUTO);
    }

    public Gelu(String name, Path path) {
        if (path == Path.KERNEL_VECTOR && !CpuKernels.VECTORISED) {
            throw new IllegalStateException(name + ": the vectorised GELU needs the JVM option --add-modules=jdk.incubator.vector");
        }
        this.name = name;
        this.path = path;
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        this.x = x;
        phi = ctx.arena().get(name + ".cdf", x.shape());
        INDArray y = ctx.arena().get(name + ".y", x.shape());
        boolean vector = path == Path.KERNEL_VECTOR || (path == Path.AUTO && CpuKernels.VECTORISED);
        boolean kernel = vector || path == Path.KERNEL_SCALAR || (path == Path.AUTO && ctx.training());
        if (kernel && GeluKernel.applies(x, phi, y) && x.data() != y.data() && x.data() != phi.data()) {
            GeluKernel.forward(x, y, phi, vector);
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
