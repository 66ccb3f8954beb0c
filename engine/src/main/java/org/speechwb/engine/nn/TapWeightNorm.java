package org.speechwb.engine.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weight normalisation with one norm per kernel tap over all groups and channels (PyTorch's
 * {@code weight_norm(dim=2)} on wav2vec 2.0's positional convolution), on weights laid out
 * {@code [G, k, E]}: {@code w = g·v/‖v‖} forward, and backward {@code dg += s/n},
 * {@code dv += (g/n)·dw − (g·s/n³)·v} with {@code s = Σ dw·v} per tap.
 *
 * <p>Why: as ND4J ops this is six passes over the 4.7 M weights of BASE with two reductions
 * over non-adjacent axes, 35–60 ms of an update; here it is two passes each way, one row of
 * {@code E} values at a time. Sums are taken in double. CPU backend, float32, dense arrays only
 * ({@link CpuKernels#applies}).
 */
public final class TapWeightNorm {

    private TapWeightNorm() {
    }

    public static boolean applies(INDArray... arrays) {
        return CpuKernels.applies(arrays);
    }

    /** {@code norms[j] = ‖v[:, j, :]‖} and {@code w = v · gain[j] / norms[j]}. */
    public static void forward(INDArray v, INDArray gain, INDArray norms, INDArray w) {
        int taps = (int) v.size(1);
        double[] sq = tapSums(v, v);
        float[] n = new float[taps];
        float[] scale = new float[taps];
        float[] gs = CpuKernels.read(gain);
        for (int j = 0; j < taps; j++) {
            n[j] = (float) Math.sqrt(sq[j]);
            scale[j] = gs[j] / n[j];
        }
        CpuKernels.write(n, norms);
        int width = (int) v.size(2);
        int items = (int) (v.size(0) * taps);
        FloatBuffer vb = CpuKernels.floats(v);
        FloatBuffer wb = CpuKernels.floats(w);
        int v0 = (int) v.offset();
        int w0 = (int) w.offset();
        CpuKernels.parallel(items, CpuKernels.parts(items, v.length()), (part, from, to) -> {
            float[] row = new float[width];
            for (int item = from; item < to; item++) {
                vb.get(v0 + item * width, row, 0, width);
                float c = scale[item % taps];
                for (int e = 0; e < width; e++) {
                    row[e] *= c;
                }
                wb.put(w0 + item * width, row, 0, width);
            }
        });
    }

    /** Adds the gradients of {@code gain} and {@code v} for the weights' gradient {@code dw}. */
    public static void backward(INDArray v, INDArray dw, INDArray gain, INDArray norms, INDArray gainGrad, INDArray vGrad) {
        int taps = (int) v.size(1);
        double[] s = tapSums(dw, v);
        float[] gs = CpuKernels.read(gain);
        float[] n = CpuKernels.read(norms);
        float[] gg = CpuKernels.read(gainGrad);
        float[] a1 = new float[taps];
        float[] a2 = new float[taps];
        for (int j = 0; j < taps; j++) {
            gg[j] += (float) (s[j] / n[j]);
            a1[j] = gs[j] / n[j];
            a2[j] = (float) (gs[j] * s[j] / ((double) n[j] * n[j] * n[j]));
        }
        CpuKernels.write(gg, gainGrad);
        int width = (int) v.size(2);
        int items = (int) (v.size(0) * taps);
        FloatBuffer vb = CpuKernels.floats(v);
        FloatBuffer db = CpuKernels.floats(dw);
        FloatBuffer gb = CpuKernels.floats(vGrad);
        int v0 = (int) v.offset();
        int d0 = (int) dw.offset();
        int g0 = (int) vGrad.offset();
        CpuKernels.parallel(items, CpuKernels.parts(items, v.length()), (part, from, to) -> {
            float[] vr = new float[width];
            float[] dr = new float[width];
            float[] gr = new float[width];
            for (int item = from; item < to; item++) {
                vb.get(v0 + item * width, vr, 0, width);
                db.get(d0 + item * width, dr, 0, width);
                gb.get(g0 + item * width, gr, 0, width);
                float c1 = a1[item % taps];
                float c2 = a2[item % taps];
                for (int e = 0; e < width; e++) {
                    gr[e] += c1 * dr[e] - c2 * vr[e];
                }
                gb.put(g0 + item * width, gr, 0, width);
            }
        });
    }

    /** {@code Σ_{g, e} a[g, j, e]·b[g, j, e]} per tap j. */
    private static double[] tapSums(INDArray a, INDArray b) {
        int groups = (int) a.size(0);
        int taps = (int) a.size(1);
        int width = (int) a.size(2);
        FloatBuffer ab = CpuKernels.floats(a);
        FloatBuffer bb = CpuKernels.floats(b);
        int a0 = (int) a.offset();
        int b0 = (int) b.offset();
        int items = groups * taps;
        int parts = CpuKernels.parts(items, a.length());
        double[][] partial = new double[parts][taps];
        CpuKernels.parallel(items, parts, (part, from, to) -> {
            float[] ar = new float[width];
            float[] br = new float[width];
            for (int item = from; item < to; item++) {
                ab.get(a0 + item * width, ar, 0, width);
                bb.get(b0 + item * width, br, 0, width);
                double sum = 0;
                for (int e = 0; e < width; e++) {
                    sum += ar[e] * br[e];
                }
                partial[part][item % taps] += sum;
            }
        });
        double[] total = new double[taps];
        for (double[] p : partial) {
            for (int j = 0; j < taps; j++) {
                total[j] += p[j];
            }
        }
        return total;
    }
}
