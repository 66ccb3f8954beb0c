package org.speechwb.engine.features;

/**
 * Turns 16 kHz audio into a sequence of feature vectors for a downstream acoustic model: the
 * log-mel filterbank, or the frozen context vectors of a pre-trained wav2vec 1.0. Frame t of
 * every front end starts at sample {@code t · hop}, so features of equal hop line up in time.
 */
public interface FrontEnd {

    /** Short name for logs and reports, e.g. "80 log-mel". */
    String name();

    /** Values per frame. */
    int dimension();

    /** Samples between frames at 16 kHz. */
    int hopSamples();

    /** Frames of an utterance of {@code samples} samples (0 when it is shorter than one frame). */
    int framesFor(int samples);

    /** @return {@code [frames][dimension]}; {@code frames == framesFor(samples.length)} */
    float[][] compute(float[] samples);
}
