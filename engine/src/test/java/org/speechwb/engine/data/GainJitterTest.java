package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GainJitterTest {

    private static double db(float scaled, float original) {
        return 20 * Math.log10(scaled / original);
    }

    @Test
    void theContourStaysWithinItsRangeMovesSmoothlyAndVariesWithinAMaskSpan() {
        float[][] rows = new float[2][16_000];
        for (float[] row : rows) {
            java.util.Arrays.fill(row, 0.1f);
        }
        new GainJitter(10).apply(rows, new SplittableRandom(4));
        double spread = 0;
        for (float[] row : rows) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int i = 0; i < row.length; i++) {
                double g = db(row[i], 0.1f);
                assertThat(g).isBetween(-10.0 - 1e-4, 10.0 + 1e-4);
                if (i > 0) {
                    // linear between knots: at most 20 dB over 1,600 samples
                    assertThat(Math.abs(g - db(row[i - 1], 0.1f))).isLessThan(20.0 / GainJitter.KNOT_SAMPLES + 1e-4);
                }
                lo = Math.min(lo, g);
                hi = Math.max(hi, g);
            }
            spread = Math.max(spread, hi - lo);
        }
        assertThat(spread).as("a second of audio sees several knots").isGreaterThan(8);
        // the two rows get their own contours
        assertThat(rows[0][8000]).isNotEqualTo(rows[1][8000]);
    }

    @Test
    void sameSeedSameContourAndZeroLeavesTheAudioAsRecorded() {
        float[][] a = {{0.5f, -0.25f, 0.125f, 0.3f}};
        float[][] b = {{0.5f, -0.25f, 0.125f, 0.3f}};
        new GainJitter(6).apply(a, new SplittableRandom(9));
        new GainJitter(6).apply(b, new SplittableRandom(9));
        assertThat(a[0]).containsExactly(b[0]);
        assertThat(a[0][1] / a[0][0]).isCloseTo(-0.5f, within(0.01f)); // neighbours share nearly one gain
        float[][] c = {{0.5f, -0.25f}};
        new GainJitter(0).apply(c, new SplittableRandom(9));
        assertThat(c[0]).containsExactly(0.5f, -0.25f);
        assertThatThrownBy(() -> new GainJitter(-1)).hasMessageContaining("at least 0 dB");
    }
}
