package org.speechwb.engine.interop;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.speechwb.engine.interop.SafeUnpickler.TorchStorage;
import org.speechwb.engine.interop.SafeUnpickler.TorchTensor;

/**
 * A file written by {@code torch.save} (PyTorch 1.6 and later: a ZIP archive), such as
 * transformers' {@code pytorch_model.bin} or a fairseq {@code .pt}: {@code <prefix>/data.pkl}
 * (the object, unpickled by {@link SafeUnpickler}, never by running code), {@code <prefix>/data/<key>}
 * (raw storages, read only when a tensor is asked for) and {@code <prefix>/byteorder}.
 *
 * <p>Storages are not loaded with the pickle: a fairseq checkpoint's optimizer state (about twice
 * the model) is never read. Every tensor's extent is checked against its storage, and each
 * storage against its archive entry, before anything is allocated.
 */
public final class TorchZip implements AutoCloseable {

    /** The largest pickle accepted (the object graph without tensor data; a fairseq one is ~100 kB). */
    static final long MAX_PICKLE = 256L << 20;

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Object root;

    private TorchZip(Path file, ZipFile zip, String prefix, ByteOrder order, Object root) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
        this.root = root;
    }

    public static TorchZip open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InteropException(file, "no such file");
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n < 4) {
                throw new InteropException(file, "file is too short to be a PyTorch checkpoint (" + n + " bytes)");
            }
        }
        if (!(magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4)) {
            if ((magic[0] & 0xff) == 0x80) {
                throw new InteropException(file, "this is a legacy (pre-1.6, non-ZIP) PyTorch file, which is not"
                        + " supported; re-save it with a current torch.save");
            }
            throw new InteropException(file, "not a PyTorch checkpoint (a ZIP archive written by torch.save)");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InteropException(file, "corrupt or truncated archive (" + e.getMessage() + ")", e);
        }
        try {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String name = en.nextElement().getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9) {
                    prefix = name.substring(0, name.length() - 8);
                    break;
                }
            }
            if (prefix == null) {
                throw new InteropException(file, "archive has no <prefix>/data.pkl: not written by torch.save");
            }
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (bo != null) {
                String s = new String(readEntry(file, zip, bo, 16), StandardCharsets.US_ASCII).trim();
                if (s.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!s.equals("little")) {
                    throw new InteropException(file, "unknown byteorder '" + s + "'");
                }
            }
            byte[] pkl = readEntry(file, zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE);
            Object root = SafeUnpickler.load(file, pkl);
            return new TorchZip(file, zip, prefix, order, root);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, long limit) throws IOException {
        if (e.getSize() > limit) {
            throw new InteropException(file, e.getName() + " has " + e.getSize() + " bytes, more than the " + limit
                    + " accepted");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(limit, e.getSize() < 0 ? limit : e.getSize()));
            if (e.getSize() >= 0 && b.length != e.getSize()) {
                throw new InteropException(file, e.getName() + " is truncated");
            }
            return b;
        } catch (ZipException ex) {
            throw new InteropException(file, "corrupt archive entry " + e.getName() + " (" + ex.getMessage() + ")", ex);
        }
    }

    public Path file() {
        return file;
    }

    /** The unpickled object (a dict for state dicts and fairseq checkpoints). */
    public Object root() {
        return root;
    }

    /**
     * The tensors of {@code stateDict} (string keys to tensors; other entries are ignored) as a
     * {@link TensorSource} reading from this archive. Closing it does not close the archive.
     */
    public TensorSource tensors(Map<?, ?> stateDict) {
        Map<String, TorchTensor> ts = new LinkedHashMap<>();
        Map<String, TensorSource.Info> infos = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : stateDict.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof TorchTensor t) {
                ts.put(k, t);
                infos.put(k, new TensorSource.Info(k, t.storage().dtype(), t.size().clone()));
            }
        }
        Map<String, TensorSource.Info> view = Collections.unmodifiableMap(infos);
        return new TensorSource() {
            @Override
            public Path file() {
                return file;
            }

            @Override
            public Map<String, Info> tensors() {
                return view;
            }

            @Override
            public float[] read(String name) throws IOException {
                TorchTensor t = ts.get(name);
                if (t == null) {
                    throw new InteropException(file, "no tensor " + name);
                }
                return TorchZip.this.read(name, t);
            }

            @Override
            public void close() {
            }
        };
    }

    /** A tensor's values, row-major float32; its extent is checked against the storage first. */
    public float[] read(String name, TorchTensor t) throws IOException {
        TorchStorage s = t.storage();
        String dtype = s.dtype();
        if (!Floats.isFloat(dtype)) {
            throw new InteropException(file, "tensor " + name + " is stored as " + dtype
                    + "; only float32, float16, bfloat16 and float64 weights can be imported");
        }
        long numel = t.numel();
        long maxIndex = t.offset();
        for (int i = 0; i < t.size().length; i++) {
            if (t.size()[i] < 0 || t.stride()[i] < 0) {
                throw new InteropException(file, "tensor " + name + " has a negative size or stride");
            }
            if (t.size()[i] > 0) {
                maxIndex += (t.size()[i] - 1) * t.stride()[i];
            }
        }
        if (numel > 0 && (t.offset() < 0 || maxIndex >= s.numel())) {
            throw new InteropException(file, "tensor " + name + " reaches element " + maxIndex + " of storage "
                    + s.key() + ", which holds " + s.numel() + ": corrupt checkpoint");
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw new InteropException(file, "tensor " + name + " has " + numel + " elements, more than one array holds");
        }
        int elem = Floats.elementSize(dtype);
        ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
        if (e == null) {
            throw new InteropException(file, "storage data/" + s.key() + " of tensor " + name + " is missing");
        }
        if (e.getSize() >= 0 && e.getSize() < s.numel() * elem) {
            throw new InteropException(file, "storage data/" + s.key() + " has " + e.getSize() + " bytes but declares "
                    + s.numel() + " elements of " + elem + " bytes: truncated or corrupt");
        }
        if (numel == 0) {
            return new float[0];
        }
        boolean contiguous = true;
        long expect = 1;
        for (int i = t.size().length - 1; i >= 0; i--) {
            if (t.size()[i] != 1 && t.stride()[i] != expect) {
                contiguous = false;
            }
            expect *= t.size()[i];
        }
        long first = contiguous ? t.offset() : 0;
        long count = contiguous ? numel : maxIndex + 1;
        if (count * elem > Integer.MAX_VALUE - 8) {
            throw new InteropException(file, "tensor " + name + " spans more than one array holds");
        }
        byte[] raw = new byte[(int) (count * elem)];
        try (InputStream in = zip.getInputStream(e)) {
            in.skipNBytes(first * elem);
            new DataInputStream(in).readFully(raw);
        } catch (EOFException ex) {
            throw new InteropException(file, "storage data/" + s.key() + " ends early (tensor " + name + ")", ex);
        } catch (ZipException ex) {
            throw new InteropException(file, "corrupt storage data/" + s.key() + " (" + ex.getMessage() + ")", ex);
        }
        float[] all = Floats.decode(ByteBuffer.wrap(raw).order(order), dtype, (int) count);
        if (contiguous) {
            return all;
        }
        float[] out = new float[(int) numel];
        int rank = t.size().length;
        long[] idx = new long[rank];
        for (int k = 0; k < out.length; k++) {
            long src = t.offset();
            for (int i = 0; i < rank; i++) {
                src += idx[i] * t.stride()[i];
            }
            out[k] = all[(int) src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < t.size()[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
