package org.speechwb.engine.eval;

/**
 * Word and character errors of one utterance.
 *
 * @param split      the data split it belongs to ("all" when the reference names none)
 * @param words      word alignment (for counts and display)
 * @param characters character error counts
 */
public record UtteranceScore(String id, String split, String reference, String hypothesis, EditAlignment words,
                             ErrorCounts characters) {

    public static UtteranceScore of(String id, String split, String reference, String hypothesis) {
        return new UtteranceScore(id, split, reference, hypothesis, EditAlignment.ofWords(reference, hypothesis),
                EditAlignment.ofCharacters(reference, hypothesis).counts());
    }

    public ErrorCounts wordCounts() {
        return words.counts();
    }

    public double wer() {
        return words.counts().rate();
    }

    public double cer() {
        return characters.rate();
    }
}
