package org.speechwb.engine.nn;

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

    private CpuBlas() {
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} with each matrix given as an array's buffer, an
     * element offset from the array's own offset and a leading dimension (row stride).
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, INDArray a, long aOff, int lda,
            INDArray b, long bOff, int ldb, float beta, INDArray c, long cOff, int ldc) {
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
