package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.backend.Backends;

/**
 * Strided batches of products ({@link CpuBlas#sgemmStrided}: MKL's batched call where MKL is the
 * BLAS, one call each otherwise) against ND4J's gemm in double precision on the same views,
 * for every transposition: matrices interleaved in one buffer the way attention's heads are.
 */
class CpuBlasTest {

    @BeforeAll
    static void backend() {
        Backends.init();
    }

    @AfterEach
    void restore() {
        CpuBlas.setBatched(true);
    }

    @ParameterizedTest(name = "transA {0}, transB {1}, batched {2}, outputs interleaved {3}")
    @CsvSource({"false, false, true, false", "false, true, true, false", "true, false, true, false", "true, true, true, false",
        "false, false, false, false", "false, true, false, false", "true, false, false, false", "true, true, false, false",
        "false, false, true, true", "true, true, true, true"})
    void stridedBatchesMatchOneProductEach(boolean transA, boolean transB, boolean batched, boolean interleaved) {
        CpuBlas.setBatched(batched);
        int m = 7;
        int n = 5;
        int k = 6;
        int count = 3;
        // the inputs' matrices sit side by side in a row-major buffer, matrix i at column i·width (as
        // attention's heads do); the outputs too when interleaved, else one after the other
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        Nd4j.getRandom().setSeed(4);
        INDArray a = Nd4j.rand(DataType.FLOAT, aRows, count * aCols + 1);
        INDArray b = Nd4j.rand(DataType.FLOAT, bRows, count * bCols + 2);
        INDArray c = Nd4j.rand(DataType.FLOAT, m, count * n);
        if (!interleaved) {
            c = Nd4j.rand(DataType.FLOAT, count * m, n);
        }
        INDArray expected = c.castTo(DataType.DOUBLE);
        for (int i = 0; i < count; i++) {
            INDArray ai = a.castTo(DataType.DOUBLE).get(all(), range(i * aCols, (i + 1) * aCols));
            INDArray bi = b.castTo(DataType.DOUBLE).get(all(), range(i * bCols, (i + 1) * bCols));
            INDArray ci = (transA ? ai.transpose() : ai).mmul(transB ? bi.transpose() : bi).muli(0.5);
            INDArray block = interleaved ? expected.get(all(), range(i * n, (i + 1) * n))
                    : expected.get(range(i * m, (i + 1) * m), all());
            block.muli(2).addi(ci);
        }
        CpuBlas.sgemmStrided(transA, transB, m, n, k, 0.5f, a, 0, (int) a.size(1), aCols, b, 0, (int) b.size(1), bCols, 2f, c,
                0, (int) c.size(1), interleaved ? n : m * n, count);
        double worst = c.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
        assertThat(worst).isLessThan(1e-5);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex all() {
        return org.nd4j.linalg.indexing.NDArrayIndex.all();
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex range(long from, long to) {
        return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
    }
}
