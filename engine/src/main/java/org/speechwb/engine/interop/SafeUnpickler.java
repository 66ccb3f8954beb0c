package org.speechwb.engine.interop;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Python pickle reader that never runs code: a small interpreter of the pickle opcodes
 * (protocols 0 to 5) whose only "globals" are a whitelist of names it knows how to turn into
 * plain data. Anything else (for example {@code os.system}, {@code builtins.eval},
 * {@code subprocess.Popen}) is refused by name at the opcode that names it, before any
 * argument is looked at.
 *
 * <p>What comes out: {@code null}, {@link Boolean}, {@link Long} / {@link BigInteger},
 * {@link Double}, {@link String}, {@code byte[]}, {@link List} (lists and tuples),
 * {@link LinkedHashMap} (dicts and {@code collections.OrderedDict}), {@link Set},
 * {@link TorchTensor} (from {@code torch._utils._rebuild_tensor_v2}), {@link PyObject} (an
 * argparse Namespace or an OmegaConf container / node: class name plus state, as data) and
 * {@link Global} (an inert reference to a whitelisted type such as {@code typing.Any}).
 *
 * <p>Whitelist: the torch rebuild functions ({@code _rebuild_tensor}, {@code _rebuild_tensor_v2},
 * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state}) and storage types,
 * {@code collections.OrderedDict}, {@code argparse.Namespace}, the OmegaConf containers, nodes and
 * metadata classes, {@code _codecs.encode} (how protocol 2 stores bytes), {@code copyreg._reconstructor}
 * for whitelisted classes, and numpy scalars ({@code numpy.core.multiarray.scalar} with
 * {@code numpy.dtype}), which fairseq's training state contains.
 */
public final class SafeUnpickler {

    /** A refused global or a malformed pickle. */
    public static final class UnsafePickleException extends InteropException {
        private static final long serialVersionUID = 1L;

        UnsafePickleException(Path file, String message) {
            super(file, message);
        }
    }

    /** An inert reference to a whitelisted Python global. */
    public record Global(String module, String name) {
        public String qualified() {
            return module + "." + name;
        }

        @Override
        public String toString() {
            return qualified();
        }
    }

    /** An instance of a whitelisted plain-data class: its class and the state BUILD gave it. */
    public static final class PyObject {
        private final String className;
        private final List<Object> args;
        private Object state;

        PyObject(String className, List<Object> args) {
            this.className = className;
            this.args = args;
        }

        public String className() {
            return className;
        }

        public List<Object> args() {
            return args;
        }

        public Object state() {
            return state;
        }

        @Override
        public String toString() {
            return className + "(" + state + ")";
        }
    }

    /** A storage in a PyTorch archive: {@code data/<key>} holding {@code numel} elements of {@code dtype}. */
    public record TorchStorage(String key, String dtype, long numel) {
    }

    /** A tensor view of a storage. */
    public record TorchTensor(TorchStorage storage, long offset, long[] size, long[] stride) {
        public long numel() {
            long n = 1;
            for (long s : size) {
                n *= s;
            }
            return n;
        }

        @Override
        public String toString() {
            return "tensor(" + storage.dtype() + Arrays.toString(size) + ")";
        }
    }

    /** A numpy dtype as far as scalars need it. */
    private static final class NumpyDtype {
        final String code;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        NumpyDtype(String code) {
            this.code = code;
        }
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private static final Map<String, String> STORAGE_TYPES = Map.ofEntries(
            Map.entry("FloatStorage", "F32"), Map.entry("HalfStorage", "F16"), Map.entry("BFloat16Storage", "BF16"),
            Map.entry("DoubleStorage", "F64"), Map.entry("LongStorage", "I64"), Map.entry("IntStorage", "I32"),
            Map.entry("ShortStorage", "I16"), Map.entry("CharStorage", "I8"), Map.entry("ByteStorage", "U8"),
            Map.entry("BoolStorage", "BOOL"));

    /** Functions REDUCE may call (each turned into data by {@link #call}). */
    private static final Set<String> CALLABLE = Set.of(
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "collections.OrderedDict", "collections.defaultdict",
            "_codecs.encode",
            "copyreg._reconstructor", "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar", "numpy.dtype",
            "builtins.set", "builtins.frozenset");

