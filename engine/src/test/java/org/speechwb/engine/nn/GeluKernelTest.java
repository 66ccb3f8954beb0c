package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The one-pass float32 GELU against the double-precision ND4J path it stands in for. */
class GeluKernelTest {

    @Test
    void theTestJvmHasTheVectorApiAsTheLaunchScriptsDo() {
        // pom.xml's speechwb.jvm.args and bin/launch-env.sh add the module; without it the SIMD path goes untested
        assertThat(Gelu.Path.vectorAvailable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Gelu.Path.class, names = {"KERNEL_SCALAR", "KERNEL_VECTOR"})
    void forwardAndDerivativeMatchTheExactGeluToFloatResolution(Gelu.Path path) {
        int n = 200_001; // above the threshold for the second thread
        INDArray grid = Nd4j.linspace(-12, 12, n, DataType.DOUBLE);
        INDArray noise = Nd4j.randn(DataType.DOUBLE, 100_000).muli(3);
        INDArray xd = Nd4j.concat(0, grid, noise);
        // a view with an offset into a larger buffer, as the arena's arrays may be
        INDArray backing = Nd4j.zeros(DataType.FLOAT, xd.length() + 7);
        INDArray xf = backing.get(NDArrayIndex.interval(7, 7 + xd.length()));
        xf.assign(xd.castTo(DataType.FLOAT));

        Ctx fctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        Gelu fast = new Gelu("g", path);
        assertThat(GeluKernel.applies(xf, xf.dup(), xf.dup())).isTrue();
        INDArray yf = fast.forward(fctx, xf).castTo(DataType.DOUBLE);
        INDArray gf = fast.backward(fctx, Nd4j.ones(DataType.FLOAT, xf.shape())).castTo(DataType.DOUBLE);

        Ctx dctx = new Ctx(new Arena(DataType.DOUBLE), true, Nd4j.getRandom());
        Gelu exact = new Gelu("g", Gelu.Path.ND4J);
        INDArray xr = xf.castTo(DataType.DOUBLE); // the same float inputs, in double
        INDArray yr = exact.forward(dctx, xr).dup();
        INDArray gr = exact.backward(dctx, Nd4j.ones(DataType.DOUBLE, xr.shape())).dup();

        double worstY = 0;
        double worstG = 0;
        for (long i = 0; i < xr.length(); i++) {
            double scale = Math.max(1, Math.abs(xr.getDouble(i)));
            worstY = Math.max(worstY, Math.abs(yf.getDouble(i) - yr.getDouble(i)) / scale);
            worstG = Math.max(worstG, Math.abs(gf.getDouble(i) - gr.getDouble(i)) / scale);
        }
        // A&S 7.1.26 is within 1.5e-7 of erf, so within 7.5e-8 of Φ; the exponential adds up to 2.4e-7
        // relative and float32 rounding about 1e-7 (one float ulp at 1 is 1.2e-7): a few ulps in all
        assertThat(worstY).isLessThan(5e-7);
        assertThat(worstG).isLessThan(5e-7);
    }

    @Test
    void itsExponentialIsWithinFloatResolutionDownToTheNormalRange() {
        double worst = 0;
        for (float y = -87f; y <= 0f; y += 0.0007f) {
            double exact = Math.exp(y);
            worst = Math.max(worst, Math.abs(GeluKernel.expNonPositive(y) - exact) / exact);
        }
        assertThat(worst).isLessThan(3e-7);
        assertThat(GeluKernel.expNonPositive(0f)).isEqualTo(1f);
        assertThat(GeluKernel.expNonPositive(-1e4f)).isLessThan(2e-38f);
        assertThat(GeluKernel.expNonPositive(Float.NaN)).isNaN();
    }

    @Test
    void otherArraysTakeTheNd4jPath() {
        assertThat(GeluKernel.applies(Nd4j.zeros(DataType.DOUBLE, 4, 3))).isFalse();
        assertThat(GeluKernel.applies(Nd4j.zeros(DataType.FLOAT, 4, 3).transpose())).isFalse();
        assertThat(GeluKernel.applies(Nd4j.zeros(DataType.FLOAT, 4, 3), Nd4j.zeros(DataType.FLOAT, 5, 3))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Gelu.Path.class, names = {"KERNEL_SCALAR", "KERNEL_VECTOR"})
    void notANumberStaysNotANumber(Gelu.Path path) {
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), true, Nd4j.getRandom());
        // 37 elements: two whole SIMD vectors and a scalar remainder
        float[] in = new float[37];
        java.util.Arrays.fill(in, 1f);
        in[0] = Float.NaN;
        in[2] = -1f;
        in[20] = Float.NaN;
        in[34] = -1f;
        in[36] = Float.NaN;
        INDArray y = new Gelu("g", path).forward(ctx, Nd4j.createFromArray(in));
        assertThat(y.getFloat(20)).isNaN();
        assertThat(y.getFloat(36)).isNaN();
        assertThat(y.getDouble(35)).isCloseTo(0.8413447460685429, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(y.getDouble(34)).isCloseTo(-0.15865525393145707, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(y.getFloat(0)).isNaN();
        assertThat(y.getDouble(1)).isCloseTo(0.8413447460685429, org.assertj.core.data.Offset.offset(2e-7));
        assertThat(y.getDouble(2)).isCloseTo(-0.15865525393145707, org.assertj.core.data.Offset.offset(2e-7));
    }
}
