package org.speechwb.engine.ctc.lm;

import java.util.Arrays;

/**
 * An n-gram history: the ids of the most recent words (oldest first), shortened to the longest
 * suffix the model holds as a context. Two histories that the model cannot tell apart therefore
 * have equal states, which lets a beam search cache scores per state. Immutable.
 */
public final class LmState {

    private final int[] words;
    private final int hash;

    LmState(int[] words) {
        this.words = words;
        this.hash = Arrays.hashCode(words);
    }

    int[] words() {
        return words;
    }

    public int length() {
        return words.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LmState s && s.hash == hash && Arrays.equals(s.words, words);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "LmState" + Arrays.toString(words);
    }
}
