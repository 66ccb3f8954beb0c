package org.speechwb.engine.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax over the last axis and its backward in one pass per row each, for attention's
 * {@code [B, H, T, T]} probabilities: forward {@code p = exp(s − max) / Σ exp(s − max)}, backward
 * {@code ds = p ⊙ (dp − Σ dp ⊙ p)} in place. The exponential is {@link GeluKernel#expNonPositive}
 * (2.4e-7 relative), on SIMD lanes when the Vector API is present ({@link SoftmaxVector}).
 *
 * <p>Why: ND4J's softmax and the backward as four ops took about 90 ms of BASE's 1.3 s CTC
 * inference on 10 s and about 70 ms of a training update (docs/performance.md). CPU backend,
 * float32, dense arrays only ({@link #applies}).
 */
public final class SoftmaxKernel {

    private SoftmaxKernel() {
    }

    public static boolean applies(INDArray... arrays) {
        return CpuKernels.applies(arrays);
    }

    /** {@code out} = softmax of {@code x} over its last axis; {@code out} may be {@code x}. */
    public static void forward(INDArray x, INDArray out) {
        rows(x, out, false);
    }

    /** {@code dp ← p ⊙ (dp − Σ dp ⊙ p)} row by row, for {@code p} the forward's output. */
    public static void backwardInPlace(INDArray p, INDArray dp) {
        rows(p, dp, true);
    }

    private static void rows(INDArray a, INDArray out, boolean backward) {
        int width = (int) a.size(-1);
        int count = (int) (a.length() / width);
        FloatBuffer ab = CpuKernels.floats(a);
        FloatBuffer ob = CpuKernels.floats(out);
        int a0 = (int) a.offset();
        int o0 = (int) out.offset();
        CpuKernels.parallel(count, CpuKernels.parts(count, a.length()), (part, from, to) -> {
            float[] row = new float[width];
            float[] g = backward ? new float[width] : null;
            for (int r = from; r < to; r++) {
                ab.get(a0 + r * width, row, 0, width);
                if (backward) {
                    ob.get(o0 + r * width, g, 0, width);
                    if (CpuKernels.VECTORISED) {
                        SoftmaxVector.backward(row, g, width);
                    } else {
                        backward(row, g, width);
                    }
                    ob.put(o0 + r * width, g, 0, width);
                } else {
                    if (CpuKernels.VECTORISED) {
                        SoftmaxVector.forward(row, width);
                    } else {
                        forward(row, width);
                    }
                    ob.put(o0 + r * width, row, 0, width);
                }
            }
        });
    }

    static void forward(float[] row, int width) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            max = Math.max(max, row[i]);
        }
        float sum = 0;
        for (int i = 0; i < width; i++) {
            float e = GeluKernel.expNonPositive(row[i] - max);
            row[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < width; i++) {
            row[i] *= inv;
        }
    }

    static void backward(float[] p, float[] g, int width) {
        float dot = 0;
        for (int i = 0; i < width; i++) {
            dot += p[i] * g[i];
        }
        for (int i = 0; i < width; i++) {
            g[i] = p[i] * (g[i] - dot);
        }
    }
}
