package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-head products of multi-head attention, read from and written to the fused projections
 * in place: {@code qkv [B·T, 3d]} holds, per frame, q, k and v with head h at columns
 * {@code h·dh …}, and the context is written to {@code [B·T, d]} in the same order. Each
 * (utterance, head) matrix is then a view with leading dimension 3d (or d), so the BLAS takes
 * it as it is: q, k and v are never copied out. The heads of an utterance are one strided batch
 * of products ({@link CpuBlas#sgemmStrided}); as MKL's batched call wants every output matrix
 * in a block of its own, the context and the projections' gradients are written per head and
 * copied into place once.
 *
 * <p>Why: on BASE, ND4J's batched matmul over [B·H, T, dh] ran at about 45 GFLOP/s in the update
 * and these direct calls two to three times faster (docs/performance.md). CPU backend, float32, dense arrays
 * only ({@link #applies}); elsewhere the caller keeps its ND4J path.
 */
public final class AttentionProducts {

    private AttentionProducts() {
    }

    public static boolean applies(INDArray... arrays) {
        return CpuKernels.applies(arrays);
    }

    /** {@code scores[b, h] = scale · q_bh · k_bhᵀ}, {@code scores [B, H, T, T]}. */
    public static void scores(INDArray qkv, int batch, int heads, float scale, INDArray scores) {
        Shape s = new Shape(qkv, batch, heads);
        for (int b = 0; b < batch; b++) {
            CpuBlas.sgemmStrided(false, true, s.t, s.t, s.dh, scale, qkv, s.q(b), s.ld, s.dh, qkv, s.k(b), s.ld, s.dh, 0f,
                    scores, s.square(b), s.t, s.tt, heads);
        }
    }

    /**
     * {@code context[b·T + t, h·dh …] = (probs_bh · v_bh)[t]}, {@code context [B·T, d]}, by way of
     * {@code perHead [B, H, T, dh]}: MKL's batched call wants each output matrix in a block of its own.
     */
    public static void context(INDArray probs, INDArray qkv, int batch, int heads, INDArray perHead, INDArray context) {
        Shape s = new Shape(qkv, batch, heads);
        for (int b = 0; b < batch; b++) {
            CpuBlas.sgemmStrided(false, false, s.t, s.dh, s.t, 1f, probs, s.square(b), s.t, s.tt, qkv, s.v(b), s.ld, s.dh, 0f,
                    perHead, s.block(b), s.dh, s.t * s.dh, heads);
        }
        context.reshape('c', batch, s.t, heads, s.dh).assign(perHead.permute(0, 2, 1, 3));
    }

    /**
     * From the context's gradient {@code dcontext [B·T, d]}: {@code dprobs [B, H, T, T]} and the
     * value gradients {@code perHead[2] [B, H, T, dh]} of {@code perHead [3, B, H, T, dh]} (both overwritten).
     */
    public static void contextBackward(INDArray dcontext, INDArray probs, INDArray qkv, int batch, int heads,
            INDArray dprobs, INDArray perHead) {
        Shape s = new Shape(qkv, batch, heads);
        long values = 2L * batch * heads * s.t * s.dh;
        for (int b = 0; b < batch; b++) {
            CpuBlas.sgemmStrided(false, true, s.t, s.t, s.dh, 1f, dcontext, s.out(b), s.d, s.dh, qkv, s.v(b), s.ld, s.dh, 0f,
                    dprobs, s.square(b), s.t, s.tt, heads);
            CpuBlas.sgemmStrided(true, false, s.t, s.dh, s.t, 1f, probs, s.square(b), s.t, s.tt, dcontext, s.out(b), s.d, s.dh,
                    0f, perHead, values + s.block(b), s.dh, s.t * s.dh, heads);
        }
    }

    /**
     * From the scores' gradient, for scores taken with this {@code scale}: the query and key
     * gradients into {@code perHead[0]} and {@code perHead[1]}, then all three of {@code perHead}
     * (values from {@link #contextBackward}) into their columns of {@code dqkv [B·T, 3d]}.
     */
    public static void scoresBackward(INDArray dscores, INDArray qkv, int batch, int heads, float scale, INDArray perHead,
            INDArray dqkv) {
        Shape s = new Shape(qkv, batch, heads);
        long keys = (long) batch * heads * s.t * s.dh;
        for (int b = 0; b < batch; b++) {
            CpuBlas.sgemmStrided(false, false, s.t, s.dh, s.t, scale, dscores, s.square(b), s.t, s.tt, qkv, s.k(b), s.ld, s.dh,
                    0f, perHead, s.block(b), s.dh, s.t * s.dh, heads);
            CpuBlas.sgemmStrided(true, false, s.t, s.dh, s.t, scale, dscores, s.square(b), s.t, s.tt, qkv, s.q(b), s.ld, s.dh,
                    0f, perHead, keys + s.block(b), s.dh, s.t * s.dh, heads);
        }
        dqkv.reshape('c', batch, s.t, 3, heads, s.dh).assign(perHead.permute(1, 3, 0, 2, 4));
    }

    /** Element offsets of utterance b's first head in each buffer; head h is h·dh (or h·T·T) further. */
    private static final class Shape {
        final int t;
        final int tt;
        final int d;
        final int dh;
        final int ld;
        final int heads;

        Shape(INDArray qkv, int batch, int heads) {
            this.t = (int) (qkv.size(0) / batch);
            this.tt = t * t;
            this.d = (int) (qkv.size(1) / 3);
            this.dh = d / heads;
            this.ld = 3 * d;
            this.heads = heads;
        }

        long q(int b) {
            return (long) b * t * ld;
        }

        long k(int b) {
            return q(b) + d;
        }

        long v(int b) {
            return q(b) + 2L * d;
        }

        long out(int b) {
            return (long) b * t * d;
        }

        long block(int b) {
            return (long) b * heads * t * dh;
        }

        long square(int b) {
            return (long) b * heads * tt;
        }
    }
}
