package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints come from strangers: hostile pickles, lying safetensors headers, truncated archives. */
class SafeReadersTest {

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ safetensors

    @Test
    void safetensorsRoundTripInEveryFloatType() throws IOException {
        float[] v = {0f, 1f, -2.5f, 0.1f, 65504f, 1e-6f};
        Map<String, Safetensors.Tensor> ts = new LinkedHashMap<>();
        ts.put("a", new Safetensors.Tensor(new long[] {2, 3}, v, "F32"));
        ts.put("b", new Safetensors.Tensor(new long[] {6}, v, "F16"));
        ts.put("c", new Safetensors.Tensor(new long[] {3, 2}, v, "BF16"));
        Path f = tmp.resolve("m.safetensors");
        try (OutputStream out = Files.newOutputStream(f)) {
            Safetensors.write(out, ts, Map.of("format", "pt"));
        }
        try (Safetensors s = Safetensors.open(f)) {
            assertThat(s.metadata()).containsEntry("format", "pt");
            assertThat(s.tensors().keySet()).containsExactly("a", "b", "c");
            assertThat(s.tensors().get("c").shape()).containsExactly(3, 2);
            assertThat(s.read("a")).containsExactly(v);
            float[] half = s.read("b");
            float[] bf = s.read("c");
            for (int i = 0; i < v.length; i++) {
                assertThat((double) half[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) * 1e-3 + 1e-7));
                assertThat((double) bf[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) * 8e-3 + 1e-7));
            }
        }
    }

    @Test
    void halfPrecisionDecodingIsExact() {
        assertThat(Floats.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Floats.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Floats.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Floats.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Floats.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        for (int h = 0; h < 0x7c00; h += 7) {
            assertThat(Floats.floatToHalf(Floats.halfToFloat((short) h))).isEqualTo((short) h);
        }
    }

    @Test
    void aHeaderLongerThanTheFileIsRefusedBeforeAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 50_000_000L);                      // claims a 50 MB header in a 16-byte file
        Path f = tmp.resolve("lying-length.safetensors");
        Files.write(f, b.array());
        assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(InteropException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("claims 50000000 bytes");
        b.putLong(0, Long.MAX_VALUE);
        Files.write(f, b.array());
        assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(InteropException.class)
                .hasMessageContaining("impossible");
    }

    @Test
    void aTensorBeyondTheEndOfTheFileIsRefusedBeforeAllocating() throws IOException {
        // a 1-element tensor whose header says it has 10^9 elements (4 GB) at the end of a tiny file
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}";
        Path f = tmp.resolve("lying-tensor.safetensors");
        Files.write(f, safetensorsBytes(json, new byte[4]));
        assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(InteropException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("tensor w")
                .hasMessageContaining("beyond the end of the file");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRefused() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}";
        Path f = tmp.resolve("short.safetensors");
        Files.write(f, safetensorsBytes(json, new byte[16]));
        assertThatThrownBy(() -> Safetensors.open(f)).hasMessageContaining("needs 16");
        String neg = "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}";
        Files.write(f, safetensorsBytes(neg, new byte[4]));
        assertThatThrownBy(() -> Safetensors.open(f)).hasMessageContaining("not a non-negative integer");
        String odd = "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Files.write(f, safetensorsBytes(odd, new byte[4]));
        assertThatThrownBy(() -> Safetensors.open(f)).hasMessageContaining("unknown dtype Q7");
        Files.write(f, safetensorsBytes("not json", new byte[0]));
        assertThatThrownBy(() -> Safetensors.open(f)).hasMessageContaining("not valid JSON");
    }

    static byte[] safetensorsBytes(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    // ------------------------------------------------------------------ pickles

    /** {@code os.system('echo pwned')} as pickle.dumps(..., protocol=2) writes it. */
    static byte[] hostilePickle() {
        Pickle p = new Pickle().proto(2).global("os", "system").unicode("echo pwned").op(0x85).op('R').op('.');
        return p.bytes();
    }

    @Test
    void aHostilePickleIsRefusedByName() {
        assertThatThrownBy(() -> SafeUnpickler.load(Path.of("evil.pkl"), hostilePickle()))
                .isInstanceOf(SafeUnpickler.UnsafePickleException.class)
                .hasMessageContaining("evil.pkl").hasMessageContaining("'os.system'");
        byte[] eval = new Pickle().proto(2).global("builtins", "eval").unicode("1+1").op(0x85).op('R').op('.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.load(Path.of("e.pkl"), eval)).hasMessageContaining("'builtins.eval'");
        // protocol 4 spells globals with STACK_GLOBAL
        byte[] p4 = new Pickle().proto(4).unicode("subprocess").unicode("Popen").op(0x93).unicode("ls").op(0x85)
                .op('R').op('.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.load(Path.of("p.pkl"), p4)).hasMessageContaining("'subprocess.Popen'");
        // a whitelisted data class cannot be called with REDUCE, nor a function built with NEWOBJ
        byte[] ns = new Pickle().proto(2).global("argparse", "Namespace").op(')').op('R').op('.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.load(Path.of("n.pkl"), ns)).hasMessageContaining("cannot be called");
    }

    @Test
    void aHostilePickleInsideATorchArchiveIsRefusedByNameBeforeAnythingElse() throws IOException {
        Path f = tmp.resolve("pytorch_model.bin");
        writeTorchZip(f, "archive", hostilePickle(), Map.of());
        assertThatThrownBy(() -> TorchZip.open(f)).isInstanceOf(InteropException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("'os.system'");
    }

    @Test
    void aStateDictIsReadFromATorchArchiveLazilyAndChecked() throws IOException {
        // OrderedDict([('w', _rebuild_tensor_v2(storage('0', FloatStorage, 6), 0, (2, 3), (3, 1), False, OrderedDict())),
        //              ('t', same storage, offset 0, size (3, 2), stride (1, 3))  — a transposed view)])
        Pickle p = new Pickle().proto(2).global("collections", "OrderedDict").op(')').op('R').op('(');
        p.unicode("w");
        tensor(p, "0", 6, 0, new long[] {2, 3}, new long[] {3, 1});
        p.unicode("t");
        tensor(p, "0", 6, 0, new long[] {3, 2}, new long[] {1, 3});
        p.op('u').op('.');
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            data.putFloat(i);
        }
        Path f = tmp.resolve("model.bin");
        writeTorchZip(f, "model", p.bytes(), Map.of("0", data.array()));
        try (TorchZip z = TorchZip.open(f); TensorSource ts = z.tensors((Map<?, ?>) z.root())) {
            assertThat(ts.tensors().keySet()).containsExactly("w", "t");
            assertThat(ts.read("w")).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(ts.read("t")).containsExactly(0, 3, 1, 4, 2, 5);
        }
        // the same pickle over a storage entry that is too short
        writeTorchZip(f, "model", p.bytes(), Map.of("0", new byte[8]));
        try (TorchZip z = TorchZip.open(f); TensorSource ts = z.tensors((Map<?, ?>) z.root())) {
            assertThatThrownBy(() -> ts.read("w")).hasMessageContaining("truncated or corrupt");
        }
        // a view reaching past its storage
        Pickle q = new Pickle().proto(2).global("collections", "OrderedDict").op(')').op('R').op('(');
        q.unicode("w");
        tensor(q, "0", 6, 4, new long[] {2, 3}, new long[] {3, 1});
        q.op('u').op('.');
        writeTorchZip(f, "model", q.bytes(), Map.of("0", data.array()));
        try (TorchZip z = TorchZip.open(f); TensorSource ts = z.tensors((Map<?, ?>) z.root())) {
            assertThatThrownBy(() -> ts.read("w")).hasMessageContaining("reaches element 9 of storage 0, which holds 6");
        }
    }

    @Test
    void truncatedAndForeignFilesGiveClearErrors() throws IOException {
        Path f = tmp.resolve("x.pt");
        Files.write(f, new byte[] {(byte) 0x80, 2, 'c'});
        assertThatThrownBy(() -> TorchZip.open(f)).hasMessageContaining("short");
        Files.write(f, new byte[] {(byte) 0x80, 2, 'c', 'x', 'y'});
        assertThatThrownBy(() -> TorchZip.open(f)).hasMessageContaining("legacy");
        Files.write(f, "hello world".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TorchZip.open(f)).hasMessageContaining("not a PyTorch checkpoint");
        byte[] truncated = new Pickle().proto(2).unicode("abc").bytes();
        assertThatThrownBy(() -> SafeUnpickler.load(f, truncated)).hasMessageContaining("truncated");
        byte[] longString = new Pickle().proto(2).op('X').int32(Integer.MAX_VALUE).op('.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.load(f, longString)).hasMessageContaining("runs past the end");
    }

    @Test
    void plainDataComesThrough() throws IOException {
        Pickle p = new Pickle().proto(2).op('}').op('(');
        p.unicode("lr").op('G').float64(0.5);
        p.unicode("n").op('K').op(7);
        p.unicode("big").op(0x8a).op(9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1});
        p.unicode("ok").op(0x88);
        p.unicode("none").op('N');
        p.unicode("list").op(']').op('(').op('K').op(1).op('K').op(2).op('e');
        p.op('u').op('.');
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) SafeUnpickler.load(Path.of("d.pkl"), p.bytes());
        assertThat(m).containsEntry("lr", 0.5).containsEntry("n", 7L).containsEntry("ok", true)
                .containsEntry("none", null).containsEntry("list", List.of(1L, 2L));
        assertThat(m.get("big")).isEqualTo(java.math.BigInteger.ONE.shiftLeft(64));
    }

    private static void tensor(Pickle p, String key, long numel, long offset, long[] size, long[] stride) {
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').unicode("storage").global("torch", "FloatStorage").unicode(key).unicode("cpu").op('J').int32((int) numel)
                .op('t').op('Q');
        p.op('J').int32((int) offset);
        p.op('(');
        for (long s : size) {
            p.op('J').int32((int) s);
        }
        p.op('t').op('(');
        for (long s : stride) {
            p.op('J').int32((int) s);
        }
        p.op('t').op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
    }

    static void writeTorchZip(Path f, String prefix, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        TorchSave.writeZip(f, prefix, pickle, storages);
    }

    /** A minimal pickle writer for hand-made test pickles. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int b) {
            out.write(b);
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Pickle proto(int v) {
            return op(0x80).op(v);
        }

        Pickle global(String module, String name) {
            return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return op('X').int32(b.length).raw(b);
        }

        Pickle int32(int v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Pickle float64(double v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
