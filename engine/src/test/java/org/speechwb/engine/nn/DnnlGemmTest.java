package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.backend.Backends;

/**
 * oneDNN's matmul behind {@link CpuBlas#sgemm} against the same product in double precision:
 * every transposition, alpha and beta, offsets and leading dimensions wider than the matrix,
 * the bounded primitive cache and calls from several threads.
 */
class DnnlGemmTest {

    @BeforeAll
    static void backend() {
        Backends.init();
        Nd4j.create(1);
    }

    @AfterEach
    void restore() {
        DnnlGemm.setEnabled(true);
    }

    @Test
    void oneDnnIsLoadedOnTheCpuBackend() {
        assertThat(DnnlGemm.available()).as("oneDNN failed to load: %s", DnnlGemm.loadError()).isTrue();
        // a dense product of the shape of BASE's qkv projection gets an optimised kernel, not the reference loops
        assertThat(DnnlGemm.implementation(false, false, 398, 2304, 768, 768, 2304, 2304)).isNotNull().doesNotStartWith("ref");
    }

    @ParameterizedTest(name = "transA {0}, transB {1}, alpha {2}, beta {3}, layout {4}")
    @CsvSource({"false, false, 1, 0, DENSE", "false, true, 1, 0, DENSE", "true, false, 1, 1, DENSE", "true, true, 1, 0, DENSE",
        "false, false, 0.5, 0, DENSE", "false, false, 1, 0.25, DENSE", "true, false, -2, 1, DENSE",
        "false, false, 1, 0, OFFSET", "true, false, 1, 1, OFFSET", "false, true, 1, 0.5, OFFSET",
        "false, false, 1, 0, PADDED", "true, false, 1, 1, PADDED", "false, true, 1, 0, PADDED"})
    void matchesTheProductInDouble(boolean transA, boolean transB, float alpha, float beta, Layout layout) {
        int m = 150;
        int n = 70;
        int k = 90;
        assertThat((long) m * n * k).isGreaterThanOrEqualTo(DnnlGemm.MIN_MACS);
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        // OFFSET: each matrix starts two rows into its buffer (as a batch's second utterance does);
        // PADDED: two elements into rows wider than the matrix, so the leading dimension exceeds its width
        // (oneDNN's jit gemm rather than its brgemm kernels)
        int pad = layout == Layout.PADDED ? 3 : 0;
        int extraRows = layout == Layout.OFFSET ? 2 : 0;
        Nd4j.getRandom().setSeed(11);
        INDArray a = Nd4j.rand(DataType.FLOAT, aRows + extraRows, aCols + pad).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, bRows + extraRows, bCols + pad).subi(0.5);
        INDArray c = Nd4j.rand(DataType.FLOAT, m + extraRows, n + pad).subi(0.5);
        long aOff = layout == Layout.PADDED ? 2 : (long) extraRows * aCols;
        long bOff = layout == Layout.PADDED ? 2 : (long) extraRows * bCols;
        long cOff = layout == Layout.PADDED ? 2 : (long) extraRows * n;
        INDArray expected = expected(a, aOff, b, bOff, c, cOff, transA, transB, alpha, beta, m, n, k);
        assertThat(DnnlGemm.implementation(transA, transB, m, n, k, aCols + pad, bCols + pad, n + pad)).as("takes oneDNN's path")
                .isNotNull();
        CpuBlas.sgemm(transA, transB, m, n, k, alpha, a, aOff, aCols + pad, b, bOff, bCols + pad, beta, c, cOff, n + pad);
        assertClose(c, expected);
    }

    enum Layout { DENSE, OFFSET, PADDED }

    /** Same arithmetic in double on the same buffers: C = alpha·op(A)·op(B) + beta·C at the given offsets. */
    private static INDArray expected(INDArray a, long aOff, INDArray b, long bOff, INDArray c, long cOff, boolean transA,
            boolean transB, float alpha, float beta, int m, int n, int k) {
        float[] av = a.dup('c').data().asFloat();
        float[] bv = b.dup('c').data().asFloat();
        float[] cv = c.dup('c').data().asFloat();
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        int ldc = (int) c.size(1);
        double[] out = new double[cv.length];
        for (int i = 0; i < cv.length; i++) {
            out[i] = cv[i];
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = av[(int) aOff + (transA ? p * lda + i : i * lda + p)];
                    double y = bv[(int) bOff + (transB ? j * ldb + p : p * ldb + j)];
                    s += x * y;
                }
                int at = (int) cOff + i * ldc + j;
                out[at] = alpha * s + (beta == 0 ? 0 : beta * cv[at]);
            }
        }
        return Nd4j.createFromArray(out).reshape(c.shape());
    }

    private static void assertClose(INDArray actual, INDArray expected) {
        double err = actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
        assertThat(err).isLessThan(1e-4 * Math.max(1, expected.amaxNumber().doubleValue()));
    }

    @Test
    void aStridedConvolutionTapBlockMatchesTheBlas() {
        // a strided convolution's second tap block: rows 1024 apart, 512 wide (TimeConv); oneDNN
        // takes it with its jit gemm rather than its brgemm kernels
        assertThat(DnnlGemm.implementation(false, false, 300, 64, 512, 1024, 64, 64)).isNotNull();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 301, 1024).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 512, 64).subi(0.5);
        INDArray viaDnnl = Nd4j.create(DataType.FLOAT, 300, 64);
        INDArray viaBlas = Nd4j.create(DataType.FLOAT, 300, 64);
        CpuBlas.sgemm(false, false, 300, 64, 512, 1f, x, 512, 1024, w, 0, 64, 0f, viaDnnl, 0, 64);
        DnnlGemm.setEnabled(false);
        CpuBlas.sgemm(false, false, 300, 64, 512, 1f, x, 512, 1024, w, 0, 64, 0f, viaBlas, 0, 64);
        assertClose(viaDnnl, viaBlas.castTo(DataType.DOUBLE));
    }

    @Test
    void theCacheStaysBoundedAndEvictedShapesStillWork() {
        Nd4j.getRandom().setSeed(6);
        INDArray a = Nd4j.rand(DataType.FLOAT, 400, 64).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 64, 64).subi(0.5);
        INDArray c = Nd4j.create(DataType.FLOAT, 400, 64);
        // 300 row counts, as batches of varying length give: more than the cache holds
        for (int m = 64; m < 364; m++) {
            CpuBlas.sgemm(false, false, m, 64, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 64);
        }
        assertThat(DnnlGemm.cached()).isLessThanOrEqualTo(256);
        // the first shapes were evicted (destroyed) and are rebuilt on demand
        CpuBlas.sgemm(false, false, 64, 64, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 64);
        INDArray expected = a.get(range(0, 64), all()).castTo(DataType.DOUBLE).mmul(b.castTo(DataType.DOUBLE));
        assertClose(c.get(range(0, 64), all()), expected);
    }

    @Test
    void concurrentCallsOfOneShapeGiveEachCallerItsOwnResult() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> errors = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = 100 + t;
                errors.add(pool.submit(() -> {
                    INDArray a = Nd4j.rand(DataType.FLOAT, 200, 80).muli(seed % 7 + 1);
                    INDArray b = Nd4j.rand(DataType.FLOAT, 80, 96);
                    INDArray c = Nd4j.create(DataType.FLOAT, 200, 96);
                    double worst = 0;
                    for (int r = 0; r < 20; r++) {
                        CpuBlas.sgemm(false, false, 200, 96, 80, 1f, a, 0, 80, b, 0, 96, 0f, c, 0, 96);
                        INDArray expected = a.castTo(DataType.DOUBLE).mmul(b.castTo(DataType.DOUBLE));
                        worst = Math.max(worst, c.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue()
                                / expected.amaxNumber().doubleValue());
                    }
                    return worst;
                }));
            }
            for (Future<Double> f : errors) {
                assertThat(f.get()).isLessThan(1e-5);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex range(long from, long to) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
    }
}
