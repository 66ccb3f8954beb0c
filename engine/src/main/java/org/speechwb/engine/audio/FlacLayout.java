package org.speechwb.engine.audio;

/**
 * What STREAMINFO says about a FLAC stream, and where its first audio frame starts.
 *
 * @param streamInfo    the raw 34-byte STREAMINFO body, handed on to the decoder
 * @param totalSamples  frames in the stream, or 0 when the encoder did not know (streamed output)
 * @param audioOffset   file offset just past the last metadata block
 */
record FlacLayout(byte[] streamInfo, int sampleRate, int channels, int bitsPerSample, long totalSamples,
                  long audioOffset) {

    boolean lengthKnown() {
        return totalSamples > 0;
    }
}
