package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.text.Vocabulary;

/**
 * Best-path CTC decoding: the most likely token per frame, repeats collapsed, blanks dropped,
 * {@code "|"} read as a space. What fairseq's {@code viterbi} decoder and the wav2vec 2.0 papers'
 * "no LM" figures use; exact for the best path, not for the best label sequence (that needs a
 * beam search, {@link PrefixBeamSearch}).
 */
public final class GreedyDecoder {

    private final Vocabulary vocabulary;

    public GreedyDecoder(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * Decodes one utterance. {@code scores} may be logits or log-probabilities (the argmax is the
     * same); only with log-probabilities is {@link Hypothesis#acousticLogProb()} the path's log-probability.
     */
    public Hypothesis decode(float[][] scores) {
        int[] best = new int[scores.length];
        double pathScore = 0;
        for (int t = 0; t < scores.length; t++) {
            float[] row = scores[t];
            int arg = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[arg]) {
                    arg = c;
                }
            }
            best[t] = arg;
            pathScore += row[arg];
        }
        return fromPath(best, pathScore);
    }

    /** Decodes a batch {@code [B, T, C]} of logits or log-probabilities, utterance b up to {@code lengths[b]}. */
    public List<Hypothesis> decode(INDArray scores, int[] lengths) {
        if (scores.rank() != 3 || lengths.length != scores.size(0)) {
            throw new IllegalArgumentException("expected [batch, frames, classes] scores and one length per utterance");
        }
        List<Hypothesis> out = new ArrayList<>();
        for (int b = 0; b < lengths.length; b++) {
            out.add(decode(LogProbs.utterance(scores, b, lengths[b])));
        }
        return out;
    }

    /** The hypothesis of a frame-level path (one token id per frame). */
    public Hypothesis fromPath(int[] path, double pathScore) {
        int blank = vocabulary.blank();
        int[] collapsed = new int[path.length];
        int n = 0;
        int prev = -1;
        for (int k : path) {
            if (k != prev && k != blank) {
                collapsed[n++] = k;
            }
            prev = k;
        }
        int[] tokens = Arrays.copyOf(collapsed, n);
        String text = vocabulary.decode(tokens);
        int words = text.isEmpty() ? 0 : text.split(" ").length;
        return new Hypothesis(text, tokens, pathScore, 0, words, pathScore);
    }
}
