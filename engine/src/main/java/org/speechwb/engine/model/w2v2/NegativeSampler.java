package org.speechwb.engine.model.w2v2;

import java.util.SplittableRandom;

/**
 * Draws the distractors of the contrastive task as fairseq's {@code sample_negatives}
 * (cross_sample_negatives 0): for each masked frame, K indices uniformly WITH replacement
 * from the other masked frames of the same utterance, never the frame itself (draw from
 * M − 1 values and shift those at or above the own index by one).
 *
 * <p>The draws are returned as counts {@code n[b][t][j]} (how often masked frame j was drawn
 * for masked frame t, in frame coordinates), which is all {@link ContrastiveLoss} needs.
 */
public final class NegativeSampler {

    private final int negatives;

    public NegativeSampler(int negatives) {
        if (negatives < 1) {
            throw new IllegalArgumentException("number of negatives must be at least 1, got " + negatives);
        }
        this.negatives = negatives;
    }

    public int negatives() {
        return negatives;
    }

    /** Counts as a flat {@code [B, T, T]} row-major array. */
    public float[] sampleCounts(boolean[][] mask, SplittableRandom rng) {
        int batch = mask.length;
        int frames = mask[0].length;
        float[] counts = new float[batch * frames * frames];
        for (int b = 0; b < batch; b++) {
            int[] idx = maskedIndices(mask[b]);
            int m = idx.length;
            if (m < 2) {
                throw new IllegalArgumentException("utterance " + b + " has " + m
                        + " masked frame(s); distractors need at least 2 (raise the mask probability or the crop size)");
            }
            for (int i = 0; i < m; i++) {
                int row = (b * frames + idx[i]) * frames;
                for (int k = 0; k < negatives; k++) {
                    int j = rng.nextInt(m - 1);
                    if (j >= i) {
                        j++;
                    }
                    counts[row + idx[j]] += 1f;
                }
            }
        }
        return counts;
    }

    static int[] maskedIndices(boolean[] mask) {
        int n = 0;
        for (boolean v : mask) {
            if (v) {
                n++;
            }
        }
        int[] idx = new int[n];
        for (int t = 0, i = 0; t < mask.length; t++) {
            if (mask[t]) {
                idx[i++] = t;
            }
        }
        return idx;
    }
}
