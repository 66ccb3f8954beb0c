package org.speechwb.engine.nn;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major float32 GEMM straight on ND4J's CPU buffers, with offsets and leading dimensions of
 * our choosing, through the BLAS that ND4J itself loaded (MKL by default, else OpenBLAS: the
 * JavaCPP {@code openblas} binding calls whichever library {@code backend.Backends} selected).
 *
 * <p>Why: ND4J's gemm takes whole arrays and copies any view whose rows are not dense, so a
 * strided convolution had to unfold its input first ({@link TimeConv}). With a leading dimension
 * of {@code stride·Cin} the unfolded matrix is a plain view of the input and needs no copy.
 * Callers check {@link CpuKernels#applies} first (CPU backend, dense float32 arrays).
 */
final class CpuBlas {

    /**
     * MKL's {@code cblas_sgemm_batch_strided} when MKL is the BLAS ND4J loaded, else null. Looked
     * up by reflection: the CUDA build has no MKL jars to compile against.
     */
    private static final MethodHandle BATCH_STRIDED = batchStridedHandle();
    /** Tests turn the batched call off to compare it with the loop. */
    private static volatile boolean batched = true;

    private CpuBlas() {
    }

    private static MethodHandle batchStridedHandle() {
        if (!"mkl_rt".equals(System.getProperty("org.bytedeco.openblas.load"))) {
            return null;
        }
        try {
            Class<?> mkl = Class.forName("org.bytedeco.mkl.global.mkl_rt");
            return MethodHandles.publicLookup().findStatic(mkl, "cblas_sgemm_batch_strided", MethodType.methodType(void.class,
                    int.class, int.class, int.class, int.class, int.class, int.class, float.class, FloatPointer.class, int.class,
                    int.class, FloatPointer.class, int.class, int.class, float.class, FloatPointer.class, int.class, int.class,
                    int.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    static void setBatched(boolean on) {
        batched = on;
    }

    /**
     * {@code count} products {@code C_i = alpha·op(A_i)·op(B_i) + beta·C_i}, matrix i of each
     * starting {@code i·stride} elements after the first: one MKL call where MKL is loaded (it
     * spreads the small products over its threads at once) and the outputs do not interleave
     * (inputs may), else one {@link #sgemm} each.
     *
     * <p>Why: with OpenMP told not to spin, each small product otherwise wakes MKL's threads
     * anew; attention's 24 per-head products of BASE took about 2.8 ms per layer that way and
     * about 1 ms batched.
     */
    static void sgemmStrided(boolean transA, boolean transB, int m, int n, int k, float alpha, INDArray a, long aOff, int lda,
            int strideA, INDArray b, long bOff, int ldb, int strideB, float beta, INDArray c, long cOff, int ldc, int strideC,
            int count) {
        // MKL refuses ("parameter 17") output matrices that interleave: each must own a block of ldc·m elements
        if (BATCH_STRIDED != null && batched && strideC >= (long) ldc * m) {
            try {
                BATCH_STRIDED.invokeExact(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                        transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, at(a, aOff), lda, strideA,
                        at(b, bOff), ldb, strideB, beta, at(c, cOff), ldc, strideC, count);
                return;
            } catch (Throwable e) {
                throw new IllegalStateException("cblas_sgemm_batch_strided failed", e);
            }
        }
        for (int i = 0; i < count; i++) {
            sgemm(transA, transB, m, n, k, alpha, a, aOff + (long) i * strideA, lda, b, bOff + (long) i * strideB, ldb, beta,
                    c, cOff + (long) i * strideC, ldc);
        }
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} with each matrix given as an array's buffer, an
     * element offset from the array's own offset and a leading dimension (row stride). Large
     * products go to oneDNN ({@link DnnlGemm}), about twice the BLAS's speed on AMD CPUs.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, INDArray a, long aOff, int lda,
            INDArray b, long bOff, int ldb, float beta, INDArray c, long cOff, int ldc) {
        if ((long) m * n * k >= DnnlGemm.MIN_MACS && DnnlGemm.available() && DnnlGemm.sgemm(transA, transB, m, n, k, alpha,
                at(a, aOff), lda, at(b, bOff), ldb, beta, at(c, cOff), ldc)) {
            return;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, at(a, aOff), lda, at(b, bOff), ldb,
                beta, at(c, cOff), ldc);
    }

    private static FloatPointer at(INDArray x, long offset) {
        // a view's buffer already points at its own offset, which the array's offset includes
        FloatPointer p = new FloatPointer(x.data().addressPointer());
        return p.position(x.offset() - x.data().offset() + offset);
    }
}
