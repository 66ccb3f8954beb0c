package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.AttentionProducts;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.ParamStore;

/**
 * Self-attention with its per-head products on the BLAS in place (float32,
 * {@code AttentionProducts}) against the ND4J path in double precision, which the gradient checks
 * and the reference-equality tests cover: output, input gradient and every parameter gradient,
 * with and without a key padding mask.
 */
class AttentionProductsTest {

    @BeforeAll
    static void backend() {
        // MKL where its jars are present, as in the product: its batched products are then the path under test
        Backends.init();
    }

    @ParameterizedTest(name = "batch {0}, frames {1}, d {2}, heads {3}, padded {4}")
    @CsvSource({"2, 7, 16, 2, false", "3, 11, 24, 3, true", "1, 5, 8, 1, false", "2, 13, 32, 4, true"})
    void theInPlaceProductsMatchTheNd4jPath(int batch, int frames, int d, int heads, boolean padded) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, (long) batch * frames, d);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, (long) batch * frames, d);
        INDArray bias = null;
        if (padded) {
            // the last utterance's final two frames are padding
            bias = Nd4j.zeros(DataType.DOUBLE, batch, frames);
            bias.putScalar(batch - 1, frames - 1, -1e4);
            bias.putScalar(batch - 1, frames - 2, -1e4);
        }
        ParamStore reference = new ParamStore(DataType.DOUBLE, 5);
        new SelfAttention(reference, "att", d, heads, 0.0);
        List<INDArray> fast = run(x, dy, bias, batch, d, heads, DataType.FLOAT, reference);
        List<INDArray> exact = run(x, dy, bias, batch, d, heads, DataType.DOUBLE, reference);
        for (int i = 0; i < exact.size(); i++) {
            double scale = Math.max(1e-9, Transforms.abs(exact.get(i), true).maxNumber().doubleValue());
            double worst = Transforms.abs(fast.get(i).sub(exact.get(i)), false).maxNumber().doubleValue() / scale;
            assertThat(worst).as("output " + i).isLessThan(2e-5);
        }
    }

    private static List<INDArray> run(INDArray x, INDArray dy, INDArray bias, int batch, int d, int heads, DataType type,
            ParamStore reference) {
        ParamStore ps = new ParamStore(type, 5);
        SelfAttention attention = new SelfAttention(ps, "att", d, heads, 0.0);
        reference.all().forEach((name, p) -> {
            ps.get(name).value().assign(p.value().castTo(type));
            ps.get(name).grad().assign(0);
        });
        // non-zero biases, so their gradients and their effect on the products are exercised
        ps.get("att.qkv.b").value().assign(Nd4j.linspace(-0.3, 0.3, 3L * d, DataType.DOUBLE).castTo(type));
        ps.get("att.out_proj.b").value().assign(0.1);
        if (type == DataType.FLOAT) {
            assertThat(AttentionProducts.applies(x.castTo(type))).isTrue();
        }
        Ctx ctx = new Ctx(new Arena(type), true, Nd4j.getRandom());
        List<INDArray> out = new ArrayList<>();
        out.add(attention.forward(ctx, x.castTo(type), batch, bias == null ? null : bias.castTo(type)).dup());
        out.add(attention.backward(ctx, dy.castTo(type)).dup());
        ps.all().values().forEach(p -> out.add(p.grad().dup()));
        return out.stream().map(a -> a.castTo(DataType.DOUBLE)).toList();
    }
}
