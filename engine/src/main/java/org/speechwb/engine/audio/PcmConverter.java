package org.speechwb.engine.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Interleaved little-endian WAV sample bytes to mono floats, channels averaged.
 *
 * <p>One tight loop per sample format, chosen once per block by a switch, so that the hot loop
 * has no per-sample dispatch; mono gets its own loop because it is the common case for speech.
 * Byte-array view handles compile to plain loads. Integer PCM is scaled by its container's full
 * scale (so {@code -1 <= x < 1}); float data is clamped to [-1, 1] with NaN read as 0, because a
 * single stray value in a float WAV would otherwise poison a whole training batch.
 */
final class PcmConverter {

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private PcmConverter() {
    }

    /**
     * Converts {@code frames} frames from {@code src[0..]} into {@code dst[dstOffset..]}.
     */
    static void toMono(SampleFormat format, byte[] src, int frames, int channels, float[] dst, int dstOffset) {
        switch (format) {
            case U8 -> u8(src, frames, channels, dst, dstOffset);
            case S16 -> s16(src, frames, channels, dst, dstOffset);
            case S24 -> s24(src, frames, channels, dst, dstOffset);
            case S32 -> s32(src, frames, channels, dst, dstOffset);
            case F32 -> f32(src, frames, channels, dst, dstOffset);
            case F64 -> f64(src, frames, channels, dst, dstOffset);
            case MULAW -> table(MULAW, src, frames, channels, dst, dstOffset);
            case ALAW -> table(ALAW, src, frames, channels, dst, dstOffset);
        }
    }

    /** G.711 decoding tables, in units of 1/32768 (ITU-T G.711, as in the reference g711.c). */
    private static final float[] MULAW = new float[256];
    private static final float[] ALAW = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            int u = ~b & 0xFF;
            int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
            MULAW[b] = ((u & 0x80) != 0 ? 0x84 - t : t - 0x84) / 32768f;
            int a = b ^ 0x55;
            int seg = (a & 0x70) >> 4;
            int v = (a & 0x0F) << 4;
            v = seg == 0 ? v + 8 : seg == 1 ? v + 0x108 : (v + 0x108) << (seg - 1);
            ALAW[b] = ((a & 0x80) != 0 ? v : -v) / 32768f;
        }
    }

    /** Decoded value of one G.711 byte, for tests. */
    static float g711(SampleFormat format, int b) {
        return (format == SampleFormat.MULAW ? MULAW : ALAW)[b & 0xFF];
    }

    private static void table(float[] table, byte[] src, int frames, int channels, float[] dst, int off) {
        float inv = 1f / channels;
        for (int i = 0, p = 0; i < frames; i++) {
            float acc = 0;
            for (int c = 0; c < channels; c++, p++) {
                acc += table[src[p] & 0xFF];
            }
            dst[off + i] = acc * inv;
        }
    }

    private static void u8(byte[] src, int frames, int channels, float[] dst, int off) {
        float scale = 1f / (128f * channels);
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                dst[off + i] = ((src[i] & 0xFF) - 128) * scale;
            }
            return;
        }
        for (int i = 0, p = 0; i < frames; i++) {
            int acc = 0;
            for (int c = 0; c < channels; c++, p++) {
                acc += (src[p] & 0xFF) - 128;
            }
            dst[off + i] = acc * scale;
        }
    }

    private static void s16(byte[] src, int frames, int channels, float[] dst, int off) {
        float scale = 1f / (32768f * channels);
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                dst[off + i] = (short) SHORT_LE.get(src, i << 1) * scale;
            }
            return;
        }
        if (channels == 2) {
            for (int i = 0; i < frames; i++) {
                int p = i << 2;
                dst[off + i] = ((short) SHORT_LE.get(src, p) + (short) SHORT_LE.get(src, p + 2)) * scale;
            }
            return;
        }
        // 65535 channels at full scale still fit an int: 65535 * 32768 < 2^31.
        for (int i = 0, p = 0; i < frames; i++) {
            int acc = 0;
            for (int c = 0; c < channels; c++, p += 2) {
                acc += (short) SHORT_LE.get(src, p);
            }
            dst[off + i] = acc * scale;
        }
    }

    private static void s24(byte[] src, int frames, int channels, float[] dst, int off) {
        float scale = (float) (1.0 / (8388608.0 * channels));
        if (channels == 1) {
            for (int i = 0, p = 0; i < frames; i++, p += 3) {
                dst[off + i] = int24(src, p) * scale;
            }
            return;
        }
        for (int i = 0, p = 0; i < frames; i++) {
            long acc = 0;
            for (int c = 0; c < channels; c++, p += 3) {
                acc += int24(src, p);
            }
            dst[off + i] = acc * scale;
        }
    }

    private static int int24(byte[] src, int p) {
        return (src[p] & 0xFF) | ((src[p + 1] & 0xFF) << 8) | (src[p + 2] << 16);
    }

    private static void s32(byte[] src, int frames, int channels, float[] dst, int off) {
        double scale = 1.0 / (2147483648.0 * channels);
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                dst[off + i] = (float) ((int) INT_LE.get(src, i << 2) * scale);
            }
            return;
        }
        for (int i = 0, p = 0; i < frames; i++) {
            long acc = 0;
            for (int c = 0; c < channels; c++, p += 4) {
                acc += (int) INT_LE.get(src, p);
            }
            dst[off + i] = (float) (acc * scale);
        }
    }

    private static void f32(byte[] src, int frames, int channels, float[] dst, int off) {
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                dst[off + i] = clamp((float) FLOAT_LE.get(src, i << 2));
            }
            return;
        }
        float scale = 1f / channels;
        for (int i = 0, p = 0; i < frames; i++) {
            float acc = 0;
            for (int c = 0; c < channels; c++, p += 4) {
                acc += (float) FLOAT_LE.get(src, p);
            }
            dst[off + i] = clamp(acc * scale);
        }
    }

    private static void f64(byte[] src, int frames, int channels, float[] dst, int off) {
        double scale = 1.0 / channels;
        for (int i = 0, p = 0; i < frames; i++) {
            double acc = 0;
            for (int c = 0; c < channels; c++, p += 8) {
                acc += (double) DOUBLE_LE.get(src, p);
            }
            dst[off + i] = clamp((float) (acc * scale));
        }
    }

    /** [-1, 1], with NaN as silence and infinities at the rails. */
    static float clamp(float v) {
        if (v >= -1f) {
            return v <= 1f ? v : 1f;
        }
        return v < -1f ? -1f : 0f;
    }
}
