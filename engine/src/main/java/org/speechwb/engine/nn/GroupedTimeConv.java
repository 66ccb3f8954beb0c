package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A grouped convolution over time on time-major {@code [B, T, C]} data, stride 1, zero padding
 * {@code pad} on the left and the output cut to T frames, computed directly on SIMD lanes: the
 * shape of wav2vec 2.0's positional convolution (k = 128, 16 groups, pad 64).
 *
 * <p>Why: its groups are thin (16 channels on the small config), so as im2col + GEMM it unfolds
 * the input 128-fold (55 MB on the small config) and multiplies 16-row matrices, at a few
 * GFLOP/s. Here each output frame accumulates {@code Σ_j Σ_c x[t+j−pad, c]·W[j, c, :]} in
 * vector registers, with the group's output channels as the lanes.
 *
 * <p>Weights are laid out {@code [G, k·dg, dg]}: row {@code j·dg + c} is tap j, input channel c
 * of the group, column o the output channel. Runs only when the Vector API is present, on the
 * CPU backend in float32 on dense arrays, and when the group width is a whole number of SIMD
 * vectors ({@link #applies}); otherwise the caller keeps its ND4J path.
 *
 * <p>Groups of 32 channels and more (BASE: 48) go to {@link GroupedTimeConvGemm} instead, which
 * multiplies a partly unfolded input on the BLAS and needs no Vector API: there the direct loop
 * ran at a third of the BLAS's speed (docs/performance.md).
 */
public final class GroupedTimeConv {

    private GroupedTimeConv() {
    }

    /** Whether the kernels can run for groups of {@code groupWidth} channels on these arrays. */
    public static boolean applies(int groupWidth, INDArray... arrays) {
        return CpuKernels.applies(arrays)
                && (GroupedTimeConvGemm.wide(groupWidth) || CpuKernels.VECTORISED && GroupedTimeConvVector.fits(groupWidth));
    }

    /** {@code out[b, t, g·dg + o] = Σ_j Σ_c x[b, t+j−pad, g·dg + c]·w[g, j·dg + c, o]}, terms outside the input zero. */
    public static void forward(Arena arena, INDArray x, INDArray w, int groups, int kernel, int pad, INDArray out) {
        if (GroupedTimeConvGemm.wide((int) (x.size(2) / groups))) {
            GroupedTimeConvGemm.forward(arena, x, w, groups, kernel, pad, out);
        } else {
            GroupedTimeConvVector.forward(x, w, groups, kernel, pad, out);
        }
    }

    /**
     * The input gradient {@code dx [B, T, C]} (overwritten) for the output gradient {@code dout [B, T, C]}.
     * Call it after {@link #weightGrad}: on wide groups it reuses the arena buffer that one reads.
     */
    public static void inputGrad(Arena arena, INDArray dout, INDArray w, int groups, int kernel, int pad, INDArray dx) {
        if (GroupedTimeConvGemm.wide((int) (dout.size(2) / groups))) {
            GroupedTimeConvGemm.inputGrad(arena, dout, w, groups, kernel, pad, dx);
        } else {
            GroupedTimeConvVector.inputGrad(dout, w, groups, kernel, pad, dx);
        }
    }

    /**
     * The weight gradient {@code dw [G, k·dg, dg]} (overwritten), summed over the batch, for the
     * input {@code x} of the last {@link #forward} in this arena.
     */
    public static void weightGrad(Arena arena, INDArray x, INDArray dout, int groups, int kernel, int pad, INDArray dw) {
        if (GroupedTimeConvGemm.wide((int) (x.size(2) / groups))) {
            GroupedTimeConvGemm.weightGrad(arena, x, dout, groups, kernel, dw);
        } else {
            GroupedTimeConvVector.weightGrad(x, dout, groups, kernel, pad, dw);
        }
    }
}
