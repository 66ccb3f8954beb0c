package org.speechwb.engine.corpus;

import java.util.List;

/**
 * How sentences and voices are divided between the splits.
 *
 * @param validSentenceFraction share of the usable sentences reserved for valid
 * @param testSentenceFraction  share of the usable sentences reserved for test
 * @param testVoices            speaker ids to hold out for test; empty to let the plan choose
 * @param testVoiceCount        how many voices the plan holds out when {@code testVoices} is empty
 */
public record SplitOptions(double validSentenceFraction, double testSentenceFraction,
                           List<String> testVoices, int testVoiceCount) {

    public static final SplitOptions DEFAULT = new SplitOptions(0.10, 0.15, List.of(), 4);

    public SplitOptions {
        testVoices = List.copyOf(testVoices);
        if (validSentenceFraction < 0 || testSentenceFraction <= 0 || validSentenceFraction + testSentenceFraction >= 1) {
            throw new IllegalArgumentException("sentence fractions must satisfy valid >= 0, test > 0, valid + test < 1; got valid "
                    + validSentenceFraction + ", test " + testSentenceFraction);
        }
        if (testVoices.isEmpty() && testVoiceCount < 1) {
            throw new IllegalArgumentException("at least one test voice is needed; got " + testVoiceCount);
        }
    }
}
