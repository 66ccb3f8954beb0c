package org.speechwb.engine.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reader (and writer) of the safetensors format: an 8-byte little-endian header length N, N
 * bytes of UTF-8 JSON {@code {name: {dtype, shape, data_offsets: [b, e]}, "__metadata__": {…}}},
 * then the raw little-endian row-major data, offsets relative to its start.
 *
 * <p>The file comes from a stranger, so everything the header claims is checked against the
 * file's real size before anything is allocated: the header length, each tensor's extent
 * (which must equal its element count times the element size) and its position inside the data
 * block. A lying header is an {@link InteropException} naming the file and the tensor.
 */
public final class Safetensors implements TensorSource {

    /** The reference implementation's limit on the header (100 MB). */
    static final long MAX_HEADER = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(Info info, long begin, long end) {
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, Info> infos;
    private final Map<String, String> metadata;

    private Safetensors(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
                        Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        Map<String, Info> i = new LinkedHashMap<>();
        entries.forEach((k, v) -> i.put(k, v.info()));
        this.infos = Collections.unmodifiableMap(i);
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}; the tensors are read later, one at a time. */
    public static Safetensors open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InteropException(file, "no such file");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return parse(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static Safetensors parse(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new InteropException(file, "not a safetensors file: " + size + " bytes, shorter than the 8-byte header"
                    + " length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long n = lenBuf.getLong(0);
        if (n < 2 || n > MAX_HEADER) {
            throw new InteropException(file, "safetensors header length " + Long.toUnsignedString(n)
                    + " is impossible (it must be between 2 and " + MAX_HEADER + " bytes): corrupt file or not safetensors");
        }
        if (n > size - 8) {
            throw new InteropException(file, "safetensors header claims " + n + " bytes but the file has only "
                    + (size - 8) + " after the length: truncated or corrupt");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InteropException(file, "safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new InteropException(file, "safetensors header is not a JSON object");
        }
        long dataSize = size - 8 - n;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode t = f.getValue();
            if (name.equals("__metadata__")) {
                if (!t.isObject()) {
                    throw new InteropException(file, "__metadata__ is not a JSON object");
                }
                t.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(name, entry(file, name, t, dataSize));
        }
        return new Safetensors(file, ch, 8 + n, entries, Collections.unmodifiableMap(meta));
    }

    private static Entry entry(Path file, String name, JsonNode t, long dataSize) throws InteropException {
        String where = "tensor " + name + ": ";
        if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray()
                || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
            throw new InteropException(file, where + "header entry needs dtype, shape and data_offsets [begin, end]");
        }
        String dtype = t.get("dtype").asText();
        int elem = Floats.elementSize(dtype);
        if (elem < 0) {
            throw new InteropException(file, where + "unknown dtype " + dtype);
        }
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = shapeNode.get(i);
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new InteropException(file, where + "shape " + shapeNode + " has an entry that is not a non-negative"
                        + " integer");
            }
            shape[i] = s.asLong();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw new InteropException(file, where + "shape " + shapeNode + " overflows");
            }
        }
        JsonNode o = t.get("data_offsets");
        if (!o.get(0).isIntegralNumber() || !o.get(1).isIntegralNumber() || !o.get(0).canConvertToLong()
                || !o.get(1).canConvertToLong()) {
            throw new InteropException(file, where + "data_offsets " + o + " are not integers");
        }
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, elem);
        } catch (ArithmeticException e) {
            throw new InteropException(file, where + "size overflows");
        }
        if (begin < 0 || end < begin) {
            throw new InteropException(file, where + "data_offsets " + o + " are not an interval");
        }
        if (end - begin != bytes) {
            throw new InteropException(file, where + "data_offsets " + o + " span " + (end - begin) + " bytes, but "
                    + dtype + " " + shapeNode + " needs " + bytes);
        }
        if (end > dataSize) {
            throw new InteropException(file, where + "data_offsets " + o + " reach beyond the end of the file (its data"
                    + " block has " + dataSize + " bytes): truncated or corrupt");
        }
        return new Entry(new Info(name, dtype, shape), begin, end);
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new InteropException(file, "unexpected end of file at byte " + p);
            }
            p += r;
        }
        b.flip();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Map<String, Info> tensors() {
        return infos;
    }

    /** The header's {@code __metadata__} (transformers writes {@code {"format": "pt"}}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public float[] read(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new InteropException(file, "no tensor " + name);
        }
        if (!Floats.isFloat(e.info().dtype())) {
            throw new InteropException(file, "tensor " + name + " has dtype " + e.info().dtype()
                    + "; only F32, F16, BF16 and F64 weights can be imported");
        }
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new InteropException(file, "tensor " + name + " has " + bytes + " bytes, more than one array can hold");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, b, dataStart + e.begin());
        return Floats.decode(b, e.info().dtype(), Math.toIntExact(e.info().numel()));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ------------------------------------------------------------------ writing

    /** One tensor to write: shape and row-major values, stored as {@code dtype} (F32 or F16). */
    public record Tensor(long[] shape, float[] values, String dtype) {
        public Tensor(long[] shape, float[] values) {
            this(shape, values, "F32");
        }
    }

    /**
     * Writes tensors in the given order with {@code metadata} (transformers checks for
     * {@code {"format": "pt"}}). The header is padded with spaces to a multiple of 8 bytes.
     */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            int elem = Floats.elementSize(t.dtype());
            long numel = 1;
            for (long s : t.shape()) {
                numel *= s;
            }
            if (numel != t.values().length) {
                throw new IllegalArgumentException(e.getKey() + ": shape holds " + numel + " values, got "
                        + t.values().length);
            }
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", t.dtype());
            var shape = n.putArray("shape");
            for (long s : t.shape()) {
                shape.add(s);
            }
            var off = n.putArray("data_offsets");
            off.add(offset);
            offset += numel * elem;
            off.add(offset);
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
        out.write(len.array());
        out.write(h);
        for (int i = h.length; i < padded; i++) {
            out.write(' ');
        }
        for (Tensor t : tensors.values()) {
            float[] v = t.values();
            ByteBuffer b;
            switch (t.dtype()) {
                case "F32" -> {
                    b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                }
                case "F16" -> {
                    b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < v.length; i++) {
                        b.putShort(i * 2, Floats.floatToHalf(v[i]));
                    }
                }
                case "BF16" -> {
                    b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < v.length; i++) {
                        int bits = Float.floatToRawIntBits(v[i]);   // round to nearest even
                        b.putShort(i * 2, (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16));
                    }
                }
                default -> throw new IllegalArgumentException("cannot write dtype " + t.dtype());
            }
            out.write(b.array());
        }
    }
}
