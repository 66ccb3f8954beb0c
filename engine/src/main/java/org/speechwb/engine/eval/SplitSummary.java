package org.speechwb.engine.eval;

/**
 * Corpus-level figures of one split (or of everything): counts summed over utterances, then
 * divided, as sclite and fairseq report them.
 *
 * @param sentenceErrors utterances with at least one word error
 */
public record SplitSummary(String split, int utterances, ErrorCounts words, ErrorCounts characters,
                           int sentenceErrors) {

    public double wer() {
        return words.rate();
    }

    public double cer() {
        return characters.rate();
    }

    public double sentenceErrorRate() {
        return utterances == 0 ? 0 : (double) sentenceErrors / utterances;
    }
}
