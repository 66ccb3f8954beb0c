package org.speechwb.engine.ctc.lm;

import java.util.List;

/**
 * A word language model as the CTC beam search consumes it: one word at a time, with an opaque
 * state standing for the history. Scores are natural logarithms, like CTC scores, so that
 * {@code ln P_ctc + α·ln P_lm + β·words} needs no conversion.
 *
 * <p>Words are in the transcript alphabet (upper case, see
 * {@link org.speechwb.engine.text.TranscriptNormalizer}); a word the model does not know gets its
 * unknown-word probability rather than an error, because a beam search proposes arbitrary letter
 * strings.
 */
public interface LanguageModel {

    /** The state after the sentence start {@code <s>}. */
    LmState start();

    /** {@code ln P(word | state)} and the state after it. */
    Step step(LmState state, String word);

    /** {@code ln P(</s> | state)}: the cost of ending the sentence here. */
    double endLogProb(LmState state);

    /** True if {@code word} is in the model's vocabulary (not scored as {@code <unk>}). */
    boolean knows(String word);

    /**
     * The words the model knows (special tokens such as {@code <s>} may be included): the beam
     * search builds its prefix check from them.
     */
    List<String> words();

    /** One scored word. */
    record Step(double logProb, LmState next) {
    }
}
