package org.speechwb.engine.audio;

/**
 * How one sample is stored in a WAV data chunk: the container, not the valid bits. A 20-bit
 * recording in 24-bit containers decodes as {@link #S24}, because PCM is left-justified in its
 * container and scaling by the container width gives the right amplitude.
 */
enum SampleFormat {
    U8(1, "pcm_u8"),
    S16(2, "pcm_s16"),
    S24(3, "pcm_s24"),
    S32(4, "pcm_s32"),
    F32(4, "float32"),
    F64(8, "float64"),
    /** G.711 μ-law, 8 bits per sample (telephone corpora). */
    MULAW(1, "mulaw"),
    /** G.711 A-law, 8 bits per sample. */
    ALAW(1, "alaw");

    private final int bytes;
    private final String encodingName;

    SampleFormat(int bytes, String encodingName) {
        this.bytes = bytes;
        this.encodingName = encodingName;
    }

    int bytes() {
        return bytes;
    }

    /** The name {@link AudioInfo#encoding()} reports. */
    String encodingName() {
        return encodingName;
    }

    /** The integer PCM format for a container of {@code bytes} bytes, or null if none. */
    static SampleFormat pcm(int bytes) {
        return switch (bytes) {
            case 1 -> U8;
            case 2 -> S16;
            case 3 -> S24;
            case 4 -> S32;
            default -> null;
        };
    }

    /** The IEEE float format for a container of {@code bytes} bytes, or null if none. */
    static SampleFormat ieeeFloat(int bytes) {
        return switch (bytes) {
            case 4 -> F32;
            case 8 -> F64;
            default -> null;
        };
    }
}
