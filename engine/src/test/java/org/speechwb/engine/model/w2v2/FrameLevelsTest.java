package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrameLevelsTest {

    @Test
    void eachFrameIsTheEnergyOfItsReceptiveFieldInDecibels() {
        // hop 4, field 6: frame 1 covers samples 4..9, the last frame runs past the row and is cut
        float[] row = new float[14];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < 8 ? 0.1f : 1f;
        }
        float[][] levels = FrameLevels.of(new float[][] {row}, 3, 4, 6);
        assertThat(levels[0][0]).isCloseTo(-20f, within(1e-4f)); // 0.1² everywhere
        double frame1 = (4 * 0.01 + 2 * 1.0) / 6;
        assertThat(levels[0][1]).isCloseTo((float) (10 * Math.log10(frame1)), within(1e-4f));
        assertThat(levels[0][2]).isCloseTo(0f, within(1e-4f)); // samples 8..13, all 1
        float[][] silent = FrameLevels.of(new float[][] {new float[10]}, 2, 4, 6);
        assertThat(silent[0][0]).isCloseTo(-100f, within(1e-3f));
    }
}
