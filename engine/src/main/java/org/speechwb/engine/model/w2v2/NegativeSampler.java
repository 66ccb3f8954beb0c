package org.speechwb.engine.model.w2v2;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the distractors of the contrastive task as fairseq's {@code sample_negatives}
 * (cross_sample_negatives 0): for each masked frame, K indices uniformly WITH replacement
 * from the other masked frames of the same utterance, never the frame itself (draw from
 * M − 1 values and shift those at or above the own index by one).
 *
 * <p>With a level pool of n (our variant, {@code loss.levelPool}), a frame's distractors are drawn
 * the same way but only from the n other masked frames nearest to it in level ({@link FrameLevels}):
 * the masked frames are ranked by level and each draws from the window of n ranks around its own
 * (shifted at the ends). With n ≥ M − 1 that is every other masked frame, fairseq's draw.
 *
 * <p>The draws are returned as counts {@code n[b][t][j]} (how often masked frame j was drawn
 * for masked frame t, in frame coordinates), which is all {@link ContrastiveLoss} needs.
 */
public final class NegativeSampler {

    private final int negatives;
    private final int levelPool;

    public NegativeSampler(int negatives) {
        this(negatives, 0);
    }

    /** {@code levelPool} 0 draws as fairseq; n ≥ 2 among the n masked frames nearest in level. */
    public NegativeSampler(int negatives, int levelPool) {
        if (negatives < 1) {
            throw new IllegalArgumentException("number of negatives must be at least 1, got " + negatives);
        }
        if (levelPool < 0 || levelPool == 1) {
            throw new IllegalArgumentException("level pool must be 0 or at least 2, got " + levelPool);
        }
        this.negatives = negatives;
        this.levelPool = levelPool;
    }

    /**
     * The frame levels {@link #sampleCounts(boolean[][], float[][], SplittableRandom)} needs for
     * these rows of audio (their first {@code frames} frames under architecture {@code m}); null
     * without a level pool, which draws without them.
     */
    public float[][] levelsFor(float[][] audio, int frames, Wav2Vec2Config m) {
        return levelPool > 0 ? FrameLevels.of(audio, frames, m.hopSamples(), m.receptiveFieldSamples()) : null;
    }

    public int negatives() {
        return negatives;
    }

    /** Counts as a flat {@code [B, T, T]} row-major array (fairseq's draw; not for a level pool). */
    public float[] sampleCounts(boolean[][] mask, SplittableRandom rng) {
        return sampleCounts(mask, null, rng);
    }

    /**
     * Counts as a flat {@code [B, T, T]} row-major array; {@code levels} ({@code [B][T]}, from
     * {@link #levelsFor}) is needed with a level pool and ignored without one.
     */
    public float[] sampleCounts(boolean[][] mask, float[][] levels, SplittableRandom rng) {
        if (levelPool > 0 && levels == null) {
            throw new IllegalArgumentException("level-matched distractors need the frames' levels");
        }
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
            if (levelPool > 0 && levelPool < m - 1) {
                drawNearestInLevel(idx, levels[b], counts, b * frames, frames, rng);
                continue;
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

    /** One utterance's draws among level neighbours: {@code idx} its masked frames (M > pool + 1). */
    private void drawNearestInLevel(int[] idx, float[] level, float[] counts, int rowBase, int frames,
                                    SplittableRandom rng) {
        int m = idx.length;
        // rank the masked frames by level (ties by position, so the draw is deterministic)
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = idx[i];
        }
        Arrays.sort(order, (x, y) -> level[x] != level[y] ? Float.compare(level[x], level[y]) : Integer.compare(x, y));
        for (int r = 0; r < m; r++) {
            // the window holds the frame itself and levelPool others
            int start = Math.max(0, Math.min(r - levelPool / 2, m - levelPool - 1));
            int row = (rowBase + order[r]) * frames;
            for (int k = 0; k < negatives; k++) {
                int j = start + rng.nextInt(levelPool);
                if (j >= r) {
                    j++;
                }
                counts[row + order[j]] += 1f;
            }
        }
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
