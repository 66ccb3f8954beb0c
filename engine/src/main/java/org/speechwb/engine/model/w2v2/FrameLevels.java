package org.speechwb.engine.model.w2v2;

/**
 * The level of each output frame of the feature encoder: the energy, in dB, of the samples in
 * its receptive field ({@code [t·hop, t·hop + field)}). What level-matched distractors are
 * matched on ({@link NegativeSampler}).
 */
public final class FrameLevels {

    /** Keeps digital silence finite (−100 dB) without separating it from very quiet frames. */
    private static final double FLOOR = 1e-10;

    private FrameLevels() {
    }

    /** {@code [B][frames]} levels in dB of the rows of {@code audio}. */
    public static float[][] of(float[][] audio, int frames, long hop, long field) {
        if (hop < 1 || field < 1) {
            throw new IllegalArgumentException("hop and receptive field must be positive, got " + hop + " and " + field);
        }
        float[][] out = new float[audio.length][frames];
        for (int b = 0; b < audio.length; b++) {
            float[] row = audio[b];
            for (int t = 0; t < frames; t++) {
                int from = (int) Math.min(row.length, t * hop);
                int to = (int) Math.min(row.length, t * hop + field);
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += (double) row[i] * row[i];
                }
                double meanSquare = to > from ? sum / (to - from) : 0;
                out[b][t] = (float) (10 * Math.log10(meanSquare + FLOOR));
            }
        }
        return out;
    }
}
