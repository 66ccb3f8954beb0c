package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The handful of ND4J calls the modules use, each writing into a caller-provided array so
 * that no step allocates. Broadcast helpers name the broadcast axis: a "row" vector has one
 * value per column of an {@code [N, C]} matrix, a "column" vector one value per row.
 */
public final class Tensors {

    private Tensors() {
    }

    /** {@code c = alpha·op(a)·op(b) + beta·c} through BLAS. */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        if (a.rank() == 2 && b.rank() == 2 && c.rank() == 2 && !a.isEmpty() && !b.isEmpty() && !c.isEmpty()
                && CpuKernels.applies(a, b, c)) {
            // straight to the BLAS: ND4J's gemm adds checks and a layout decision per call, about 7 % of a
            // BASE projection's time (docs/performance.md)
            int k = (int) (transA ? a.size(0) : a.size(1));
            if ((transA ? a.size(1) : a.size(0)) != c.size(0) || (transB ? b.size(0) : b.size(1)) != c.size(1)
                    || (transB ? b.size(1) : b.size(0)) != k) {
                throw new IllegalArgumentException("gemm: shapes " + java.util.Arrays.toString(a.shape()) + (transA ? "ᵀ" : "")
                        + " × " + java.util.Arrays.toString(b.shape()) + (transB ? "ᵀ" : "") + " → "
                        + java.util.Arrays.toString(c.shape()) + " do not agree");
            }
            CpuBlas.sgemm(transA, transB, (int) c.size(0), (int) c.size(1), k, (float) alpha, a, 0, (int) a.size(1),
                    b, 0, (int) b.size(1), (float) beta, c, 0, (int) c.size(1));
            return;
        }
        Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
    }

    /** Whether {@link #gemm} sends large CPU products to oneDNN (loaded, and not switched off by {@code SPEECHWB_ONEDNN=false}). */
    public static boolean oneDnnGemm() {
        return DnnlGemm.available();
    }

    /** A {@code [N, cols]} view of a C-ordered contiguous array. */
    public static INDArray rows(INDArray x, long cols) {
        return x.reshape('c', x.length() / cols, cols);
    }

    public static void mulRow(INDArray x, INDArray row, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, row, out, 1));
    }

    public static void addRow(INDArray x, INDArray row, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastAddOp(x, row, out, 1));
    }

    public static void mulColumn(INDArray x, INDArray column, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, column, out, 0));
    }

    public static void subColumn(INDArray x, INDArray column, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, column, out, 0));
    }

    /**
     * {@code grad += Σ_rows x} for {@code x [N, C]} and {@code grad [C]}, as a GEMM with a
     * row of ones: ND4J's column reduction (sum over dimension 0) is several times slower.
     */
    public static void accumulateColumnSums(INDArray x, INDArray grad, Arena arena) {
        long n = x.size(0);
        gemm(ones(arena, n).reshape(1, n), x, grad.reshape(1, grad.length()), false, false, 1, 1);
    }

    /** {@code out[b, c] = mean_t x[b, t, c]} for time-major {@code x [B, T, C]}, one GEMM per utterance. */
    public static void meanOverTime(INDArray x, INDArray out, Arena arena) {
        long frames = x.size(1);
        INDArray ones = ones(arena, frames).reshape(1, frames);
        for (int b = 0; b < x.size(0); b++) {
            gemm(ones, x.slice(b), out.slice(b).reshape(1, out.size(1)), false, false, 1.0 / frames, 0);
        }
    }

    /** A vector of {@code n} ones, cached in the arena. */
    public static INDArray ones(Arena arena, long n) {
        return arena.ones(n);
    }

    /**
     * {@code target += source} where either may be a strided view. ND4J's pairwise ops on
     * strided views run several times slower than strided copies, so both are gathered into
     * contiguous scratch buffers, added there and scattered back.
     */
    public static void addStrided(INDArray target, INDArray source, Arena arena, String key) {
        INDArray a = arena.get(key + ".acc", target.shape());
        INDArray b = arena.get(key + ".src", target.shape());
        a.assign(target);
        b.assign(source);
        a.addi(b);
        target.assign(a);
    }

    public static void softmaxLastDim(INDArray x, INDArray out) {
        if (SoftmaxKernel.applies(x, out)) {
            SoftmaxKernel.forward(x, out);
            return;
        }
        Nd4j.getExecutioner().exec((CustomOp) new SoftMax(x, out, -1));
    }

    public static void erf(INDArray x, INDArray out) {
        Nd4j.getExecutioner().exec(new Erf(x, out));
    }

    public static void exp(INDArray x, INDArray out) {
        Nd4j.getExecutioner().exec(new Exp(x, out));
    }

    /**
     * Softmax backward for rows of {@code p = softmax(s)}: {@code ds = p ⊙ (dp − Σ(dp ⊙ p))},
     * written into {@code dp}. {@code rowScratch} holds one value per row.
     */
    public static void softmaxBackwardInPlace(INDArray p, INDArray dp, INDArray prodScratch, INDArray rowScratch) {
        if (SoftmaxKernel.applies(p, dp)) {
            SoftmaxKernel.backwardInPlace(p, dp);
            return;
        }
        INDArray p2 = rows(p, p.size(-1));
        INDArray dp2 = rows(dp, dp.size(-1));
        INDArray prod = rows(prodScratch, p.size(-1));
        dp2.mul(p2, prod);
        prod.sum(rowScratch, 1);
        subColumn(dp2, rowScratch, dp2);
        dp2.muli(p2);
    }
}
