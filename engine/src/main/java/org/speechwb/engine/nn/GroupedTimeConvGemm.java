package org.speechwb.engine.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GroupedTimeConv} for wide groups as GEMMs over a partly unfolded input.
 *
 * <p>Why: with 48 channels a group (BASE) the direct SIMD loop reaches about 40 GFLOP/s, a
 * third of what the BLAS does on the same FLOPs; a full im2col would unfold the input 128-fold
 * (165 MB on BASE). Unfolding only {@code m} taps, {@code col[b, g, r, i·dg + c] = x[b, r+i−pad,
 * g·dg + c]}, makes the block of taps {@code q·m … q·m+m−1} for output frame t the row
 * {@code t + q·m} of that buffer: a view with leading dimension {@code m·dg}. So the convolution
 * is {@code k/m} GEMMs of {@code [T, m·dg] × [m·dg, dg]} per utterance and group over a buffer
 * {@code m} times the input (31 MB on BASE), and the weight gradient the transposed products
 * over the same buffer. The input gradient is the same convolution of the output gradient with
 * the taps reversed and each tap's block transposed.
 */
final class GroupedTimeConvGemm {

    /** Unfolded width {@code m·dg} aimed at: wide enough for the BLAS, small enough to stay cheap. */
    private static final int TARGET_WIDTH = 768;
    private static final float[] ZEROS = new float[4096];
    /** The unfolded buffer's arena key: one grouped convolution per model, whose backward reads its forward's. */
    private static final String KEY = "grouped_conv.col";

    private GroupedTimeConvGemm() {
    }

    /** Whether groups this wide run faster here than on the SIMD loop (measured: 48 yes, 16 no). */
    static boolean wide(int groupWidth) {
        return groupWidth >= 32 && groupWidth <= ZEROS.length;
    }

    /** Taps unfolded at once: the largest divisor of the kernel whose unfolded width stays within the target. */
    static int chunk(int kernel, int dg) {
        int best = 1;
        for (int m = 1; m <= kernel; m++) {
            if (kernel % m == 0 && (long) m * dg <= Math.max(TARGET_WIDTH, dg)) {
                best = m;
            }
        }
        return best;
    }

    static void forward(Arena arena, INDArray x, INDArray w, int groups, int kernel, int pad, INDArray out) {
        INDArray col = unfold(arena, x, groups, kernel, pad);
        convolve(col, w, groups, kernel, x.size(1), out);
    }

    /** Needs the buffer {@link #forward} left in the arena, unchanged since. */
    static void weightGrad(Arena arena, INDArray x, INDArray dout, int groups, int kernel, INDArray dw) {
        Unfolded u = new Unfolded(x, groups, kernel);
        INDArray col = u.buffer(arena);
        for (int b = 0; b < u.batch; b++) {
            for (int g = 0; g < groups; g++) {
                for (int q = 0; q < kernel / u.m; q++) {
                    CpuBlas.sgemm(true, false, u.width, u.dg, u.frames, 1f, col,
                            ((long) (b * groups + g) * u.rows + (long) q * u.m) * u.width, u.width,
                            dout, (long) b * u.frames * u.channels + (long) g * u.dg, u.channels, b == 0 ? 0f : 1f,
                            dw, ((long) g * kernel + (long) q * u.m) * u.dg * u.dg, u.dg);
                }
            }
        }
    }

