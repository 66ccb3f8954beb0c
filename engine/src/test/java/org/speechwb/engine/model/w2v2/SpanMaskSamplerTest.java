package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The span mask sampler against the reference semantics, checked with statistics whose
 * expected values are derived analytically (not by re-running the same algorithm).
 */
class SpanMaskSamplerTest {

    /**
     * Exact expected masked frames of fairseq's compute_mask_indices (no equalisation): span
     * count n = int(x + u) (x = p·T/L, at least minMasks), starts are n distinct values of
     * [0, R), R = T − L; frame t stays unmasked iff no start lies in [t−L+1, t] ∩ [0, R).
     */
    static double expectedMasked(int frames, double prob, int span, int minMasks) {
        double x = prob * frames / span;
        int lo = (int) Math.floor(x);
        double frac = x - lo;
        int range = frames - span;
        double total = 0;
        for (int[] nw : new int[][] {{Math.max(minMasks, lo), 0}, {Math.max(minMasks, lo + 1), 1}}) {
            double weight = nw[1] == 0 ? 1 - frac : frac;
            int n = nw[0];
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                int from = Math.max(0, t - span + 1);
                int to = Math.min(range - 1, t);
                int w = Math.max(0, to - from + 1);
                sum += 1 - ratio(range - w, range, n);
            }
            total += weight * sum;
        }
        return total;
    }

    /** C(a, n) / C(b, n). */
    private static double ratio(int a, int b, int n) {
        double r = 1;
        for (int i = 0; i < n; i++) {
            r *= (double) (a - i) / (b - i);
            if (r <= 0) {
                return 0;
            }
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(ints = {49, 100, 781})
    void maskedFramesMatchTheReferenceFormula(int frames) {
        SpanMaskSampler sampler = new SpanMaskSampler(0.65, 10, 2, false);
        SplittableRandom rng = new SplittableRandom(frames);
        int draws = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < draws; i++) {
            int c = 0;
            for (boolean b : sampler.sample(1, frames, null, rng)[0]) {
                if (b) {
                    c++;
                }
            }
            sum += c;
            sumSq += (double) c * c;
        }
        double mean = sum / draws;
        double sd = Math.sqrt(sumSq / draws - mean * mean);
        double expected = expectedMasked(frames, 0.65, 10, 2);
        // 5 standard errors: a wrong rounding rule or start range shifts the mean by far more
        assertThat(mean).isCloseTo(expected, within(5 * sd / Math.sqrt(draws)));
    }

    @Test
    void defaultsMaskAboutHalfOfALongUtterance() {
        assertThat(expectedMasked(781, 0.65, 10, 2) / 781).isCloseTo(0.49, within(0.01));
    }

    @Test
    void spanStartsAreUniformAndNeverReachTheEnd() {
        int frames = 60;
        int span = 10;
        SpanMaskSampler sampler = new SpanMaskSampler(0.1, span, 1, false); // 0.6 → one span mostly
        SplittableRandom rng = new SplittableRandom(3);
        int[] firstMasked = new int[frames];
        int singles = 0;
        for (int i = 0; i < 50_000; i++) {
            boolean[] m = sampler.sample(1, frames, null, rng)[0];
            int count = 0;
            int first = -1;
            for (int t = 0; t < frames; t++) {
                if (m[t]) {
                    count++;
                    if (first < 0) {
                        first = t;
                    }
                }
            }
            if (count == span) { // a single, unclipped span: its start is `first`
                singles++;
                firstMasked[first]++;
                assertThat(first).isLessThan(frames - span);
            }
        }
        // each of the 50 possible starts gets about singles/50 draws
        double expected = singles / 50.0;
        for (int s = 0; s < frames - span; s++) {
            assertThat((double) firstMasked[s]).isCloseTo(expected, within(6 * Math.sqrt(expected)));
        }
    }

    @Test
    void requireSameMasksEqualisesTheBatch() {
        SpanMaskSampler sampler = new SpanMaskSampler(0.65, 10, 2, true);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            boolean[][] m = sampler.sample(4, 100, null, rng);
            int first = -1;
            for (boolean[] row : m) {
                int c = 0;
                for (boolean b : row) {
                    c += b ? 1 : 0;
                }
                if (first < 0) {
                    first = c;
                }
                assertThat(c).isEqualTo(first);
            }
        }
    }

    @Test
    void paddedUtterancesAreMaskedOnlyInsideTheirLength() {
        SpanMaskSampler sampler = new SpanMaskSampler(0.65, 5, 2, false);
        SplittableRandom rng = new SplittableRandom(9);
        int[] lengths = {40, 25};
        for (int i = 0; i < 500; i++) {
            boolean[][] m = sampler.sample(2, 40, lengths, rng);
            for (int t = 25; t < 40; t++) {
                assertThat(m[1][t]).isFalse();
            }
        }
    }
}
