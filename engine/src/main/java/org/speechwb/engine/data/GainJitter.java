package org.speechwb.engine.data;

import java.util.SplittableRandom;

/**
 * A random loudness contour laid over pre-training crops: the gain, in dB, is drawn uniformly from
 * ±{@code maxDb} at knots every {@link #KNOT_SAMPLES} samples (random phase per row) and
 * interpolated linearly between them, so it never jumps (no clicks) but changes within a masked
 * span. The real-speech model's quantizer learns to code loudness, which the unmasked neighbours
 * predict; the contour is meant to make a masked span's loudness unpredictable from them, so that
 * a loudness code stops paying. At ±10 dB it did not: the codes coded loudness as much as before
 * (docs/experiment.md, "Loudness made unpredictable").
 */
public final class GainJitter {

    /** Knot spacing: 100 ms at 16 kHz, five frames, the small preset's mask span. */
    public static final int KNOT_SAMPLES = 1600;

    private final double maxDb;

    public GainJitter(double maxDb) {
        if (!(maxDb >= 0)) {
            throw new IllegalArgumentException("gain jitter must be at least 0 dB, got " + maxDb);
        }
        this.maxDb = maxDb;
    }

    /** Scales every row in place by its own contour. */
    public void apply(float[][] rows, SplittableRandom rng) {
        for (float[] row : rows) {
            int offset = rng.nextInt(KNOT_SAMPLES);
            double[] knots = new double[(row.length + offset) / KNOT_SAMPLES + 2];
            for (int k = 0; k < knots.length; k++) {
                knots[k] = (2 * rng.nextDouble() - 1) * maxDb;
            }
            for (int i = 0; i < row.length; i++) {
                int pos = i + offset;
                int k = pos / KNOT_SAMPLES;
                double frac = (pos % KNOT_SAMPLES) / (double) KNOT_SAMPLES;
                double db = knots[k] * (1 - frac) + knots[k + 1] * frac;
                row[i] *= (float) Math.pow(10, db / 20);
            }
        }
    }
}
