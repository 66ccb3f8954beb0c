package org.speechwb.engine.ctc;

/**
 * A transcript cannot be aligned to an utterance: it needs more frames than the utterance has
 * (one per token plus one blank between equal neighbours), or every path has probability zero.
 * Carries the numbers so that a caller can report them per utterance.
 */
public final class AlignmentException extends IllegalArgumentException {

    private final int requiredFrames;
    private final int availableFrames;

    AlignmentException(String message, int requiredFrames, int availableFrames) {
        super(message);
        this.requiredFrames = requiredFrames;
        this.availableFrames = availableFrames;
    }

    public int requiredFrames() {
        return requiredFrames;
    }

    public int availableFrames() {
        return availableFrames;
    }
}
