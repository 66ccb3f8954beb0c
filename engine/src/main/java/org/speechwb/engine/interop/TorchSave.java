package org.speechwb.engine.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes what {@code torch.save} writes (the zip format of PyTorch ≥ 1.6): {@code archive/data.pkl}
 * (pickle protocol 2), one raw little-endian storage per tensor under {@code archive/data/},
 * {@code archive/version} and {@code archive/byteorder}. The pickle holds only dicts, lists,
 * strings, numbers, booleans, None, {@code collections.OrderedDict} and float32 tensors: no
 * class of ours, so {@code torch.load} needs nothing but torch, and {@link TorchZip} reads it back.
 */
public final class TorchSave {

    /** A float32 tensor, row-major (contiguous) values. */
    public record FloatTensor(long[] shape, float[] values) {
        public FloatTensor {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
                        + " values, got " + values.length);
            }
        }
    }

    /** A map pickled as {@code collections.OrderedDict} (a state dict); its order is kept. */
    public record OrderedDict(Map<String, ?> entries) {
    }

    private TorchSave() {
    }

    /** Writes {@code root} (maps, lists, strings, numbers, booleans, null, the records above) to {@code file}. */
    public static void write(Path file, Object root) throws IOException {
        Pickler p = new Pickler();
        p.proto();
        p.value(root);
        p.stop();
        Map<String, byte[]> storages = new java.util.LinkedHashMap<>();
        for (int i = 0; i < p.storages.size(); i++) {
            storages.put(Integer.toString(i), bytes(p.storages.get(i)));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        writeZip(tmp, "archive", p.out.toByteArray(), storages);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The archive around a pickle: {@code prefix/data.pkl}, the storages under {@code prefix/data/}, byte order, version. */
    static void writeZip(Path file, String prefix, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            // torch reads stored (uncompressed) records; it writes them that way too
            stored(zip, prefix + "/data.pkl", pickle);
            stored(zip, prefix + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                stored(zip, prefix + "/data/" + e.getKey(), e.getValue());
            }
            stored(zip, prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Pickle protocol 2, only the opcodes these values need; nothing is memoised (no value is shared). */
    private static final class Pickler {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<float[]> storages = new ArrayList<>();

        void proto() {
            out.write(0x80);
            out.write(2);
        }

        void stop() {
            out.write('.');
        }

        void value(Object v) {
            if (v == null) {
                out.write('N');
            } else if (v instanceof Boolean b) {
                out.write(b ? 0x88 : 0x89);
            } else if (v instanceof Integer || v instanceof Long) {
                integer(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                out.write('G');
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN)
                        .putDouble(((Number) v).doubleValue()).array());
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof FloatTensor t) {
                tensor(t);
            } else if (v instanceof OrderedDict d) {
                global("collections", "OrderedDict");
                out.write(')');
                out.write('R');
                items(d.entries());
            } else if (v instanceof Map<?, ?> m) {
                out.write('}');
                items(m);
            } else if (v instanceof List<?> l) {
                out.write(']');
                if (!l.isEmpty()) {
                    out.write('(');
                    l.forEach(this::value);
                    out.write('e');
                }
            } else {
                throw new IllegalArgumentException("cannot pickle " + v.getClass().getName());
            }
        }

        private void items(Map<?, ?> m) {
            if (m.isEmpty()) {
                return;
            }
            out.write('(');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                string(String.valueOf(e.getKey()));
                value(e.getValue());
            }
            out.write('u');
        }

        private void integer(long x) {
            if (x >= 0 && x < 256) {
                out.write('K');
                out.write((int) x);
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                out.write('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) x).array());
            } else {
                out.write(0x8a);                       // LONG1: 8 bytes, two's complement, little-endian
                out.write(8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(x).array());
            }
        }

        private void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }

        private void global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        /** torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()). */
        private void tensor(FloatTensor t) {
            int key = storages.size();
            storages.add(t.values());
            global("torch._utils", "_rebuild_tensor_v2");
            out.write('(');
            // the storage: persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            out.write('(');
            string("storage");
            global("torch", "FloatStorage");
            string(Integer.toString(key));
            string("cpu");
            integer(t.values().length);
            out.write('t');
            out.write('Q');
            integer(0);
            tuple(t.shape());
            long[] stride = new long[t.shape().length];
            long s = 1;
            for (int i = stride.length - 1; i >= 0; i--) {
                stride[i] = s;
                s *= t.shape()[i];
            }
            tuple(stride);
            out.write(0x89);
            global("collections", "OrderedDict");
            out.write(')');
            out.write('R');
            out.write('t');
            out.write('R');
        }

        private void tuple(long[] v) {
            out.write('(');
            for (long x : v) {
                integer(x);
            }
            out.write('t');
        }
    }
}
