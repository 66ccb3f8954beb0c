package org.speechwb.engine.model.w2v1;

import java.util.SplittableRandom;

/**
 * Distractors of wav2vec 1.0 (fairseq's Wav2VecPredictionsModel.sample_negatives,
 * cross_sample_negatives 0): for every target frame t of an utterance, N frame indices drawn
 * uniformly with replacement from the SAME utterance, never t itself (draw from T − 1 and
 * shift values ≥ t by one). Drawn once per target frame and shared by every step k that
 * predicts that frame, as in the reference.
 */
public final class StepNegatives {

    private StepNegatives() {
    }

    /** {@code [B][T][N]} frame indices. */
    public static int[][][] sample(int batch, int frames, int negatives, SplittableRandom rng) {
        if (frames < 2) {
            throw new IllegalArgumentException("distractors need at least 2 frames per utterance, got " + frames);
        }
        int[][][] out = new int[batch][frames][negatives];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < negatives; j++) {
                    int v = rng.nextInt(frames - 1);
                    out[b][t][j] = v >= t ? v + 1 : v;
                }
            }
        }
        return out;
    }
}
