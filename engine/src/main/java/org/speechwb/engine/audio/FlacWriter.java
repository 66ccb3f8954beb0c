package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import net.sourceforge.javaflacencoder.EncodingConfiguration;
import net.sourceforge.javaflacencoder.FLACEncoder;
import net.sourceforge.javaflacencoder.FLACFileOutputStream;
import net.sourceforge.javaflacencoder.StreamConfiguration;

/**
 * Writes FLAC through java-flac-encoder. 16-bit mono is what the corpus needs (speech at 16 kHz
 * loses nothing audible at 16 bits, and FLAC halves the disk use of WAV); the multi-channel,
 * any-depth variant exists for tests that need such streams and no {@code flac} binary.
 *
 * <p>Quantisation matches {@link WavWriter}: {@code round(x·2^(b-1))}, clipped.
 */
public final class FlacWriter {

    private static final int BLOCK_SIZE = 4096;
    /**
     * java-flac-encoder 0.3.7 fails (ArrayIndexOutOfBoundsException in Subframe_Fixed) on a final
     * block shorter than its predictor order; a final block under this many samples is padded with
     * silence, which lengthens a file by at most 31 samples (under 2 ms at 16 kHz).
     */
    static final int MIN_FINAL_BLOCK = 32;
    private static final int FRAMES_PER_CALL = BLOCK_SIZE * 16;

    private FlacWriter() {
    }

    /**
     * A 16-bit mono FLAC file. A final block shorter than {@value #MIN_FINAL_BLOCK} samples is
     * padded with silence (see {@link #MIN_FINAL_BLOCK}).
     */
    public static void write(Path file, float[] mono, int sampleRate) throws IOException {
        write(file, new float[][] {Objects.requireNonNull(mono, "mono")}, sampleRate, 16);
    }

    /**
     * A FLAC file with one channel per row (1..8 channels of equal length) at {@code bitsPerSample}
     * (the encoder accepts 4..24).
     */
    static void write(Path file, float[][] channels, int sampleRate, int bitsPerSample) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(channels, "channels");
        if (channels.length < 1 || channels.length > 8) {
            throw new IllegalArgumentException("FLAC holds 1 to 8 channels, not " + channels.length);
        }
        for (float[] channel : channels) {
            if (channel.length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        int tail = channels[0].length % BLOCK_SIZE;
        if (tail > 0 && tail < MIN_FINAL_BLOCK) {
            float[][] padded = new float[channels.length][];
            for (int c = 0; c < channels.length; c++) {
                padded[c] = java.util.Arrays.copyOf(channels[c], channels[c].length - tail + MIN_FINAL_BLOCK);
            }
            channels = padded;
        }
        StreamConfiguration stream = new StreamConfiguration(channels.length, BLOCK_SIZE, BLOCK_SIZE, sampleRate, bitsPerSample);
        if (!stream.isValid() || stream.getSampleRate() != sampleRate || stream.getBitsPerSample() != bitsPerSample) {
            throw new IllegalArgumentException("FLAC encoder rejects " + channels.length + " channel(s), "
                    + sampleRate + " Hz, " + bitsPerSample + " bits");
        }
        FLACEncoder encoder = new FLACEncoder();
        encoder.setStreamConfiguration(stream);
        encoder.setEncodingConfiguration(new EncodingConfiguration());
        FLACFileOutputStream out = new FLACFileOutputStream(file.toFile());
        try {
            encoder.setOutputStream(out);
            encoder.openFLACStream();
            int frames = channels[0].length;
            int n = channels.length;
            double fullScale = Math.scalb(1.0, bitsPerSample - 1);
            long min = -(long) fullScale;
            long max = (long) fullScale - 1;
            int[] interleaved = new int[Math.min(FRAMES_PER_CALL, Math.max(frames, 1)) * n];
            for (int start = 0; start < frames; start += FRAMES_PER_CALL) {
                int count = Math.min(FRAMES_PER_CALL, frames - start);
                for (int i = 0, p = 0; i < count; i++) {
                    for (int c = 0; c < n; c++, p++) {
                        long v = Math.round(channels[c][start + i] * fullScale);
                        interleaved[p] = (int) Math.max(min, Math.min(max, v));
                    }
                }
                encoder.addSamples(interleaved, count);
                encoder.encodeSamples(count, false);
            }
            encoder.encodeSamples(encoder.samplesAvailableToEncode(), true);
        } finally {
            out.close();
        }
    }
}