    /** Classes NEWOBJ / BUILD may instantiate as {@link PyObject}s (plain data, nothing runs). */
    private static final Set<String> DATA_CLASSES = Set.of(
            "argparse.Namespace",
            "omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig",
            "omegaconf.base.ContainerMetadata", "omegaconf.base.Metadata",
            "omegaconf.nodes.AnyNode", "omegaconf.nodes.StringNode", "omegaconf.nodes.IntegerNode",
            "omegaconf.nodes.FloatNode", "omegaconf.nodes.BooleanNode", "omegaconf.nodes.EnumNode",
            "omegaconf.nodes.BytesNode", "omegaconf.nodes.PathNode", "omegaconf.nodes.ValueNode");

    /** Globals that may only appear as values (type annotations in OmegaConf metadata, storage types). */
    private static final Set<String> MARKERS = Set.of(
            "typing.Any", "builtins.dict", "builtins.list", "builtins.tuple", "builtins.object", "builtins.str",
            "builtins.int", "builtins.float", "builtins.bool", "builtins.bytes", "builtins.long",
            "omegaconf.base.UnionNode");

    /** Whether {@code module.name} may appear in a pickle this reader accepts. */
    public static boolean allowed(String qualified) {
        if (CALLABLE.contains(qualified) || DATA_CLASSES.contains(qualified) || MARKERS.contains(qualified)) {
            return true;
        }
        return qualified.startsWith("torch.") && STORAGE_TYPES.containsKey(qualified.substring(6));
    }

    private final Path file;
    private final byte[] data;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, TorchStorage> storages = new HashMap<>();

    private SafeUnpickler(Path file, byte[] data) {
        this.file = file;
        this.data = data;
    }

    /** Unpickles {@code data} (named {@code file} in errors). */
    public static Object load(Path file, byte[] data) throws InteropException {
        SafeUnpickler u = new SafeUnpickler(file, data);
        try {
            return u.run();
        } catch (UnsafePickleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnsafePickleException(file, "malformed pickle at byte " + u.pos + ": " + e);
        }
    }

    private UnsafePickleException bad(String message) {
        return new UnsafePickleException(file, message);
    }

