package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The SIMD LayerNorm and GroupNorm kernels (float32) against the ND4J ops they stand in for, run
 * in double precision on the same inputs: outputs, input gradients and parameter gradients.
 */
class NormKernelsTest {

    @Test
    void theKernelsRunInTheTestJvm() {
        assertThat(CpuKernels.VECTORISED).isTrue();
        assertThat(CpuKernels.applies(Nd4j.zeros(DataType.FLOAT, 3, 4))).isTrue();
        assertThat(CpuKernels.applies(Nd4j.zeros(DataType.DOUBLE, 3, 4))).isFalse();
    }

    @Test
    void layerNormMatchesTheNd4jOps() {
        // widths with and without a remainder after whole SIMD vectors; enough rows for two threads
        for (int d : new int[] {37, 256}) {
            compare(d, 700, false);
        }
    }

    @Test
    void groupNormPerChannelMatchesTheNd4jOps() {
        for (int c : new int[] {19, 64}) {
            compare(c, 1300, true);
        }
    }

    private static void compare(int width, int rows, boolean groupNorm) {
        Nd4j.getRandom().setSeed(7);
        long[] shape = groupNorm ? new long[] {3, rows, width} : new long[] {rows, width};
        // an offset mean and scale, as conv outputs have, so the centring matters
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape).muli(3).addi(5);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, shape).addi(0.3); // a mean, so its centring matters too
        INDArray gamma = Nd4j.randn(DataType.DOUBLE, width).addi(1);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, width);

        Result fast = run(groupNorm, x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), gamma, beta, DataType.FLOAT);
        Result exact = run(groupNorm, x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE),
                dy.castTo(DataType.FLOAT).castTo(DataType.DOUBLE), gamma, beta, DataType.DOUBLE);
        assertClose(fast.y, exact.y, 2e-5);
        assertClose(fast.dx, exact.dx, 2e-5);
        assertClose(fast.dgamma, exact.dgamma, 2e-5);
        assertClose(fast.dbeta, exact.dbeta, 2e-5);
    }

    private record Result(INDArray y, INDArray dx, INDArray dgamma, INDArray dbeta) {
    }

    private static Result run(boolean groupNorm, INDArray x, INDArray dy, INDArray gamma, INDArray beta, DataType type) {
        ParamStore ps = new ParamStore(type, 1);
        Ctx ctx = new Ctx(new Arena(type), true, Nd4j.getRandom());
        int width = (int) gamma.length();
        INDArray y;
        INDArray dx;
        String name;
        if (groupNorm) {
            GroupNormPerChannel gn = new GroupNormPerChannel(ps, "gn", width);
            name = "gn";
            set(ps, name, gamma, beta, type);
            y = gn.forward(ctx, x).dup();
            dx = gn.backward(ctx, dy).dup();
        } else {
            LayerNorm ln = new LayerNorm(ps, "ln", width);
            name = "ln";
            set(ps, name, gamma, beta, type);
            y = ln.forward(ctx, x).dup();
            dx = ln.backward(ctx, dy).dup();
        }
        return new Result(y.castTo(DataType.DOUBLE), dx.castTo(DataType.DOUBLE),
                ps.get(name + ".g").grad().castTo(DataType.DOUBLE), ps.get(name + ".b").grad().castTo(DataType.DOUBLE));
    }

    private static void set(ParamStore ps, String name, INDArray gamma, INDArray beta, DataType type) {
        ps.get(name + ".g").value().assign(gamma.castTo(type));
        ps.get(name + ".b").value().assign(beta.castTo(type));
        // a gradient already there must be added to, not overwritten
        ps.get(name + ".g").grad().assign(0.5);
        ps.get(name + ".b").grad().assign(-0.25);
    }

    /** Worst difference relative to the reference's largest magnitude. */
    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double scale = Math.max(1e-12, Transforms.abs(expected, true).maxNumber().doubleValue());
        double worst = Transforms.abs(actual.sub(expected), false).maxNumber().doubleValue() / scale;
        assertThat(worst).isLessThan(tolerance);
    }
}
