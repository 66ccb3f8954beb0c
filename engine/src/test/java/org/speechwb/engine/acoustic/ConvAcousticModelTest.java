package org.speechwb.engine.acoustic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GradientCheck;
import org.speechwb.engine.nn.Param;

/** Exact gradients and padding isolation of the small acoustic model. */
class ConvAcousticModelTest {

    private static final AcousticModelConfig TINY = new AcousticModelConfig(3, 6, 3, 0, 10, 1, 1e-3, 0, 0, 5, 7, ModelSelection.DEFAULT);

    @Test
    void gradientsMatchFiniteDifferencesWithPadding() {
        Backends.init();
        ConvAcousticModel m = new ConvAcousticModel(TINY, 4, 5, DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 9, 4);
        x.get(NDArrayIndex.point(1), NDArrayIndex.interval(6, 9), NDArrayIndex.all()).assign(0);
        int[] lengths = {9, 6};
        INDArray r = Nd4j.randn(DataType.DOUBLE, 2, 9, 5);
        r.get(NDArrayIndex.point(1), NDArrayIndex.interval(6, 9), NDArrayIndex.all()).assign(0);
        m.forward(ctx, x, lengths);
        m.params().zeroGrads();
        m.backward(ctx, r.dup());
        List<String> failures = new ArrayList<>();
        for (Param p : m.params().list()) {
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), p.grad().dup(),
                    () -> m.forward(ctx, x, lengths).mul(r).sumNumber().doubleValue(), 12, 1e-6, 5);
            if (!res.passes(1e-5, 1e-9)) {
                failures.add(res.toString());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void withZeroLayersItIsALinearProbeWithExactGradients() {
        Backends.init();
        AcousticModelConfig linear = new AcousticModelConfig(0, 1, 1, 0, 10, 1, 1e-3, 0, 0, 5, 7, ModelSelection.DEFAULT);
        ConvAcousticModel m = new ConvAcousticModel(linear, 4, 5, DataType.DOUBLE);
        assertThat(m.params().list()).extracting(Param::name).containsExactly("am.head.w", "am.head.b");
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 6, 4);
        int[] lengths = {6, 4};
        INDArray r = Nd4j.randn(DataType.DOUBLE, 2, 6, 5);
        m.forward(ctx, x, lengths);
        m.params().zeroGrads();
        m.backward(ctx, r.dup());
        for (Param p : m.params().list()) {
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), p.grad().dup(),
                    () -> m.forward(ctx, x, lengths).mul(r).sumNumber().doubleValue(), 12, 1e-6, 5);
            assertThat(res.passes(1e-5, 1e-9)).as(res.toString()).isTrue();
        }
    }

    @Test
    void anUtteranceGetsTheSameLogitsAloneAndPaddedInABatch() {
        Backends.init();
        ConvAcousticModel m = new ConvAcousticModel(TINY, 4, 5, DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Nd4j.getRandom().setSeed(4);
        INDArray longer = Nd4j.randn(DataType.DOUBLE, 1, 12, 4);
        INDArray shorter = Nd4j.randn(DataType.DOUBLE, 1, 7, 4);
        INDArray alone = m.forward(ctx, shorter, new int[] {7}).dup();
        INDArray batch = Nd4j.zeros(DataType.DOUBLE, 2, 12, 4);
        batch.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all()).assign(longer);
        batch.get(NDArrayIndex.interval(1, 2), NDArrayIndex.interval(0, 7), NDArrayIndex.all()).assign(shorter);
        INDArray together = m.forward(ctx, batch, new int[] {12, 7});
        INDArray row = together.get(NDArrayIndex.interval(1, 2), NDArrayIndex.interval(0, 7), NDArrayIndex.all());
        assertThat(row.sub(alone).amaxNumber().doubleValue()).isLessThan(1e-12);
    }
}