    private Object run() throws InteropException {
        while (true) {
            if (pos >= data.length) {
                throw bad("pickle ends without STOP (truncated)");
            }
            int op = data[pos++] & 0xff;
            switch (op) {
                case 0x80 -> pos++;                                         // PROTO
                case 0x95 -> {                                              // FRAME: transparent here
                    need(8, "FRAME");
                    pos += 8;
                }
                case '.' -> {                                               // STOP
                    if (stack.size() != 1) {
                        throw bad("pickle stops with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size());                        // MARK
                case '0' -> pop();                                          // POP
                case '1' -> popMark();                                      // POP_MARK
                case '2' -> push(peek());                                   // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) le(4).getInt());                    // BININT
                case 'K' -> push((long) (data[pos++] & 0xff));              // BININT1
                case 'M' -> push((long) (le(2).getShort() & 0xffff));       // BININT2
                case 0x8a -> push(longFrom(bytes(u8())));                    // LONG1
                case 0x8b -> push(longFrom(bytes(len32())));                 // LONG4
                case 'I' -> {                                               // INT (protocol 0)
                    String s = line();
                    push(s.equals("00") ? Boolean.FALSE : s.equals("01") ? Boolean.TRUE : (Object) Long.parseLong(s));
                }
                case 'L' -> {                                               // LONG (protocol 0)
                    String s = line();
                    push(normal(new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)));
                }
                case 'F' -> push(Double.parseDouble(line()));
                case 'G' -> {                                               // BINFLOAT
                    double d = need(8, "BINFLOAT").order(ByteOrder.BIG_ENDIAN).getDouble(pos);
                    pos += 8;
                    push(d);
                }
                case 'X' -> push(new String(bytes(len32()), StandardCharsets.UTF_8));     // BINUNICODE
                case 0x8c -> push(new String(bytes(u8()), StandardCharsets.UTF_8));       // SHORT_BINUNICODE
                case 0x8d -> push(new String(bytes(len64()), StandardCharsets.UTF_8));    // BINUNICODE8
                case 'V' -> push(rawUnicodeEscape(line()));                               // UNICODE
                case 'T' -> push(new String(bytes(len32()), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));    // SHORT_BINSTRING
                case 'S' -> push(pythonStringLiteral(line()));                             // STRING
                case 'B' -> push(bytes(len32()));                                          // BINBYTES
                case 'C' -> push(bytes(u8()));                                             // SHORT_BINBYTES
                case 0x8e, 0x96 -> push(bytes(len64()));                                   // BINBYTES8, BYTEARRAY8
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'a' -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case ')' -> push(tuple(List.of()));
                case 't' -> push(tuple(popMark()));
                case 0x85 -> push(tuple(List.of(pop())));
                case 0x86 -> {
                    Object b = pop();
                    Object a = pop();
                    push(tuple(Arrays.asList(a, b)));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(tuple(Arrays.asList(a, b, c)));
                }
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putPairs(m, items);
                    push(m);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    map(peek()).put(k, v);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putPairs(map(peek()), items);
                }
                case 0x8f -> push(new LinkedHashSet<>());
                case 0x90 -> {
                    List<Object> items = popMark();
                    Object s = peek();
                    if (!(s instanceof Set<?>)) {
                        throw bad("ADDITEMS on a " + typeName(s));
                    }
                    @SuppressWarnings("unchecked")
                    Set<Object> set = (Set<Object>) s;
                    set.addAll(items);
                }
                case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark())));
                case 'c' -> {                                               // GLOBAL
                    String module = line();
                    String name = line();
                    push(global(module, name));
                }
                case 0x93 -> {                                              // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'R' -> {                                               // REDUCE
                    Object args = pop();
                    Object fn = pop();
                    push(call(fn, args));
                }
                case 0x81 -> {                                              // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    push(instantiate(cls, args, "NEWOBJ"));
                }
                case 0x92 -> {                                              // NEWOBJ_EX
                    pop();
                    Object args = pop();
                    Object cls = pop();
                    push(instantiate(cls, args, "NEWOBJ_EX"));
                }
                case 'b' -> {                                               // BUILD
                    Object state = pop();
                    build(peek(), state);
                }
                case 'i' -> {                                               // INST
                    String module = line();
                    String name = line();
                    Global g = global(module, name);
                    push(instantiate(g, tuple(popMark()), "INST"));
                }
                case 'o' -> {                                               // OBJ
                    List<Object> items = popMark();
                    if (items.isEmpty()) {
                        throw bad("OBJ without a class");
                    }
                    push(instantiate(items.get(0), tuple(items.subList(1, items.size())), "OBJ"));
                }
                case 'p' -> memo.put(Long.parseLong(line()), peek());       // PUT
                case 'q' -> memo.put((long) (data[pos++] & 0xff), peek());  // BINPUT
                case 'r' -> memo.put(le(4).getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek());          // MEMOIZE
                case 'g' -> push(memoGet(Long.parseLong(line())));
                case 'h' -> push(memoGet(data[pos++] & 0xff));
                case 'j' -> push(memoGet(le(4).getInt() & 0xffffffffL));
                case 'P' -> push(persistent(line()));                       // PERSID
                case 'Q' -> push(persistent(pop()));                        // BINPERSID
                default -> throw bad(String.format("unsupported pickle opcode 0x%02x at byte %d", op, pos - 1));
            }
        }
    }

    // ------------------------------------------------------------------ globals and calls

    private Global global(String module, String name) throws UnsafePickleException {
        String q = module + "." + name;
        if (module.equals("__builtin__")) {
            q = "builtins." + name;                                         // protocol-0/2 spelling
        }
        if (!allowed(q)) {
            throw bad("refused to load global '" + q + "': only the torch tensor rebuild functions and storage types,"
                    + " collections.OrderedDict, argparse.Namespace, OmegaConf containers and numpy scalars are allowed"
                    + " in a checkpoint (this file may try to run code)");
        }
        int dot = q.lastIndexOf('.');
        return new Global(q.substring(0, dot), q.substring(dot + 1));
    }

    private Object call(Object fn, Object argsObj) throws InteropException {
        if (!(fn instanceof Global g)) {
            throw bad("REDUCE on a " + typeName(fn) + ", not a whitelisted function");
        }
        List<Object> args = list(argsObj);
        String q = g.qualified();
        switch (q) {
            case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" -> {
                if (args.size() < 4 || !(args.get(0) instanceof TorchStorage s)) {
                    throw bad(q + " expects (storage, offset, size, stride, …)");
                }
                long offset = asLong(args.get(1), "storage offset");
                long[] size = longs(args.get(2), "size");
                long[] stride = longs(args.get(3), "stride");
                if (size.length != stride.length) {
                    throw bad("tensor size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                            + " differ in rank");
                }
                return new TorchTensor(s, offset, size, stride);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (args.isEmpty() || !(args.get(0) instanceof TorchTensor t)) {
                    throw bad(q + " expects a tensor");
                }
                return t;
            }
            case "collections.OrderedDict" -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) != null) {
                    for (Object pair : list(args.get(0))) {
                        List<Object> kv = list(pair);
                        m.put(kv.get(0), kv.get(1));
                    }
                }
                return m;
            }
            case "collections.defaultdict" -> {
                // defaultdict(factory): the factory is a type marker (OmegaConf's resolver cache uses dict)
                if (!args.isEmpty() && args.get(0) != null && !(args.get(0) instanceof Global)) {
                    throw bad("collections.defaultdict with a " + typeName(args.get(0)) + " factory");
                }
                return new LinkedHashMap<>();
            }
            case "builtins.set", "builtins.frozenset" -> {
                return args.isEmpty() ? new LinkedHashSet<>() : new LinkedHashSet<>(list(args.get(0)));
            }
            case "_codecs.encode" -> {
                if (args.size() != 2 || !(args.get(0) instanceof String s) || !(args.get(1) instanceof String enc)) {
                    throw bad("_codecs.encode expects (str, encoding)");
                }
                if (enc.equalsIgnoreCase("latin1") || enc.equalsIgnoreCase("latin-1")) {
                    return s.getBytes(StandardCharsets.ISO_8859_1);
                }
                throw bad("_codecs.encode with encoding " + enc + " is not supported");
            }
            case "copyreg._reconstructor" -> {
                if (args.size() < 2) {
                    throw bad("copyreg._reconstructor expects (class, base, state)");
                }
                return instantiate(args.get(0), tuple(List.of()), "copyreg._reconstructor");
            }
            case "numpy.dtype" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String code)) {
                    throw bad("numpy.dtype expects a type code");
                }
                return new NumpyDtype(code);
            }
            case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar" -> {
                if (args.size() != 2 || !(args.get(0) instanceof NumpyDtype dt) || !(args.get(1) instanceof byte[] raw)) {
                    throw bad("numpy scalar expects (dtype, bytes)");
                }
                return numpyScalar(dt, raw);
            }
            default -> throw bad("'" + q + "' cannot be called here: it is data, not a function");
        }
    }

    private Object instantiate(Object cls, Object args, String how) throws UnsafePickleException {
        if (!(cls instanceof Global g) || !DATA_CLASSES.contains(g.qualified())) {
            throw bad(how + " of " + (cls instanceof Global g2 ? "'" + g2.qualified() + "'" : typeName(cls))
                    + " refused: only argparse.Namespace and OmegaConf containers are built from a checkpoint");
        }
        return new PyObject(g.qualified(), list(args));
    }

    private void build(Object target, Object state) throws UnsafePickleException {
        if (target instanceof PyObject o) {
            o.state = state;
        } else if (target instanceof NumpyDtype dt) {
            if (state instanceof List<?> l && l.size() > 1 && ">".equals(l.get(1))) {
                dt.order = ByteOrder.BIG_ENDIAN;
            }
        } else if (target instanceof Map<?, ?>) {
            // an OrderedDict's instance attributes (torch's state_dict _metadata): not needed
        } else if (target instanceof TorchTensor) {
            // tensor attributes (e.g. requires_grad hooks) carry no values
        } else {
            throw bad("BUILD on a " + typeName(target) + " refused");
        }
    }

    private Object numpyScalar(NumpyDtype dt, byte[] raw) throws UnsafePickleException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(dt.order);
        String c = dt.code;
        try {
            return switch (c) {
                case "f8" -> b.getDouble(0);
                case "f4" -> (double) b.getFloat(0);
                case "f2" -> (double) Floats.halfToFloat(b.getShort(0));
                case "i8", "u8" -> b.getLong(0);
                case "i4" -> (long) b.getInt(0);
                case "u4" -> b.getInt(0) & 0xffffffffL;
                case "i2" -> (long) b.getShort(0);
                case "u2" -> (long) (b.getShort(0) & 0xffff);
                case "i1" -> (long) b.get(0);
                case "u1" -> (long) (b.get(0) & 0xff);
                case "b1" -> b.get(0) != 0;
                default -> throw bad("numpy scalar of type " + c + " is not supported");
            };
        } catch (IndexOutOfBoundsException e) {
            throw bad("numpy scalar of type " + c + " has only " + raw.length + " bytes");
        }
    }

    private Object persistent(Object pid) throws UnsafePickleException {
        List<Object> t = list(pid);
        if (t.size() != 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global type)
                || !(t.get(2) instanceof String key)) {
            throw bad("persistent id " + pid + " is not a torch storage reference");
        }
        String dtype = type.module().equals("torch") ? STORAGE_TYPES.get(type.name()) : null;
        if (dtype == null) {
            throw bad("storage type " + type.qualified() + " is not supported");
        }
        long numel = asLong(t.get(4), "storage size");
        if (numel < 0) {
            throw bad("storage " + key + " has negative size " + numel);
        }
        TorchStorage s = storages.computeIfAbsent(key, k -> new TorchStorage(k, dtype, numel));
        if (!s.dtype().equals(dtype) || s.numel() != numel) {
            throw bad("storage " + key + " is referenced with two different types or sizes");
        }
        return s;
    }

    // ------------------------------------------------------------------ stack and bytes

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws UnsafePickleException {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw bad("stack underflow at byte " + pos);
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws UnsafePickleException {
        if (stack.isEmpty()) {
            throw bad("stack underflow at byte " + pos);
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws UnsafePickleException {
        if (marks.isEmpty()) {
            throw bad("no MARK on the stack at byte " + pos);
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) throws UnsafePickleException {
        if (!memo.containsKey(key)) {
            throw bad("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private ByteBuffer need(int n, String what) throws UnsafePickleException {
        if (n < 0 || pos + (long) n > data.length) {
            throw bad(what + " needs " + n + " bytes at byte " + pos + " but the pickle ends at " + data.length);
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer le(int n) throws UnsafePickleException {
        ByteBuffer b = need(n, "integer").position(pos);
        pos += n;
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private int u8() throws UnsafePickleException {
        need(1, "length");
        return data[pos++] & 0xff;
    }

    private long len32() throws UnsafePickleException {
        return le(4).getInt() & 0xffffffffL;
    }

    private long len64() throws UnsafePickleException {
        long n = le(8).getLong();
        if (n < 0) {
            throw bad("negative length");
        }
        return n;
    }

    /** {@code n} bytes from the pickle; a length beyond its end is an error, never an allocation. */
    private byte[] bytes(long n) throws UnsafePickleException {
        if (n > data.length - pos) {
            throw bad("a value of " + n + " bytes at byte " + pos + " runs past the end of the pickle ("
                    + data.length + " bytes): truncated or corrupt");
        }
        byte[] out = Arrays.copyOfRange(data, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    private String line() throws UnsafePickleException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw bad("unterminated line at byte " + start);
        }
        String s = new String(data, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return normal(new BigInteger(be));
    }

    private static Object normal(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 5 < s.length() + 0 && s.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private String pythonStringLiteral(String s) throws UnsafePickleException {
        if (s.length() < 2 || (s.charAt(0) != '\'' && s.charAt(0) != '"') || s.charAt(s.length() - 1) != s.charAt(0)) {
            throw bad("STRING value is not quoted");
        }
        return s.substring(1, s.length() - 1);
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private void putPairs(Map<Object, Object> m, List<Object> items) throws UnsafePickleException {
        if (items.size() % 2 != 0) {
            throw bad("odd number of dict items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            m.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws UnsafePickleException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad("expected a list or tuple, found " + typeName(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) throws UnsafePickleException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw bad("expected a dict, found " + typeName(o));
    }

    private long asLong(Object o, String what) throws UnsafePickleException {
        if (o instanceof Long l) {
            return l;
        }
        throw bad(what + " is not an integer: " + o);
    }

    private long[] longs(Object o, String what) throws UnsafePickleException {
        List<Object> l = list(o);
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(l.get(i), what);
        }
        return out;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof Global g ? "global " + g.qualified() : o.getClass().getSimpleName();
    }
}
