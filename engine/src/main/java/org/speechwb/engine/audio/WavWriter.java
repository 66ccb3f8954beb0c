package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes RIFF/WAVE files in every encoding {@link AudioReader} reads, so that tests, exports and
 * the corpus recipe can produce exactly the files the reader must handle.
 *
 * <p>Integer encodings quantise {@code x} to {@code round(x·2^(b-1))} clipped to the b-bit range
 * (8-bit offset by 128): reading back with the reader's {@code /2^(b-1)} gives the input within
 * half a step, except {@code +1.0}, which clips to the largest code. Float encodings store the
 * values unchanged. Float files carry a {@code fact} chunk, as the WAVE specification asks of
 * every non-PCM format; some strict readers reject float WAVs without one.
 */
public final class WavWriter {

    /** How each sample is stored. */
    public enum Encoding {
        PCM_U8(1, WavFormatChunk.WAVE_FORMAT_PCM),
        PCM_S16(2, WavFormatChunk.WAVE_FORMAT_PCM),
        PCM_S24(3, WavFormatChunk.WAVE_FORMAT_PCM),
        PCM_S32(4, WavFormatChunk.WAVE_FORMAT_PCM),
        FLOAT32(4, WavFormatChunk.WAVE_FORMAT_IEEE_FLOAT),
        FLOAT64(8, WavFormatChunk.WAVE_FORMAT_IEEE_FLOAT);

        private final int bytes;
        private final int formatTag;

        Encoding(int bytes, int formatTag) {
            this.bytes = bytes;
            this.formatTag = formatTag;
        }

        /** Bytes per sample. */
        public int bytesPerSample() {
            return bytes;
        }

        boolean isFloat() {
            return formatTag == WavFormatChunk.WAVE_FORMAT_IEEE_FLOAT;
        }
    }

    private static final int BLOCK_FRAMES = 1 << 14;

    private WavWriter() {
    }

    /** A mono file. */
    public static void write(Path file, float[] mono, int sampleRate, Encoding encoding) throws IOException {
        write(file, new float[][] {Objects.requireNonNull(mono, "mono")}, sampleRate, encoding, false);
    }

    /**
     * A file with one channel per row of {@code channels} (all of the same length), interleaved on
     * disk. {@code extensible} writes a WAVE_FORMAT_EXTENSIBLE header (sub-format GUID PCM or
     * float), which Windows expects for more than two channels or more than 16 bits.
     *
     * @throws IllegalArgumentException on no channels, ragged channels, a non-positive rate, or a
     *                                  size the 32-bit RIFF fields cannot express
     */
    public static void write(Path file, float[][] channels, int sampleRate, Encoding encoding, boolean extensible)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(encoding, "encoding");
        int channelCount = validate(channels, sampleRate);
        int frames = channels[0].length;
        int blockAlign = channelCount * encoding.bytes;
        if (blockAlign > 0xFFFF) {
            throw new IllegalArgumentException(channelCount + " channels of " + encoding + " exceed the 16-bit block align field");
        }
        long dataBytes = (long) frames * blockAlign;
        ByteBuffer header = header(channelCount, sampleRate, encoding, extensible, frames, dataBytes);
        if (dataBytes + header.remaining() + 1 > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(dataBytes + " bytes of samples do not fit a RIFF WAV file");
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, header);
            ByteBuffer block = ByteBuffer.allocate(Math.min(BLOCK_FRAMES, Math.max(frames, 1)) * blockAlign + 1)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int start = 0; start < frames; start += BLOCK_FRAMES) {
                int end = Math.min(frames, start + BLOCK_FRAMES);
                block.clear();
                SampleEncoder.encode(encoding, channels, start, end, block);
                block.flip();
                writeFully(out, block);
            }
            if ((dataBytes & 1) == 1) {
                writeFully(out, ByteBuffer.wrap(new byte[1])); // RIFF pad byte
            }
        }
    }

    private static int validate(float[][] channels, int sampleRate) {
        Objects.requireNonNull(channels, "channels");
        if (channels.length == 0 || channels.length > 0xFFFF) {
            throw new IllegalArgumentException("channel count " + channels.length);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate " + sampleRate);
        }
        for (float[] channel : channels) {
            Objects.requireNonNull(channel, "channel");
            if (channel.length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length: " + channel.length + " vs " + channels[0].length);
            }
        }
        return channels.length;
    }

    private static ByteBuffer header(int channels, int sampleRate, Encoding encoding, boolean extensible,
                                     int frames, long dataBytes) {
        int fmtSize = extensible ? 40 : encoding.isFloat() ? 18 : 16;
        boolean fact = encoding.isFloat();
        int headerBytes = 12 + 8 + fmtSize + (fact ? 12 : 0) + 8;
        ByteBuffer b = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = channels * encoding.bytes;
        long riffSize = headerBytes - 8 + dataBytes + (dataBytes & 1);
        b.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(fmtSize);
        b.putShort((short) (extensible ? WavFormatChunk.WAVE_FORMAT_EXTENSIBLE : encoding.formatTag));
        b.putShort((short) channels);
        b.putInt(sampleRate);
        b.putInt((int) ((long) sampleRate * blockAlign));
        b.putShort((short) blockAlign);
        b.putShort((short) (encoding.bytes * 8));
        if (extensible) {
            b.putShort((short) 22);
            b.putShort((short) (encoding.bytes * 8));
            b.putInt(channelMask(channels));
            b.putShort((short) encoding.formatTag);
            b.put(WavFormatChunk.GUID_SUFFIX);
        } else if (encoding.isFloat()) {
            b.putShort((short) 0);
        }
        if (fact) {
            b.put(ascii("fact")).putInt(4).putInt(frames);
        }
        b.put(ascii("data")).putInt((int) dataBytes);
        b.flip();
        return b;
    }

    /** The usual speaker assignment: front centre for mono, then the first n speaker bits. */
    private static int channelMask(int channels) {
        if (channels == 1) {
            return 0x4;
        }
        return channels <= 18 ? (1 << channels) - 1 : 0;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Float samples to interleaved bytes; one loop per encoding, as in the reader. */
    private static final class SampleEncoder {

        static void encode(Encoding encoding, float[][] channels, int start, int end, ByteBuffer out) {
            int n = channels.length;
            switch (encoding) {
                case PCM_U8 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            out.put((byte) (quantise(channels[c][i], 128.0, -128, 127) + 128));
                        }
                    }
                }
                case PCM_S16 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            out.putShort((short) quantise(channels[c][i], 32768.0, Short.MIN_VALUE, Short.MAX_VALUE));
                        }
                    }
                }
                case PCM_S24 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            long v = quantise(channels[c][i], 8388608.0, -8388608, 8388607);
                            out.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                        }
                    }
                }
                case PCM_S32 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            out.putInt((int) quantise(channels[c][i], 2147483648.0, Integer.MIN_VALUE, Integer.MAX_VALUE));
                        }
                    }
                }
                case FLOAT32 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            out.putFloat(channels[c][i]);
                        }
                    }
                }
                case FLOAT64 -> {
                    for (int i = start; i < end; i++) {
                        for (int c = 0; c < n; c++) {
                            out.putDouble(channels[c][i]);
                        }
                    }
                }
            }
        }

        private static long quantise(float x, double fullScale, long min, long max) {
            long v = Math.round(x * fullScale);
            return Math.max(min, Math.min(max, v));
        }
    }
}
