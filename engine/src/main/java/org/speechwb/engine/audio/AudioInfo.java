package org.speechwb.engine.audio;

import java.nio.file.Path;

/**
 * What a header says about an audio file, read without decoding the samples.
 *
 * @param container     "wav" or "flac"
 * @param encoding      e.g. "pcm_s16", "pcm_s24", "pcm_u8", "float32", "float64", "flac"
 * @param frames        samples per channel that are actually in the file (for a cut-short FLAC file,
 *                      estimated from its last frame header, not STREAMINFO's promise)
 * @param caveat        why the file is only partly readable (a WAV 'data' chunk that claims more
 *                      bytes than the file holds, a FLAC file cut short), or null when it is whole
 */
public record AudioInfo(Path file, String container, String encoding, int sampleRate, int channels,
                        int bitsPerSample, long frames, String caveat) {

    /** A file that is what its header says. */
    public AudioInfo(Path file, String container, String encoding, int sampleRate, int channels, int bitsPerSample,
                     long frames) {
        this(file, container, encoding, sampleRate, channels, bitsPerSample, frames, null);
    }

    public double durationSeconds() {
        return sampleRate == 0 ? 0 : (double) frames / sampleRate;
    }

    /** Number of samples this file yields after resampling to {@code targetRate}. */
    public long framesAt(int targetRate) {
        return sampleRate == targetRate ? frames : Resampler.outputLength(frames, sampleRate, targetRate);
    }
}
