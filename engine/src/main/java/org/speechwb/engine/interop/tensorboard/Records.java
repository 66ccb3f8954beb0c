package org.speechwb.engine.interop.tensorboard;

import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 * {@code [u64 length LE][masked CRC32C of the 8 length bytes][data][masked CRC32C of data]}.
 */
final class Records {

    private Records() {
    }

    /** TensorFlow's CRC mask, so that a CRC of data that itself contains CRCs is not trivially related. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static int getInt(byte[] b, int off) {
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** One framed record around {@code data}. */
    static byte[] frame(byte[] data) {
        byte[] out = new byte[8 + 4 + data.length + 4];
        putLong(out, 0, data.length);
        putInt(out, 8, maskedCrc(out, 0, 8));
        System.arraycopy(data, 0, out, 12, data.length);
        putInt(out, 12 + data.length, maskedCrc(data, 0, data.length));
        return out;
    }
}
