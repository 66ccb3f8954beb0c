package org.speechwb.engine.model.w2v2;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Span masking exactly as fairseq's {@code compute_mask_indices} (mask_type "static",
 * overlap allowed), which is what published wav2vec 2.0 models were trained with.
 *
 * <p>For an utterance of {@code T} valid frames: {@code num = max(minMasks,
 * int(prob·T/span + u))}, u ~ U[0,1) (probabilistic rounding); span starts are drawn WITHOUT
 * replacement from {@code [0, T − span)}; every start masks {@code span} consecutive frames
 * (spans may overlap; frames past the end are dropped). Without padding the count is drawn
 * once for the whole batch, as the reference does. With {@code requireSameMasks} every
 * utterance is then thinned, by a random subset, to the smallest masked count in the batch.
 * Defaults (0.65, 10) mask about 49 % of the frames.
 */
public final class SpanMaskSampler {

    private final double maskProb;
    private final int spanLength;
    private final int minMasks;
    private final boolean requireSameMasks;

    public SpanMaskSampler(double maskProb, int spanLength, int minMasks, boolean requireSameMasks) {
        if (maskProb < 0 || maskProb > 1) {
            throw new IllegalArgumentException("mask probability must be in [0, 1], got " + maskProb);
        }
        if (spanLength < 1) {
            throw new IllegalArgumentException("mask span length must be at least 1 frame, got " + spanLength);
        }
        if (minMasks < 0) {
            throw new IllegalArgumentException("min_masks must be non-negative, got " + minMasks);
        }
        this.maskProb = maskProb;
        this.spanLength = spanLength;
        this.minMasks = minMasks;
        this.requireSameMasks = requireSameMasks;
    }

    /**
     * @param batch     utterances
     * @param frames    frames per utterance (padded length)
     * @param lengths   valid frames per utterance, or null when nothing is padded
     * @return {@code mask[b][t]}
     */
    public boolean[][] sample(int batch, int frames, int[] lengths, SplittableRandom rng) {
        int shared = Math.max(minMasks, (int) (maskProb * frames / spanLength + rng.nextDouble()));
        int[][] chosen = new int[batch][];
        int fewest = Integer.MAX_VALUE;
        for (int b = 0; b < batch; b++) {
            int size = lengths == null ? frames : lengths[b];
            int num = lengths == null ? shared
                    : Math.max(minMasks, (int) (maskProb * size / spanLength + rng.nextDouble()));
            chosen[b] = spansFor(size, num, rng);
            fewest = Math.min(fewest, chosen[b].length);
        }
        boolean[][] mask = new boolean[batch][frames];
        for (int b = 0; b < batch; b++) {
            int[] idx = chosen[b];
            if (requireSameMasks && idx.length > fewest) {
                idx = choose(idx, fewest, rng);
            }
            for (int t : idx) {
                mask[b][t] = true;
            }
        }
        return mask;
    }

    /** Sorted unique masked frames of one utterance. */
    private int[] spansFor(int size, int num, SplittableRandom rng) {
        if (num <= 0 || size <= 0) {
            return new int[0];
        }
        int minLen = spanLength;
        if (size - minLen <= num) {
            minLen = size - num - 1; // the reference's escape hatch for very short inputs
        }
        int range = size - minLen;
        if (range < num || range <= 0) {
            throw new IllegalArgumentException("cannot place " + num + " mask spans in " + size
                    + " frames; use shorter spans, a lower mask probability or longer crops");
        }
        int[] starts = choose(range, num, rng);
        boolean[] hit = new boolean[size];
        int count = 0;
        for (int s : starts) {
            for (int o = 0; o < spanLength; o++) {
                int t = s + o;
                if (t < size && !hit[t]) {
                    hit[t] = true;
                    count++;
                }
            }
        }
        int[] out = new int[count];
        for (int t = 0, i = 0; t < size; t++) {
            if (hit[t]) {
                out[i++] = t;
            }
        }
        return out;
    }

    /** {@code k} distinct values of {@code [0, n)}, as numpy's choice(n, k, replace=False). */
    static int[] choose(int n, int k, SplittableRandom rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, k);
    }

    private static int[] choose(int[] values, int k, SplittableRandom rng) {
        int[] picks = choose(values.length, k, rng);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = values[picks[i]];
        }
        Arrays.sort(out);
        return out;
    }

    /** Expected masked share of {@code frames} frames before batch equalisation (for previews). */
    public double expectedMaskedFraction(int frames, int samples, SplittableRandom rng) {
        long masked = 0;
        for (int i = 0; i < samples; i++) {
            boolean[][] m = new SpanMaskSampler(maskProb, spanLength, minMasks, false).sample(1, frames, null, rng);
            for (boolean v : m[0]) {
                if (v) {
                    masked++;
                }
            }
        }
        return (double) masked / ((double) frames * samples);
    }

    public double maskProb() {
        return maskProb;
    }

    public int spanLength() {
        return spanLength;
    }

    public int minMasks() {
        return minMasks;
    }
}
