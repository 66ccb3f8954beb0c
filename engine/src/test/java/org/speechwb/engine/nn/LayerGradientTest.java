package org.speechwb.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finite-difference checks of every basic layer's backward pass, in double precision. */
class LayerGradientTest {

    private final ParamStore ps = new ParamStore(DataType.DOUBLE, 7);
    private final Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());

    /**
     * Loss = Σ forward(x) ⊙ r with a fixed random r, so d loss / d y = r. Checks the input
     * gradient and every parameter gradient.
     */
    private void verify(INDArray x, Function<INDArray, INDArray> forward, UnaryOperator<INDArray> backward) {
        INDArray y0 = forward.apply(x);
        INDArray r = Nd4j.rand(DataType.DOUBLE, y0.shape()).subi(0.5);
        ps.zeroGrads();
        INDArray dx = backward.apply(r.dup()).dup();
        java.util.function.DoubleSupplier loss = () -> forward.apply(x).mul(r).sumNumber().doubleValue();
        GradientCheck.Result input = GradientCheck.check("input", x, dx, loss, 60, 1e-6, 1);
        assertThat(input.passes(1e-5, 1e-8)).as(input.toString()).isTrue();
        for (Param p : ps.list()) {
            INDArray g = p.grad().dup();
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), g, loss, 60, 1e-6, 2);
            assertThat(res.passes(1e-5, 1e-8)).as(res.toString()).isTrue();
        }
    }

    private static INDArray randn(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Test
    void linear() {
        Linear lin = new Linear(ps, "lin", 5, 3, Linear.Init.TORCH, true);
        verify(randn(4, 5), x -> lin.forward(ctx, x), dy -> lin.backward(ctx, dy, true));
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm(ps, "ln", 6);
        ps.get("ln.g").value().assign(randn(6));
        ps.get("ln.b").value().assign(randn(6));
        verify(randn(5, 6), x -> ln.forward(ctx, x), dy -> ln.backward(ctx, dy));
    }

    @Test
    void exactGelu() {
        Gelu gelu = new Gelu("gelu");
        INDArray x = randn(3, 7).muli(2);
        verify(x, v -> gelu.forward(ctx, v), dy -> gelu.backward(ctx, dy));
        // value check against erf form at a few points
        INDArray pts = Nd4j.createFromArray(-3.0, -1.0, 0.0, 0.5, 2.0).reshape(1, 5);
        INDArray y = gelu.forward(ctx, pts);
        double[] expected = {-0.00404969409489031, -0.15865525393145707, 0.0, 0.34573123063700656, 1.9544997361036416};
        for (int i = 0; i < 5; i++) {
            assertThat(y.getDouble(0, i)).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void stridedConvolution() {
        TimeConv conv = new TimeConv(ps, "conv", 3, 4, 3, 2, true);
        verify(randn(2, 11, 3), x -> conv.forward(ctx, x), dy -> conv.backward(ctx, dy, true));
    }

    @Test
    void stridedConvolutionMatchesDirectSum() {
        TimeConv conv = new TimeConv(ps, "c2", 2, 3, 4, 3, false);
        INDArray x = randn(1, 13, 2);
        INDArray y = conv.forward(ctx, x);
        INDArray w = ps.get("c2.w").value();
        assertThat(y.size(1)).isEqualTo(4); // (13 - 4) / 3 + 1
        for (int t = 0; t < 4; t++) {
            for (int o = 0; o < 3; o++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    for (int c = 0; c < 2; c++) {
                        s += x.getDouble(0, 3 * t + j, c) * w.getDouble(j * 2 + c, o);
                    }
                }
                assertThat(y.getDouble(0, t, o)).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void groupNormPerChannel() {
        GroupNormPerChannel gn = new GroupNormPerChannel(ps, "gn", 3);
        ps.get("gn.g").value().assign(randn(3));
        ps.get("gn.b").value().assign(randn(3));
        verify(randn(2, 9, 3), x -> gn.forward(ctx, x), dy -> gn.backward(ctx, dy));
    }

    @Test
    void softmaxBackward() {
        INDArray s = randn(4, 5);
        Arena a = new Arena(DataType.DOUBLE);
        Function<INDArray, INDArray> fwd = x -> {
            INDArray p = a.get("p", x.shape());
            Tensors.softmaxLastDim(x, p);
            return p;
        };
        verify(s, fwd, dy -> {
            INDArray p = fwd.apply(s);
            Tensors.softmaxBackwardInPlace(p, dy, a.get("prod", p.shape()), a.get("row", p.size(0)));
            return dy;
        });
    }
}