    /** Overwrites the forward's buffer in the arena. */
    static void inputGrad(Arena arena, INDArray dout, INDArray w, int groups, int kernel, int pad, INDArray dx) {
        int dg = (int) (dout.size(2) / groups);
        // dx[u] = Σ_j dout[u + j − pad'] · W'_j with W'_j = W_{k−1−j}ᵀ and pad' = k − 1 − pad
        INDArray flipped = arena.get("grouped_conv.flipped", w.shape());
        FloatBuffer src = CpuKernels.floats(w);
        FloatBuffer dst = CpuKernels.floats(flipped);
        int s0 = (int) w.offset();
        int d0 = (int) flipped.offset();
        int block = dg * dg;
        int items = groups * kernel;
        CpuKernels.parallel(items, CpuKernels.parts(items, w.length()), (part, from, to) -> {
            float[] in = new float[block];
            float[] out = new float[block];
            for (int item = from; item < to; item++) {
                int g = item / kernel;
                int j = item % kernel;
                src.get(s0 + (g * kernel + kernel - 1 - j) * block, in, 0, block);
                for (int c = 0; c < dg; c++) {
                    for (int o = 0; o < dg; o++) {
                        out[o * dg + c] = in[c * dg + o];
                    }
                }
                dst.put(d0 + item * block, out, 0, block);
            }
        });
        INDArray col = unfold(arena, dout, groups, kernel, kernel - 1 - pad);
        convolve(col, flipped, groups, kernel, dout.size(1), dx);
    }

    private static INDArray unfold(Arena arena, INDArray x, int groups, int kernel, int pad) {
        Unfolded layout = new Unfolded(x, groups, kernel);
        int frames = layout.frames;
        int channels = layout.channels;
        int dg = layout.dg;
        int m = layout.m;
        int width = layout.width;
        int rows = layout.rows;
        INDArray col = layout.buffer(arena);
        int batch = layout.batch;
        float[] xs = CpuKernels.read(x);
        FloatBuffer cb = CpuKernels.floats(col);
        int base = (int) col.offset();
        long work = (long) batch * groups * rows * width;
        CpuKernels.parallel(batch * groups, CpuKernels.parts(batch * groups, work), (part, from, to) -> {
            for (int item = from; item < to; item++) {
                int b = item / groups;
                int g = item % groups;
                for (int r = 0; r < rows; r++) {
                    int dst = base + ((item * rows) + r) * width;
                    for (int i = 0; i < m; i++) {
                        int u = r + i - pad;
                        if (u >= 0 && u < frames) {
                            cb.put(dst + i * dg, xs, (b * frames + u) * channels + g * dg, dg);
                        } else {
                            cb.put(dst + i * dg, ZEROS, 0, dg);
                        }
                    }
                }
            }
        });
        return col;
    }

    private static void convolve(INDArray col, INDArray w, int groups, int kernel, long frames, INDArray out) {
        int batch = (int) col.size(0);
        int rows = (int) col.size(2);
        int width = (int) col.size(3);
        int channels = (int) out.size(2);
        int dg = channels / groups;
        int m = width / dg;
        for (int b = 0; b < batch; b++) {
            for (int g = 0; g < groups; g++) {
                for (int q = 0; q < kernel / m; q++) {
                    CpuBlas.sgemm(false, false, (int) frames, dg, width, 1f, col,
                            ((long) (b * groups + g) * rows + (long) q * m) * width, width,
                            w, ((long) g * kernel + (long) q * m) * dg * dg, dg, q == 0 ? 0f : 1f,
                            out, (long) b * frames * channels + (long) g * dg, channels);
                }
            }
        }
    }

    /** The unfolded buffer's shape for an input {@code [B, T, C]}: {@code [B, G, T + k − m, m·dg]}. */
    private static final class Unfolded {
        final int batch;
        final int frames;
        final int channels;
        final int groups;
        final int dg;
        final int m;
        final int width;
        final int rows;

        Unfolded(INDArray x, int groups, int kernel) {
            this.batch = (int) x.size(0);
            this.frames = (int) x.size(1);
            this.channels = (int) x.size(2);
            this.groups = groups;
            this.dg = channels / groups;
            this.m = chunk(kernel, dg);
            this.width = m * dg;
            this.rows = frames + kernel - m;
        }

        INDArray buffer(Arena arena) {
            return arena.get(KEY, batch, groups, rows, width);
        }
    }
}
