package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;

class OptimizerTest {

    private static OptimizerConfig cfg(String schedule, int warmup, int hold, double endLr) {
        return new OptimizerConfig(0.1, 0.9, 0.98, 1e-6, 0.01, true, schedule, warmup, hold, endLr, 1, 0, 1);
    }

    @Test
    void adamMatchesFairseqStepByStep() {
        ParamStore ps = new ParamStore(DataType.DOUBLE, 1);
        Param p = ps.add("w", Nd4j.createFromArray(1.0, -2.0), true);
        AdamW adam = new AdamW(cfg("polynomial", 0, 0, 0), List.of(p));
        double[] x = {1.0, -2.0};
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] grads = {{0.5, -1.0}, {0.1, 0.3}, {-0.2, 0.0}};
        double lr = 0.1;
        for (int t = 1; t <= grads.length; t++) {
            p.grad().assign(Nd4j.createFromArray(grads[t - 1]));
            adam.step(lr, Set.of());
            for (int i = 0; i < 2; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.98 * v[i] + 0.02 * g * g;
                x[i] -= lr * 0.01 * x[i];
                double stepSize = lr * Math.sqrt(1 - Math.pow(0.98, t)) / (1 - Math.pow(0.9, t));
                x[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + 1e-6);
                assertThat(p.value().getDouble(i)).isCloseTo(x[i], within(1e-12));
            }
        }
    }

    /** The one-pass float32 kernel ({@code AdamKernel}) over several blocks and threads, against the same steps in double. */
    @Test
    void floatAdamKernelMatchesTheStepsInDouble() {
        int n = 100_003;
        ParamStore ps = new ParamStore(DataType.FLOAT, 1);
        Nd4j.getRandom().setSeed(9);
        double[] x = Nd4j.randn(DataType.DOUBLE, n).toDoubleVector();
        Param p = ps.add("w", Nd4j.createFromArray(x).castTo(DataType.FLOAT), true);
        AdamW adam = new AdamW(cfg("polynomial", 0, 0, 0), List.of(p));
        double[] m = new double[n];
        double[] v = new double[n];
        double lr = 0.01;
        for (int t = 1; t <= 3; t++) {
            double[] g = Nd4j.randn(DataType.DOUBLE, n).muli(t).toDoubleVector();
            p.grad().assign(Nd4j.createFromArray(g).castTo(DataType.FLOAT));
            adam.step(lr, Set.of());
            double stepSize = lr * Math.sqrt(1 - Math.pow(0.98, t)) / (1 - Math.pow(0.9, t));
            float[] got = p.value().toFloatVector();
            for (int i = 0; i < n; i++) {
                double gi = (float) g[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.98 * v[i] + 0.02 * gi * gi;
                x[i] = x[i] * (1 - lr * 0.01) - stepSize * m[i] / (Math.sqrt(v[i]) + 1e-6);
                assertThat((double) got[i]).as("element %d, step %d", i, t).isCloseTo(x[i], within(1e-5 * Math.max(1, Math.abs(x[i]))));
            }
        }
    }

    @Test
    void skippedParametersKeepTheirStateUntouched() {
        ParamStore ps = new ParamStore(DataType.DOUBLE, 1);
        Param a = ps.add("a", Nd4j.createFromArray(1.0), true);
        Param b = ps.add("b", Nd4j.createFromArray(1.0), true);
        AdamW adam = new AdamW(cfg("polynomial", 0, 0, 0), List.of(a, b));
        a.grad().assign(1);
        b.grad().assign(1);
        adam.step(0.1, Set.of("b"));
        assertThat(b.value().getDouble(0)).isEqualTo(1.0);
        assertThat(adam.steps()).containsExactly(1, 0);
        assertThat(adam.secondMoments().get(1).getDouble(0)).isZero();
    }

    @Test
    void polynomialScheduleWarmsUpThenDecaysLinearly() {
        LrSchedule s = new LrSchedule(cfg("polynomial", 10, 0, 0), 110);
        assertThat(s.at(0)).isCloseTo(0.01, within(1e-12));
        assertThat(s.at(9)).isCloseTo(0.1, within(1e-12));
        assertThat(s.at(10)).isCloseTo(0.1, within(1e-12));
        assertThat(s.at(60)).isCloseTo(0.05, within(1e-12));
        assertThat(s.at(110)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void cosineAndTriStageSchedules() {
        LrSchedule cos = new LrSchedule(cfg("cosine", 0, 0, 0), 100);
        assertThat(cos.at(0)).isCloseTo(0.1, within(1e-12));
        assertThat(cos.at(50)).isCloseTo(0.05, within(1e-12));
        assertThat(cos.at(100)).isCloseTo(0.0, within(1e-12));
        LrSchedule tri = new LrSchedule(cfg("tri_stage", 10, 40, 0), 100);
        assertThat(tri.at(0)).isCloseTo(0.001, within(1e-12));
        assertThat(tri.at(10)).isCloseTo(0.1, within(1e-12));
        assertThat(tri.at(49)).isCloseTo(0.1, within(1e-12));
        assertThat(tri.at(100)).isCloseTo(0.005, within(1e-9));
    }
}
