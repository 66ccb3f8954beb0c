package org.speechwb.engine.corpus;

/**
 * One sentence to be spoken.
 *
 * @param line       1-based line in the text file; makes utterance ids traceable to the source
 * @param text       the sentence as written, given to the TTS program (punctuation shapes prosody)
 * @param transcript the same sentence after {@link org.speechwb.engine.text.TranscriptNormalizer}
 */
public record Prompt(int line, String text, String transcript) {
}
