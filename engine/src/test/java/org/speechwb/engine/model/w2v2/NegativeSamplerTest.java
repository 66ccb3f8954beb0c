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

    @Test
    void aLevelPoolDrawsOnlyAmongTheMaskedFramesNearestInLevel() {
        int frames = 40;
        boolean[][] mask = new boolean[1][frames];
        float[][] levels = new float[1][frames];
        for (int t = 0; t < frames; t++) {
            mask[0][t] = t % 4 != 3; // 30 masked frames
            levels[0][t] = (t * 17) % 40; // a level order unrelated to position
        }
        int pool = 6;
        NegativeSampler sampler = new NegativeSampler(50, pool);
        SplittableRandom rng = new SplittableRandom(3);
        int[] byLevel = java.util.stream.IntStream.range(0, frames).filter(t -> mask[0][t]).boxed()
                .sorted((x, y) -> Float.compare(levels[0][x], levels[0][y])).mapToInt(Integer::intValue).toArray();
        double[][] hits = new double[frames][frames];
        int rounds = 400;
        for (int r = 0; r < rounds; r++) {
            float[] c = sampler.sampleCounts(mask, levels, rng);
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < frames; j++) {
                    hits[t][j] += c[t * frames + j];
                }
            }
        }
        for (int rank = 0; rank < byLevel.length; rank++) {
            int t = byLevel[rank];
            // the window of pool + 1 ranks around the frame's own, shifted inwards at the ends
            int start = Math.max(0, Math.min(rank - pool / 2, byLevel.length - pool - 1));
            java.util.Set<Integer> window = new java.util.HashSet<>();
            for (int w = start; w <= start + pool; w++) {
                if (w != rank) {
                    window.add(byLevel[w]);
                }
            }
            assertThat(window).hasSize(pool);
            double expected = rounds * 50.0 / pool;
            for (int j = 0; j < frames; j++) {
                if (window.contains(j)) {
                    assertThat(hits[t][j]).as("frame %d draws %d", t, j).isCloseTo(expected, within(0.1 * expected));
                } else {
                    assertThat(hits[t][j]).as("frame %d never draws %d", t, j).isZero();
                }
            }
        }
        // unmasked rows draw nothing
        for (int t = 3; t < frames; t += 4) {
            assertThat(java.util.Arrays.stream(hits[t]).sum()).isZero();
        }
    }

    @Test
    void aPoolAsLargeAsTheMaskedFramesDrawsAsFairseqDoes() {
        boolean[][] mask = new boolean[1][20];
        float[][] levels = new float[1][20];
        for (int t = 0; t < 20; t++) {
            mask[0][t] = t < 10;
            levels[0][t] = -t;
        }
        float[] fairseq = new NegativeSampler(8).sampleCounts(mask, new SplittableRandom(5));
        float[] pooled = new NegativeSampler(8, 9).sampleCounts(mask, levels, new SplittableRandom(5));
        assertThat(pooled).containsExactly(fairseq);
        assertThatThrownBy(() -> new NegativeSampler(8, 4).sampleCounts(mask, new SplittableRandom(5)))
                .hasMessageContaining("levels");
        assertThatThrownBy(() -> new NegativeSampler(8, 1)).hasMessageContaining("at least 2");
    }
}
