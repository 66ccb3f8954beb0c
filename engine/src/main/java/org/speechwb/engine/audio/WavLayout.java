package org.speechwb.engine.audio;

import java.nio.file.Path;

/**
 * Where a WAV file's samples are and how to decode them, as settled by {@link WavParser}.
 *
 * @param format        the sample container
 * @param channels      interleaved channels per frame
 * @param sampleRate    frames per second
 * @param bitsPerSample valid bits as the header states them (may be fewer than the container)
 * @param blockAlign    bytes per frame
 * @param dataOffset    file offset of the first sample byte
 * @param frames        whole frames that are actually in the file (never more than the bytes present)
 * @param caveat        why the frame count differs from what the header claims, or null when it does not
 */
record WavLayout(SampleFormat format, int channels, int sampleRate, int bitsPerSample, int blockAlign,
                 long dataOffset, long frames, String caveat) {

    AudioInfo toInfo(Path file) {
        return new AudioInfo(file, "wav", format.encodingName(), sampleRate, channels, bitsPerSample, frames, caveat);
    }
}
