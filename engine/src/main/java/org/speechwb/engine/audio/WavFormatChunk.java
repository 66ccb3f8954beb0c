package org.speechwb.engine.audio;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.speechwb.engine.audio.AudioFileException.Reason.CORRUPT_HEADER;
import static org.speechwb.engine.audio.AudioFileException.Reason.UNSUPPORTED_ENCODING;

/**
 * The decoded meaning of a {@code fmt } chunk. Kept apart from the chunk walk because the rules
 * here (which tags we decode, how the container width follows from the block alignment) are the
 * part most likely to need care when a strange file turns up.
 */
record WavFormatChunk(SampleFormat format, int channels, int sampleRate, int bitsPerSample, int blockAlign) {

    static final int WAVE_FORMAT_PCM = 0x0001;
    static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    static final int WAVE_FORMAT_ALAW = 0x0006;
    static final int WAVE_FORMAT_MULAW = 0x0007;
    static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID that wraps a classic format tag. */
    static final byte[] GUID_SUFFIX = {
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    /**
     * Rates outside [{@value #MIN_SAMPLE_RATE}, {@value #MAX_SAMPLE_RATE}] Hz are not audio any
     * recorder produces, so a header claiming one is damaged. Refusing them also bounds the work
     * behind {@link AudioReader#read16k}: at most 16 output samples per input sample, and a
     * resampler table of a few megabytes.
     */
    static final int MIN_SAMPLE_RATE = 1_000;
    static final int MAX_SAMPLE_RATE = 768_000;

    static boolean plausibleRate(long rate) {
        return rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
    }

    /**
     * Parses a {@code fmt } chunk body.
     *
     * @param body the chunk body (at least 16 bytes, little-endian, position 0)
     * @param declaredSize the chunk size from its header, to tell a short extensible chunk
     */
    static WavFormatChunk parse(Path file, ByteBuffer body, long declaredSize) throws AudioFileException {
        if (declaredSize < 16 || body.remaining() < 16) {
            throw new AudioFileException(file, CORRUPT_HEADER, "'fmt ' chunk of " + declaredSize + " bytes, need at least 16");
        }
        int tag = Short.toUnsignedInt(body.getShort(0));
        int channels = Short.toUnsignedInt(body.getShort(2));
        long rate = Integer.toUnsignedLong(body.getInt(4));
        int blockAlign = Short.toUnsignedInt(body.getShort(12));
        int bits = Short.toUnsignedInt(body.getShort(14));
        int validBits = bits;
        if (tag == WAVE_FORMAT_EXTENSIBLE) {
            if (declaredSize < 40 || body.remaining() < 40) {
                throw new AudioFileException(file, CORRUPT_HEADER,
                        "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of " + declaredSize + " bytes, need 40");
            }
            int declaredValid = Short.toUnsignedInt(body.getShort(18));
            if (declaredValid > bits) {
                throw new AudioFileException(file, CORRUPT_HEADER,
                        declaredValid + " valid bits in a " + bits + "-bit container");
            }
            if (declaredValid != 0) {
                validBits = declaredValid; // 0 is written by some tools and means "all of them"
            }
            for (int i = 0; i < GUID_SUFFIX.length; i++) {
                if (body.get(26 + i) != GUID_SUFFIX[i]) {
                    throw new AudioFileException(file, UNSUPPORTED_ENCODING,
                            "WAVE_FORMAT_EXTENSIBLE sub-format " + guid(body, 24) + " is not PCM or IEEE float");
                }
            }
            tag = Short.toUnsignedInt(body.getShort(24));
        }
        if (channels == 0) {
            throw new AudioFileException(file, CORRUPT_HEADER, "0 channels");
        }
        if (!plausibleRate(rate)) {
            throw new AudioFileException(file, CORRUPT_HEADER, "sample rate " + rate + " Hz");
        }
        if (tag == WAVE_FORMAT_ALAW || tag == WAVE_FORMAT_MULAW) {
            if (bits != 8 || blockAlign != channels) {
                throw new AudioFileException(file, CORRUPT_HEADER, tagName(tag) + " needs 8 bits and one byte per sample,"
                        + " got " + bits + " bits, block align " + blockAlign + " for " + channels + " channel(s)");
            }
            return new WavFormatChunk(tag == WAVE_FORMAT_ALAW ? SampleFormat.ALAW : SampleFormat.MULAW, channels,
                    (int) rate, 8, blockAlign);
        }
        if (tag != WAVE_FORMAT_PCM && tag != WAVE_FORMAT_IEEE_FLOAT) {
            throw new AudioFileException(file, UNSUPPORTED_ENCODING, tagName(tag));
        }
        if (bits == 0) {
            throw new AudioFileException(file, CORRUPT_HEADER, "0 bits per sample");
        }
        if (tag == WAVE_FORMAT_PCM && bits > 32) {
            throw new AudioFileException(file, UNSUPPORTED_ENCODING, bits + "-bit integer PCM");
        }
        if (tag == WAVE_FORMAT_IEEE_FLOAT && bits != 32 && bits != 64) {
            throw new AudioFileException(file, UNSUPPORTED_ENCODING, bits + "-bit IEEE float");
        }
        if (blockAlign == 0 || blockAlign % channels != 0) {
            throw new AudioFileException(file, CORRUPT_HEADER,
                    "block align " + blockAlign + " is not a whole number of bytes for each of " + channels + " channels");
        }
        int container = blockAlign / channels;
        SampleFormat format = tag == WAVE_FORMAT_PCM ? SampleFormat.pcm(container) : SampleFormat.ieeeFloat(container);
        if (format == null || container * 8 < bits) {
            throw new AudioFileException(file, CORRUPT_HEADER, "block align " + blockAlign + " does not hold "
                    + channels + " channel(s) of " + bits + "-bit " + (tag == WAVE_FORMAT_PCM ? "PCM" : "float"));
        }
        return new WavFormatChunk(format, channels, (int) rate, validBits, blockAlign);
    }

    private static String tagName(int tag) {
        String name = switch (tag) {
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0050 -> "MPEG audio";
            case 0x0055 -> "MP3";
            default -> "format tag";
        };
        return name + String.format(" (0x%04X)", tag);
    }

    private static String guid(ByteBuffer body, int offset) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(String.format("%02x", body.get(offset + i) & 0xFF));
        }
        return sb.toString();
    }
}
