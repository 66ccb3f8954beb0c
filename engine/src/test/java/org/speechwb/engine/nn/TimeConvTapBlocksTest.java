package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The convolution's tap-block GEMMs on the CPU (float32, no unfolding) against its unfolding
 * path, which the double-precision gradient checks cover: output, weight and bias gradients and
 * the input gradient, for kernels shorter than, equal to and longer than the stride.
 */
class TimeConvTapBlocksTest {

    @ParameterizedTest(name = "in {0}, out {1}, kernel {2}, stride {3}, frames {4}")
    @CsvSource({
        "1, 8, 10, 5, 203",   // wav2vec 2.0's first layer (one input channel), frames not aligned to the stride
        "6, 5, 3, 2, 41",     // its middle layers
        "6, 5, 2, 2, 40",     // its last layers: one tap block, the input as it is
        "4, 3, 2, 3, 31",     // kernel shorter than the stride: frames between windows get no gradient
        "5, 7, 5, 1, 23",     // stride 1 (wav2vec 1.0's context network, the acoustic model)
        "3, 4, 7, 3, 50"})    // a last tap block shorter than the stride
    void tapBlocksMatchTheUnfoldingPath(int in, int out, int kernel, int stride, int frames) {
        Nd4j.getRandom().setSeed(11);
        // the input as a view with an offset into a larger buffer, as arena arrays may be
        INDArray backing = Nd4j.randn(DataType.DOUBLE, 2 * frames * in + 13);
        INDArray x = backing.get(NDArrayIndex.interval(13, 13 + 2 * frames * in)).reshape('c', 2, frames, in);
        long t2 = TimeConv.outputFrames(frames, kernel, stride);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, 2, t2, out);

        Run fast = run(in, out, kernel, stride, x, dy, DataType.FLOAT);
        Run exact = run(in, out, kernel, stride, x, dy, DataType.DOUBLE);
        assertThat(fast.tapBlocks).isTrue();
        assertThat(exact.tapBlocks).isFalse();
        for (int i = 0; i < fast.values.length; i++) {
            INDArray e = exact.values[i];
            double scale = Math.max(1e-9, Transforms.abs(e, true).maxNumber().doubleValue());
            double worst = Transforms.abs(fast.values[i].sub(e), false).maxNumber().doubleValue() / scale;
            assertThat(worst).as("output %d (y, dW, db, dx)", i).isLessThan(1e-5);
        }
    }

    private record Run(boolean tapBlocks, INDArray[] values) {
    }

    private static Run run(int in, int out, int kernel, int stride, INDArray x, INDArray dy, DataType type) {
        ParamStore ps = new ParamStore(type, 3);
        TimeConv conv = new TimeConv(ps, "c", in, out, kernel, stride, true);
        ps.get("c.w").value().assign(Nd4j.linspace(-1, 1, ps.get("c.w").value().length(), DataType.DOUBLE)
                .reshape(ps.get("c.w").value().shape()).castTo(type));
        ps.get("c.b").value().assign(0.25);
        ps.get("c.w").grad().assign(0.5); // gradients accumulate onto what is there
        Ctx ctx = new Ctx(new Arena(type), true, Nd4j.getRandom());
        INDArray xt = type == DataType.DOUBLE ? x : x.castTo(type);
        if (type == DataType.FLOAT) {
            // keep the offset view: cast a copy into a larger float buffer at the same offset
            INDArray backing = Nd4j.create(DataType.FLOAT, x.length() + 13);
            xt = backing.get(NDArrayIndex.interval(13, 13 + x.length())).reshape('c', x.shape());
            xt.assign(x.castTo(DataType.FLOAT));
        }
        INDArray y = conv.forward(ctx, xt).dup();
        boolean tapBlocks = conv.usedTapBlocks();
        INDArray dx = conv.backward(ctx, dy.castTo(type), true).dup();
        return new Run(tapBlocks, new INDArray[] {y.castTo(DataType.DOUBLE), ps.get("c.w").grad().castTo(DataType.DOUBLE),
                ps.get("c.b").grad().castTo(DataType.DOUBLE), dx.castTo(DataType.DOUBLE)});
    }
}
