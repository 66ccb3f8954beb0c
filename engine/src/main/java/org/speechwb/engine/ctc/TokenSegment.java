package org.speechwb.engine.ctc;

/**
 * Where one target token was emitted in a forced alignment: frames {@code [startFrame, endFrame)}
 * on which the best path sits on this token (the blanks around it belong to no token).
 *
 * @param position index of the token in the target sequence
 * @param score    mean ln-posterior of the token over its frames (0 = certain); a low score points
 *                 at a mispronounced, misrecognised or mistranscribed spot
 */
public record TokenSegment(int position, int tokenId, String symbol, int startFrame, int endFrame, double startSeconds,
                           double endSeconds, double score) {

    public int frames() {
        return endFrame - startFrame;
    }
}
