package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NegativeSamplerTest {

    @Test
    void distractorsComeFromOtherMaskedFramesOfTheSameUtterance() {
        int frames = 30;
        boolean[][] mask = new boolean[2][frames];
        for (int t = 5; t < 17; t++) {
            mask[0][t] = true;
        }
        for (int t = 2; t < 8; t++) {
            mask[1][t] = true;
        }
        int k = 7;
        float[] counts = new NegativeSampler(k).sampleCounts(mask, new SplittableRandom(1));
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < frames; t++) {
                float rowSum = 0;
                for (int j = 0; j < frames; j++) {
                    float c = counts[(b * frames + t) * frames + j];
                    rowSum += c;
                    if (c > 0) {
                        assertThat(j).as("own index is never a distractor").isNotEqualTo(t);
                        assertThat(mask[b][j]).as("distractors are masked frames").isTrue();
                    }
                }
                assertThat(rowSum).isEqualTo(mask[b][t] ? k : 0);
            }
        }
    }

    @Test
    void drawsAreUniformOverTheOtherMaskedFrames() {
        int frames = 12;
        boolean[][] mask = new boolean[1][frames];
        for (int t = 0; t < 6; t++) {
            mask[0][t * 2] = true; // masked frames 0, 2, ..., 10
        }
        NegativeSampler sampler = new NegativeSampler(50);
        SplittableRandom rng = new SplittableRandom(2);
        double[] hits = new double[frames];
        int rounds = 2000;
        for (int r = 0; r < rounds; r++) {
            float[] c = sampler.sampleCounts(mask, rng);
            for (int j = 0; j < frames; j++) {
                hits[j] += c[4 * frames + j]; // row of masked frame 4
            }
        }
        double expected = rounds * 50 / 5.0; // 5 other masked frames
        for (int j = 0; j < frames; j++) {
            if (j == 4 || j % 2 == 1) {
                assertThat(hits[j]).isZero();
            } else {
                assertThat(hits[j]).isCloseTo(expected, within(0.03 * expected));
            }
        }
    }

    @Test
    void oneMaskedFrameCannotSupplyDistractors() {
        boolean[][] mask = new boolean[1][10];
        mask[0][3] = true;
        assertThatThrownBy(() -> new NegativeSampler(5).sampleCounts(mask, new SplittableRandom(1)))
                .hasMessageContaining("at least 2");
    }
}
