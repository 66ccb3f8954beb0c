package org.speechwb.engine.audio;

import java.nio.file.Path;

/**
 * What a header says about an audio file, read without decoding the samples.
 *
 * @param container     "wav" or "flac"
 * @param encoding      e.g. "pcm_s16", "pcm_s24", "pcm_u8", "float32", "float64", "flac"
 * @param frames        samples per channel
 */
public record AudioInfo(Path file, String container, String encoding, int sampleRate, int channels,
                        int bitsPerSample, long frames) {

    public double durationSeconds() {
        return sampleRate == 0 ? 0 : (double) frames / sampleRate;
    }

    /** Number of samples this file yields after resampling to {@code targetRate}. */
    public long framesAt(int targetRate) {
        return sampleRate == targetRate ? frames : Resampler.outputLength(frames, sampleRate, targetRate);
    }
}
