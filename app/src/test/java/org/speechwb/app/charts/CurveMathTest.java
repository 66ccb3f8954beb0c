package org.speechwb.app.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class CurveMathTest {

    @Test
    void thinningKeepsAtMostFourPointsPerColumnAndEveryColumnsExtremes() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = Math.sin(i / 500.0) + r.nextGaussian() * 0.3;
        }
        y[54_321] = 42; // a spike must survive
        int columns = 500;
        CurveThinning.Curve c = CurveThinning.minMax(x, y, n, columns);
        assertThat(c.size()).isLessThanOrEqualTo(4 * columns).isGreaterThan(columns);
        assertThat(c.x()[0]).isEqualTo(1);
        assertThat(c.x()[c.size() - 1]).isEqualTo(n);
        for (int i = 1; i < c.size(); i++) {
            assertThat(c.x()[i]).isGreaterThan(c.x()[i - 1]);
        }
        assertThat(c.y()).contains(42.0);
        // per column, the thinned extremes equal the full data's extremes
        double width = x[n - 1] - x[0];
        for (int col = 0; col < columns; col += 37) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            double tlo = Double.MAX_VALUE;
            double thi = -Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (Math.min(columns - 1, (int) ((x[i] - x[0]) / width * columns)) == col) {
                    lo = Math.min(lo, y[i]);
                    hi = Math.max(hi, y[i]);
                }
            }
            for (int i = 0; i < c.size(); i++) {
                if (Math.min(columns - 1, (int) ((c.x()[i] - x[0]) / width * columns)) == col) {
                    tlo = Math.min(tlo, c.y()[i]);
                    thi = Math.max(thi, c.y()[i]);
                }
            }
            assertThat(tlo).isEqualTo(lo);
            assertThat(thi).isEqualTo(hi);
        }
    }

    @Test
    void shortCurvesAreKeptWholeAndNaNsDropped() {
        double[] x = {1, 2, 3, 4};
        double[] y = {1, Double.NaN, 3, 4};
        CurveThinning.Curve c = CurveThinning.minMax(x, y, 4, 100);
        assertThat(c.x()).containsExactly(1, 3, 4);
        assertThat(CurveThinning.minMax(x, y, 0, 100).size()).isZero();
    }

    @Test
    void smoothingIsBiasCorrectedLikeTensorBoard() {
        double[] y = {10, 10, 10, 10};
        assertThat(Smoothing.debiasedEma(y, 4, 0.9)).containsExactly(new double[] {10, 10, 10, 10}, within(1e-9));
        double[] step = {0, 0, 1, 1};
        double[] s = Smoothing.debiasedEma(step, 4, 0.5);
        // by hand: last = 0,0,0.5,0.75; debias = 0.5,0.75,0.875,0.9375
        assertThat(s).containsExactly(new double[] {0, 0, 0.5 / 0.875, 0.75 / 0.9375}, within(1e-12));
        assertThat(s[0]).isEqualTo(step[0]);
    }

    @Test
    void smoothingWeightZeroIsIdentityAndNonFiniteValuesPassThrough() {
        double[] y = {1, 5, Double.NaN, 3};
        assertThat(Smoothing.debiasedEma(y, 4, 0)).containsExactly(1, 5, Double.NaN, 3);
        double[] s = Smoothing.debiasedEma(y, 4, 0.6);
        assertThat(s[2]).isNaN();
        assertThat(s[3]).isBetween(1.0, 5.0);
    }
}
