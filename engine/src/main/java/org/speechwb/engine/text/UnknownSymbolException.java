package org.speechwb.engine.text;

/**
 * A transcript holds a character the vocabulary does not know (and the vocabulary has no
 * {@code <unk>}). Carries the character and its position so that a data loader can name the
 * utterance and the user can fix the transcript or its normalisation.
 */
public final class UnknownSymbolException extends IllegalArgumentException {

    private final char symbol;
    private final int position;

    public UnknownSymbolException(char symbol, int position, String transcript) {
        super(String.format("character '%s' (U+%04X) at position %d of \"%s\" is not in the vocabulary%s", symbol,
                (int) symbol, position, transcript,
                symbol == '|' ? " (\"|\" is reserved for the word boundary)"
                        : "; normalise the text (TranscriptNormalizer) or use a vocabulary with <unk>"));
        this.symbol = symbol;
        this.position = position;
    }

    public char symbol() {
        return symbol;
    }

    public int position() {
        return position;
    }
}
