package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Strided 1-D convolution on time-major data {@code [B, T, C]}, computed as one GEMM.
 *
 * <p>The input is unfolded into {@code [B·T', k·Cin]} (tap j of output t is input frame
 * s·t + j) and multiplied by the weight {@code [k·Cin, Cout]}, whose row {@code j·Cin + c}
 * holds PyTorch's {@code weight[o, c, j]}. ND4J's own conv1d ran at about a fifth of its GEMM
 * speed here and its backward was slower still; this keeps the encoder at GEMM speed.
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
        col = ctx.arena().get(name + ".col", batch, t2, (long) kernel * in);
        try (var sec = Profiler.start("conv.im2col")) {
            for (int j = 0; j < kernel; j++) {
                col.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval((long) j * in, (long) (j + 1) * in))
                        .assign(taps(x, j, t2));
            }
        }
        INDArray y = ctx.arena().get(name + ".y", batch, t2, out);
        Tensors.gemm(Tensors.rows(col, (long) kernel * in), w.value(), Tensors.rows(y, out), false, false, 1, 0);
        if (b != null) {
            Tensors.addRow(Tensors.rows(y, out), b.value(), Tensors.rows(y, out));
        }
        return y;
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
        long batch = dy.size(0);
        long t2 = dy.size(1);
        INDArray dy2 = Tensors.rows(dy, out);
        Tensors.gemm(Tensors.rows(col, (long) kernel * in), dy2, w.grad(), true, false, 1, 1);
        if (b != null) {
            Tensors.accumulateColumnSums(dy2, b.grad(), ctx.arena());
        }
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
