package org.speechwb.engine.ctc;

import java.util.List;

/**
 * The best CTC path of a known transcript through an utterance's frames (forced alignment):
 * token and word boundaries in frames and seconds, with confidence scores.
 *
 * @param logProb      ln-probability of the best path (the Viterbi score)
 * @param framePath    the token id of every frame on that path (blank = 0)
 * @param tokens       one segment per target token, in order, boundaries {@code "|"} included
 * @param words        one segment per word
 * @param frameSeconds the hop between frames (0.02 s for wav2vec 2.0)
 */
public record Alignment(double logProb, int[] framePath, List<TokenSegment> tokens, List<WordSegment> words,
                        double frameSeconds) {

    /** wav2vec 2.0's feature encoder: 320 samples at 16 kHz per frame. */
    public static final double WAV2VEC2_FRAME_SECONDS = 0.02;

    public int frames() {
        return framePath.length;
    }

    /** Mean ln-probability per frame of the path: comparable across utterances of different lengths. */
    public double logProbPerFrame() {
        return framePath.length == 0 ? 0 : logProb / framePath.length;
    }
}
