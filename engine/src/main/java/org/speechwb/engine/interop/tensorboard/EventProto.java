package org.speechwb.engine.interop.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few protobuf messages of TensorBoard's {@code event.proto} that scalar logging needs,
 * encoded and decoded by hand (a protobuf dependency for three messages is not worth it):
 * {@code Event{double wall_time=1; int64 step=2; string file_version=3; Summary summary=5;
 * SessionLog session_log=7}}, {@code Summary{repeated Value value=1}},
 * {@code Value{string tag=1; float simple_value=2}}, {@code SessionLog{SessionStatus status=1}}.
 */
final class EventProto {

    static final int SESSION_START = 1;

    private EventProto() {
    }

    /** A decoded event; fields absent from the record are null. */
    record Event(double wallTime, long step, String fileVersion, String tag, Float value, Integer sessionStatus) {
    }

    static byte[] fileVersion(double wallTime, String version) {
        Writer w = new Writer();
        w.fixed64(1, Double.doubleToRawLongBits(wallTime));
        w.bytes(3, version.getBytes(StandardCharsets.UTF_8));
        return w.toByteArray();
    }

    static byte[] scalar(double wallTime, long step, String tag, float value) {
        Writer v = new Writer();
        v.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
        v.fixed32(2, Float.floatToRawIntBits(value));
        Writer summary = new Writer();
        summary.bytes(1, v.toByteArray());
        Writer e = new Writer();
        e.fixed64(1, Double.doubleToRawLongBits(wallTime));
        e.varint(2, step);
        e.bytes(5, summary.toByteArray());
        return e.toByteArray();
    }

    /** TensorBoard drops events of a later step than this one written before it (a resumed run's overlap). */
    static byte[] sessionStart(double wallTime, long step) {
        Writer log = new Writer();
        log.varint(1, SESSION_START);
        Writer e = new Writer();
        e.fixed64(1, Double.doubleToRawLongBits(wallTime));
        e.varint(2, step);
        e.bytes(7, log.toByteArray());
        return e.toByteArray();
    }

    /**
     * Decodes an event, taking the first simple value of its summary.
     *
     * @throws IllegalArgumentException on malformed protobuf
     */
    static Event decode(byte[] data) {
        Reader r = new Reader(data, 0, data.length);
        double wall = 0;
        long step = 0;
        String version = null;
        String tag = null;
        Float value = null;
        Integer status = null;
        while (r.more()) {
            int key = (int) r.varint();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == 1) {
                wall = Double.longBitsToDouble(r.fixed64());
            } else if (field == 2 && wire == 0) {
                step = r.varint();
            } else if (field == 3 && wire == 2) {
                version = new String(r.bytes(), StandardCharsets.UTF_8);
            } else if (field == 5 && wire == 2) {
                byte[] summary = r.bytes();
                Reader s = new Reader(summary, 0, summary.length);
                while (s.more() && value == null) {
                    int sk = (int) s.varint();
                    if (sk >>> 3 == 1 && (sk & 7) == 2) {
                        byte[] val = s.bytes();
                        Reader v = new Reader(val, 0, val.length);
                        String t = null;
                        Float x = null;
                        while (v.more()) {
                            int vk = (int) v.varint();
                            if (vk >>> 3 == 1 && (vk & 7) == 2) {
                                t = new String(v.bytes(), StandardCharsets.UTF_8);
                            } else if (vk >>> 3 == 2 && (vk & 7) == 5) {
                                x = Float.intBitsToFloat(v.fixed32());
                            } else {
                                v.skip(vk & 7);
                            }
                        }
                        if (x != null) {
                            tag = t;
                            value = x;
                        }
                    } else {
                        s.skip(sk & 7);
                    }
                }
            } else if (field == 7 && wire == 2) {
                byte[] log = r.bytes();
                Reader s = new Reader(log, 0, log.length);
                while (s.more()) {
                    int sk = (int) s.varint();
                    if (sk >>> 3 == 1 && (sk & 7) == 0) {
                        status = (int) s.varint();
                    } else {
                        s.skip(sk & 7);
                    }
                }
            } else {
                r.skip(wire);
            }
        }
        return new Event(wall, step, version, tag, value, status);
    }

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            rawVarint((long) field << 3);
            rawVarint(v);
        }

        void fixed64(int field, long v) {
            rawVarint(((long) field << 3) | 1);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
        }

        void fixed32(int field, int v) {
            rawVarint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) {
                out.write(v >>> (8 * i));
            }
        }

        void bytes(int field, byte[] b) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(b.length);
            out.write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int off, int len) {
            this.b = b;
            this.pos = off;
            this.end = off + len;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        long fixed64() {
            need(8);
            long v = Records.getLong(b, pos);
            pos += 8;
            return v;
        }

        int fixed32() {
            need(4);
            int v = Records.getInt(b, pos);
            pos += 4;
            return v;
        }

        byte[] bytes() {
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("length " + n + " runs past the message");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> fixed64();
                case 2 -> bytes();
                case 5 -> fixed32();
                default -> throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }

        private void need(int n) {
            if (end - pos < n) {
                throw new IllegalArgumentException("truncated field");
            }
        }
    }
}
