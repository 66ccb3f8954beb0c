package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GroupedTimeConv;
import org.speechwb.engine.nn.ParamStore;

/**
 * The positional convolution's CPU paths (float32, {@code GroupedTimeConv}: the direct SIMD loop
 * for groups of 16 channels, the partly unfolded GEMMs for 48) against its unfolding path in
 * double precision, which the gradient checks and the reference-equality
 * tests cover: output, input gradient and the gradients of v, g and the bias.
 */
class PositionalConvKernelTest {

    @ParameterizedTest(name = "kernel {0}, frames {1}, {2} channels")
    @CsvSource({"8, 23, 32", "128, 40, 32", "6, 5, 32", "8, 23, 96", "128, 40, 96", "6, 5, 96", "128, 7, 96", "10, 31, 64"})
    void theCpuPathMatchesTheUnfoldingPath(int kernel, int frames, int dim) {
        Wav2Vec2Config cfg = new Wav2Vec2Config(List.of(new ConvLayerSpec(32, 10, 5)), ExtractorMode.DEFAULT, false, dim, 12,
                1, 2, false, 0, 0, 0, 0, 0, 0, kernel, 2, 1.0, 4, 2, 5, 0.5);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, frames, dim);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, 2, frames, dim);
        ParamStore reference = new ParamStore(DataType.DOUBLE, 5);
        new PositionalConv(reference, cfg);
        INDArray[] fast = run(cfg, x, dy, DataType.FLOAT, reference);
        INDArray[] exact = run(cfg, x, dy, DataType.DOUBLE, reference);
        String[] names = {"y", "dx", "dv", "dg", "db"};
        for (int i = 0; i < names.length; i++) {
            double scale = Math.max(1e-9, Transforms.abs(exact[i], true).maxNumber().doubleValue());
            double worst = Transforms.abs(fast[i].sub(exact[i]), false).maxNumber().doubleValue() / scale;
            assertThat(worst).as(names[i]).isLessThan(2e-5);
        }
    }

    private static INDArray[] run(Wav2Vec2Config cfg, INDArray x, INDArray dy, DataType type, ParamStore reference) {
        ParamStore ps = new ParamStore(type, 5);
        PositionalConv conv = new PositionalConv(ps, cfg);
        for (String p : List.of("pos_conv.v", "pos_conv.g", "pos_conv.b")) {
            ps.get(p).value().assign(reference.get(p).value().castTo(type));
            ps.get(p).grad().assign(0);
        }
        // a non-zero bias and gain away from their initial values, so their gradients are exercised
        ps.get("pos_conv.b").value().assign(0.1);
        ps.get("pos_conv.g").value().muli(1.5);
        if (type == DataType.FLOAT) {
            assertThat(GroupedTimeConv.applies(cfg.modelDim() / 2, x.castTo(type))).isTrue();
        }
        Ctx ctx = new Ctx(new Arena(type), true, Nd4j.getRandom());
        INDArray y = conv.forward(ctx, x.castTo(type)).dup();
        INDArray dx = conv.backward(ctx, dy.castTo(type)).dup();
        return new INDArray[] {y.castTo(DataType.DOUBLE), dx.castTo(DataType.DOUBLE),
                ps.get("pos_conv.v").grad().castTo(DataType.DOUBLE), ps.get("pos_conv.g").grad().castTo(DataType.DOUBLE),
                ps.get("pos_conv.b").grad().castTo(DataType.DOUBLE)};
    }
}
