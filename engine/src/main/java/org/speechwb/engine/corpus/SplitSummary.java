package org.speechwb.engine.corpus;

import java.util.List;

/**
 * What one split of a built corpus contains.
 *
 * @param sentencesReserved sentences the plan gave this split
 * @param sentencesUsed     distinct sentences actually spoken in it
 */
public record SplitSummary(CorpusSplit split, List<TtsVoice> voices, int utterances, int sentencesReserved,
                           int sentencesUsed, double seconds) {

    public double minutes() {
        return seconds / 60;
    }

    public double hours() {
        return seconds / 3600;
    }
}
