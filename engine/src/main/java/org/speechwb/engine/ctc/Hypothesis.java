package org.speechwb.engine.ctc;

/**
 * One decoded transcript with the parts of its score, so that a user can see why the beam
 * search preferred it: {@code score = acousticLogProb + α·lmLogProb + β·words}.
 *
 * @param text            words separated by single spaces
 * @param tokens          the collapsed token ids (no blanks, no repeats), word boundaries included
 * @param acousticLogProb ln P_ctc of the token prefix summed over its alignments (beam search),
 *                        or ln of the single best path (greedy decoding of log-probabilities)
 * @param lmLogProb       ln P_lm of the words and the sentence end (0 without a language model)
 * @param words           number of words
 * @param score           the total the hypotheses are ranked by
 */
public record Hypothesis(String text, int[] tokens, double acousticLogProb, double lmLogProb, int words, double score) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.3f (ctc %.3f, lm %.3f, %d words) \"%s\"", score,
                acousticLogProb, lmLogProb, words, text);
    }
}
