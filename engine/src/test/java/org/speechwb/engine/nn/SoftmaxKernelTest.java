package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one-pass softmax and its backward (float32; the scalar rows, the SIMD rows and the
 * dispatching array path) against the same formulas in double: attention rows with scores up
 * to ±30 and key-padding entries at −10⁴, widths below, at and above the vector length.
 */
class SoftmaxKernelTest {

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {1, 3, 16, 37, 199})
    void rowsMatchDoublePrecision(int width) {
        SplittableRandom rng = new SplittableRandom(width);
        int rows = 9;
        float[][] s = new float[rows][width];
        float[][] dp = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                s[r][i] = (float) (rng.nextDouble(-30, 30));
                dp[r][i] = (float) rng.nextGaussian();
            }
            if (width > 2) {
                s[r][width - 1] = -1e4f;
            }
        }
        for (int way = 0; way < 3; way++) {
            if (way == 1) {
                assertThat(CpuKernels.VECTORISED).as("the test JVM runs with --add-modules=jdk.incubator.vector").isTrue();
            }
            INDArray sa = Nd4j.createFromArray(s).castTo(DataType.FLOAT);
            INDArray ga = Nd4j.createFromArray(dp).castTo(DataType.FLOAT);
            if (way == 2) {
                Tensors.softmaxLastDim(sa, sa);
                Tensors.softmaxBackwardInPlace(sa, ga, null, null);
            }
            for (int r = 0; r < rows; r++) {
                float[] p = s[r].clone();
                float[] g = dp[r].clone();
                if (way == 0) {
                    SoftmaxKernel.forward(p, width);
                    SoftmaxKernel.backward(p, g, width);
                } else if (way == 1) {
                    SoftmaxVector.forward(p, width);
                    SoftmaxVector.backward(p, g, width);
                } else {
                    p = sa.getRow(r).toFloatVector();
                    g = ga.getRow(r).toFloatVector();
                }
                double[] pe = new double[width];
                double max = Double.NEGATIVE_INFINITY;
                for (float v : s[r]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    pe[i] = Math.exp(s[r][i] - max);
                    sum += pe[i];
                }
                double dot = 0;
                for (int i = 0; i < width; i++) {
                    pe[i] /= sum;
                    dot += pe[i] * dp[r][i];
                }
                for (int i = 0; i < width; i++) {
                    double ge = pe[i] * (dp[r][i] - dot);
                    assertThat((double) p[i]).as("way %d, row %d, p[%d]", way, r, i).isCloseTo(pe[i],
                            org.assertj.core.api.Assertions.within(1e-6 * Math.max(pe[i], 1e-3)));
                    assertThat((double) g[i]).as("way %d, row %d, ds[%d]", way, r, i).isCloseTo(ge,
                            org.assertj.core.api.Assertions.within(2e-6 * Math.max(1, Math.abs(ge))));
                }
            }
        }
    }
}
