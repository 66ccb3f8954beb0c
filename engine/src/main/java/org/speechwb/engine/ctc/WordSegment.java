package org.speechwb.engine.ctc;

/**
 * One word of a forced alignment: from the first frame of its first letter to the end of its last
 * letter ({@code [startFrame, endFrame)}; blank frames inside the word are included, the
 * {@code "|"} after it is not).
 *
 * @param firstToken position of its first letter in the target sequence
 * @param lastToken  position of its last letter
 * @param score      mean ln-posterior over the frames of its letters
 */
public record WordSegment(String word, int startFrame, int endFrame, double startSeconds, double endSeconds,
                          int firstToken, int lastToken, double score) {
}
