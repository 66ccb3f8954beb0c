package org.speechwb.engine.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy {@code .npy} files of little-endian float32 in C order (what reference scripts and emissions use). */
public final class Npy {

    /** Shape and values (row-major). */
    public record Array(long[] shape, float[] values) {
        public int rows() {
            return (int) shape[0];
        }

        public int cols() {
            return shape.length < 2 ? 1 : (int) shape[1];
        }

        public float get(int r, int c) {
            return values[r * cols() + c];
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || all[0] != (byte) 0x93 || all[1] != 'N' || all[2] != 'U' || all[3] != 'M'
                || all[4] != 'P' || all[5] != 'Y') {
            throw new InteropException(file, "not a .npy file");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        if (start + (long) headerLen > all.length) {
            throw new InteropException(file, ".npy header runs past the end of the file");
        }
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new InteropException(file, ".npy header not understood: " + header.trim());
        }
        if (!d.group(1).equals("<f4") || o.group(1).equals("True")) {
            throw new InteropException(file, ".npy holds " + d.group(1) + (o.group(1).equals("True") ? " in Fortran order" : "")
                    + "; only little-endian float32 in C order is read");
        }
        String[] dims = s.group(1).split(",");
        long n = 1;
        java.util.List<Long> shape = new java.util.ArrayList<>();
        for (String dim : dims) {
            if (!dim.isBlank()) {
                long v = Long.parseLong(dim.trim());
                shape.add(v);
                n *= v;
            }
        }
        int dataStart = start + headerLen;
        if (dataStart + n * 4 > all.length) {
            throw new InteropException(file, ".npy declares " + n + " values but holds " + (all.length - dataStart) / 4);
        }
        float[] values = new float[(int) n];
        ByteBuffer.wrap(all, dataStart, (int) n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Array(shape.stream().mapToLong(Long::longValue).toArray(), values);
    }

    /** Writes version 1.0: magic, header length, a Python dict literal padded to 64 bytes, raw data. */
    public static void write(Path file, float[] values, long... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long s : shape) {
            dims.append(s).append(shape.length == 1 ? "," : ", ");
        }
        String shapeText = shape.length == 1 ? dims.toString() : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            out.write(b.array());
        }
    }
}
