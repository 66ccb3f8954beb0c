package org.speechwb.engine.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built RIFF/WAVE bytes, so that each malformed-file test states exactly what is wrong. */
final class RiffBytes {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private String riffId = "RIFF";
    private String form = "WAVE";
    private Long riffSize;

    static RiffBytes wave() {
        return new RiffBytes();
    }

    RiffBytes riffId(String id) {
        this.riffId = id;
        return this;
    }

    RiffBytes form(String form) {
        this.form = form;
        return this;
    }

    RiffBytes riffSize(long size) {
        this.riffSize = size;
        return this;
    }

    /** A chunk with its true size and a pad byte when odd. */
    RiffBytes chunk(String id, byte[] content) {
        return chunk(id, content.length, content, true);
    }

    /** A chunk whose header claims {@code declaredSize}, followed by {@code content} as given. */
    RiffBytes chunk(String id, long declaredSize, byte[] content, boolean pad) {
        write(ascii(id));
        write(le32(declaredSize));
        write(content);
        if (pad && (content.length & 1) == 1) {
            body.write(0);
        }
        return this;
    }

    RiffBytes raw(byte[] bytes) {
        write(bytes);
        return this;
    }

    byte[] bytes() {
        byte[] content = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(riffId));
        out.writeBytes(le32(riffSize != null ? riffSize : 4L + content.length));
        out.writeBytes(ascii(form));
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A plain (16-byte) fmt body. */
    static byte[] fmt(int tag, int channels, int rate, int blockAlign, int bits) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits).array();
    }

    static byte[] pcm16Mono(int rate) {
        return fmt(1, 1, rate, 2, 16);
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with the given GUID (first two bytes = tag). */
    static byte[] fmtExtensible(int channels, int rate, int containerBits, int validBits, byte[] guid) {
        int blockAlign = channels * containerBits / 8;
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) containerBits)
                .putShort((short) 22).putShort((short) validBits).putInt(0).put(guid).array();
    }

    static byte[] guid(int tag) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag);
        b.put(WavFormatChunk.GUID_SUFFIX);
        return b.array();
    }

    /** 16-bit little-endian samples. */
    static byte[] s16(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    private void write(byte[] bytes) {
        body.writeBytes(bytes);
    }
}
