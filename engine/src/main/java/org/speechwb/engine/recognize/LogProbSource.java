package org.speechwb.engine.recognize;

import org.speechwb.engine.text.Vocabulary;

/**
 * Anything that gives per-frame CTC log-probabilities for 16 kHz audio: a fine-tuned wav2vec
 * 2.0 ({@link Recognizer}) or an acoustic model on features. {@link Transcriber} decodes and
 * scores either.
 */
public interface LogProbSource {

    Vocabulary vocabulary();

    /** @return {@code [frames][vocabulary size]} natural-log probabilities */
    float[][] logProbs(float[] samples);
}
