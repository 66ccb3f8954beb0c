package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Strided 1-D convolution on time-major data {@code [B, T, C]}, computed with GEMMs.
 *
 * <p>Row {@code j·Cin + c} of the weight {@code [k·Cin, Cout]} holds PyTorch's
 * {@code weight[o, c, j]}. Tap j of output t is input frame s·t + j. ND4J's own conv1d ran at
 * about a fifth of its GEMM speed here and its backward was slower still.
 *
 * <p>On the CPU the input needs no unfolding: frames s·t … s·t+s−1 are one contiguous run of
 * {@code s·Cin} floats, so taps are taken s at a time ("tap blocks"), each block a GEMM whose
 * left matrix is a view of the input with leading dimension {@code s·Cin} ({@link CpuBlas});
 * a k = 3, s = 2 layer is two GEMMs per utterance (taps 0–1, then tap 2 one frame pair on), and
 * the input gradient is written back the same way instead of folded by col2im. Elsewhere (the
 * CUDA backend, non-dense inputs) the input is unfolded into {@code [B·T', k·Cin]} and
 * multiplied once.
 */
public final class TimeConv {

    private final String name;
    private final int kernel;
    private final int stride;
    private final int in;
    private final int out;
    private final Param w;
    private final Param b;
    private INDArray col;
    /** The input kept for the weight gradient when forward took the tap-block path; null otherwise. */
    private INDArray input;
    private long frames;

    /**
     * Weights are Kaiming-normal (fan_in, gain √2), as the reference feature encoder;
     * the optional bias is U(±1/√fan_in) as PyTorch's Conv1d default.
     */
    public TimeConv(ParamStore ps, String name, int in, int out, int kernel, int stride, boolean bias) {
        this(ps, name, in, out, kernel, stride, bias, Init.KAIMING_NORMAL);
    }

    /** Weight initialisations of the reference models. */
    public enum Init {
        /** N(0, 2/fan_in): wav2vec 2.0's feature encoder (nn.init.kaiming_normal_). */
        KAIMING_NORMAL,
        /** U(±1/√fan_in): PyTorch's Conv1d default, which wav2vec 1.0 keeps everywhere. */
        TORCH_DEFAULT
    }

    public TimeConv(ParamStore ps, String name, int in, int out, int kernel, int stride, boolean bias, Init init) {
        this.name = name;
        this.kernel = kernel;
        this.stride = stride;
        this.in = in;
        this.out = out;
        int fanIn = in * kernel;
        double bound = 1 / Math.sqrt(fanIn);
        this.w = ps.add(name + ".w", init == Init.KAIMING_NORMAL ? ps.normal(Math.sqrt(2.0 / fanIn), (long) kernel * in, out)
                : ps.uniform(-bound, bound, (long) kernel * in, out), true);
        this.b = bias ? ps.add(name + ".b", ps.uniform(-bound, bound, out), false) : null;
    }

    public static long outputFrames(long frames, int kernel, int stride) {
        return frames < kernel ? 0 : (frames - kernel) / stride + 1;
    }

    /** @param x {@code [B, T, Cin]} */
    public INDArray forward(Ctx ctx, INDArray x) {
        long batch = x.size(0);
        frames = x.size(1);
        long t2 = outputFrames(frames, kernel, stride);
        if (t2 <= 0) {
            throw new IllegalArgumentException(name + ": input of " + frames + " frames is shorter than the kernel " + kernel);
        }
        INDArray y = ctx.arena().get(name + ".y", batch, t2, out);
        if (CpuKernels.applies(x, y, w.value(), w.grad())) {
            input = x;
            col = null;
            forwardTapBlocks(x, y, (int) batch, (int) t2);
        } else {
            input = null;
            unfoldedForward(ctx, x, y, batch, t2);
        }
        if (b != null) {
            Tensors.addRow(Tensors.rows(y, out), b.value(), Tensors.rows(y, out));
        }
        return y;
    }

    /** Unfolds the input into {@code [B·T', k·Cin]} and multiplies it once (the CUDA backend, non-dense arrays). */
    private void unfoldedForward(Ctx ctx, INDArray x, INDArray y, long batch, long t2) {
        col = ctx.arena().get(name + ".col", batch, t2, (long) kernel * in);
        try (var sec = Profiler.start("conv.im2col")) {
            for (int j = 0; j < kernel; j++) {
                col.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval((long) j * in, (long) (j + 1) * in))
                        .assign(taps(x, j, t2));
            }
        }
        Tensors.gemm(Tensors.rows(col, (long) kernel * in), w.value(), Tensors.rows(y, out), false, false, 1, 0);
    }

    /** Whether the last forward took the tap-block path (tests). */
    boolean usedTapBlocks() {
        return input != null;
    }

    /**
     * y[b, t] = Σ_q x[b, s·(t+q) … s·(t+q)+len_q−1] · W_q over tap blocks q (taps q·s …
     * q·s+len_q−1); per utterance, block 0 writes y and later blocks add to it.
     */
    private void forwardTapBlocks(INDArray x, INDArray y, int batch, int t2) {
        int lda = stride * in;
        for (int u = 0; u < batch; u++) {
            long xBase = (long) u * frames * in;
            long yBase = (long) u * t2 * out;
            for (int q = 0; q * stride < kernel; q++) {
                int len = Math.min(stride, kernel - q * stride);
                CpuBlas.sgemm(false, false, t2, out, len * in, 1f, x, xBase + (long) q * lda, lda,
                        w.value(), (long) q * stride * in * out, out, q == 0 ? 0f : 1f, y, yBase, out);
            }
        }
    }

    /**
     * The weight gradient per tap block (dW_q += X_qᵀ·dy, summed over utterances) and, when
     * asked, the input gradient written through the same views (dX_q = dy·W_qᵀ; block 0 writes,
     * later blocks add; frames no block 0 reaches start at zero).
     */
    private INDArray backwardTapBlocks(Ctx ctx, INDArray dy, boolean needInputGrad, String dxKey) {
        int batch = (int) dy.size(0);
        int t2 = (int) dy.size(1);
        int lda = stride * in;
        for (int u = 0; u < batch; u++) {
            long xBase = (long) u * frames * in;
            long dyBase = (long) u * t2 * out;
            for (int q = 0; q * stride < kernel; q++) {
                int len = Math.min(stride, kernel - q * stride);
                CpuBlas.sgemm(true, false, len * in, out, t2, 1f, input, xBase + (long) q * lda, lda,
                        dy, dyBase, out, 1f, w.grad(), (long) q * stride * in * out, out);
            }
        }
        if (!needInputGrad) {
            return null;
        }
        INDArray dx = ctx.arena().get(dxKey, batch, frames, in);
        long covered = (long) stride * t2;
        if (kernel < stride) {
            dx.assign(0);
        } else if (covered < frames) {
            dx.get(NDArrayIndex.all(), NDArrayIndex.interval(covered, frames), NDArrayIndex.all()).assign(0);
        }
        for (int u = 0; u < batch; u++) {
            long dxBase = (long) u * frames * in;
            long dyBase = (long) u * t2 * out;
            for (int q = 0; q * stride < kernel; q++) {
                int len = Math.min(stride, kernel - q * stride);
                CpuBlas.sgemm(false, true, t2, len * in, out, 1f, dy, dyBase, out,
                        w.value(), (long) q * stride * in * out, out, q == 0 ? 0f : 1f, dx, dxBase + (long) q * lda, lda);
            }
        }
        return dx;
    }

    private INDArray taps(INDArray x, int j, long t2) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(j, stride, j + stride * (t2 - 1) + 1), NDArrayIndex.all());
    }

    /** @return {@code dx [B, T, Cin]}, or null when {@code needInputGrad} is false */
    public INDArray backward(Ctx ctx, INDArray dy, boolean needInputGrad) {
        return backward(ctx, dy, needInputGrad, name + ".dx");
    }

    /**
     * @param dxKey arena key of {@code dx} (and prefix of its col2im scratch): layers whose
     *              gradients are dead by then may share one
     */
    public INDArray backward(Ctx ctx, INDArray dy, boolean needInputGrad, String dxKey) {
        if (b != null) {
            Tensors.accumulateColumnSums(Tensors.rows(dy, out), b.grad(), ctx.arena());
        }
        if (input != null) {
            return backwardTapBlocks(ctx, CpuKernels.applies(dy) ? dy : dy.dup('c'), needInputGrad, dxKey);
        }
        long batch = dy.size(0);
        long t2 = dy.size(1);
        INDArray dy2 = Tensors.rows(dy, out);
        Tensors.gemm(Tensors.rows(col, (long) kernel * in), dy2, w.grad(), true, false, 1, 1);
        if (!needInputGrad) {
            return null;
        }
        // the unfolded input is dead once the weight gradient is taken: its buffer takes dcol
        INDArray dcol = ctx.arena().get(name + ".col", batch, t2, (long) kernel * in);
        Tensors.gemm(dy2, w.value(), Tensors.rows(dcol, (long) kernel * in), false, true, 1, 0);
        // col2im: taps j < stride write disjoint frames (plain copies); later taps overlap
        // earlier ones and are accumulated through contiguous scratch (see Tensors.addStrided)
        INDArray dx = ctx.arena().get(dxKey, batch, frames, in);
        try (var sec = Profiler.start("conv.col2im")) {
            long covered = Math.min(frames, (long) stride * t2);
            if (kernel < stride || covered < frames) {
                dx.assign(0);
            }
            for (int j = 0; j < kernel; j++) {
                INDArray src = dcol.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval((long) j * in, (long) (j + 1) * in));
                if (j < stride) {
                    taps(dx, j, t2).assign(src);
                } else {
                    Tensors.addStrided(taps(dx, j, t2), src, ctx.arena(), dxKey + ".col2im");
                }
            }
        }
        return dx;
    }
}
