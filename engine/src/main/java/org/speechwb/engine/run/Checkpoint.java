package org.speechwb.engine.run;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Param;

/**
 * A training checkpoint: model weights, Adam moments and step counts, the position of the
 * next batch, the seed, and the full config and provenance of the run, so a checkpoint is
 * self-describing. Stored as a ZIP: {@code meta.json}, {@code params.bin},
 * {@code adam_m.bin}, {@code adam_v.bin} (little-endian floats, parameters in model order).
 * ZIP CRCs and the SHA-256 of the weights recorded in the metadata detect corruption.
 */
public final class Checkpoint {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Shape of one stored tensor. */
    public record TensorInfo(String name, long[] shape) {
    }

    /** The checkpoint's header. */
    public record Meta(int format, String family, int update, int nextEpoch, int nextBatch, long seed, String dtype,
                       List<TensorInfo> tensors, long[] adamSteps, String paramsSha256, String createdAt,
                       String config, String provenance, List<String> vocabulary) {
    }

    /** A checkpoint read back into host arrays. */
    public record Loaded(Path file, Meta meta, List<INDArray> params, List<INDArray> firstMoments,
                         List<INDArray> secondMoments) {
    }

    private Checkpoint() {
    }

    public static void write(Path file, Meta meta, List<Param> params, List<INDArray> m, List<INDArray> v)
            throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(0); // weights do not compress; speed matters more
            MessageDigest sha = sha256();
            zip.putNextEntry(new ZipEntry("params.bin"));
            DigestOutputStream digest = new DigestOutputStream(nonClosing(zip), sha);
            for (Param p : params) {
                writeTensor(digest, p.value());
            }
            digest.flush();
            zip.closeEntry();
            writeEntry(zip, "adam_m.bin", m);
            writeEntry(zip, "adam_v.bin", v);
            Meta withSha = new Meta(meta.format(), meta.family(), meta.update(), meta.nextEpoch(), meta.nextBatch(),
                    meta.seed(), meta.dtype(), meta.tensors(), meta.adamSteps(), HexFormat.of().formatHex(sha.digest()),
                    meta.createdAt(), meta.config(), meta.provenance(), meta.vocabulary());
            zip.putNextEntry(new ZipEntry("meta.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(withSha));
            zip.closeEntry();
            zip.finish();
        });
    }

    /**
     * Writes a checkpoint of {@code params} with zero Adam moments, streamed (the moments are never
     * allocated): a starting point such as an imported model, whose optimiser has not run yet.
     */
    public static void writeFresh(Path file, Meta meta, List<Param> params) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(0);
            MessageDigest sha = sha256();
            zip.putNextEntry(new ZipEntry("params.bin"));
            DigestOutputStream digest = new DigestOutputStream(nonClosing(zip), sha);
            for (Param p : params) {
                writeTensor(digest, p.value());
            }
            digest.flush();
            zip.closeEntry();
            for (String name : new String[] {"adam_m.bin", "adam_v.bin"}) {
                zip.putNextEntry(new ZipEntry(name));
                byte[] zeros = new byte[1 << 16];
                for (Param p : params) {
                    long bytes = p.value().length() * (p.value().dataType() == DataType.DOUBLE ? 8L : 4L);
                    for (long left = bytes; left > 0; left -= zeros.length) {
                        zip.write(zeros, 0, (int) Math.min(zeros.length, left));
                    }
                }
                zip.closeEntry();
            }
            Meta withSha = new Meta(meta.format(), meta.family(), meta.update(), meta.nextEpoch(), meta.nextBatch(),
                    meta.seed(), meta.dtype(), meta.tensors(), meta.adamSteps(), HexFormat.of().formatHex(sha.digest()),
                    meta.createdAt(), meta.config(), meta.provenance(), meta.vocabulary());
            zip.putNextEntry(new ZipEntry("meta.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(withSha));
            zip.closeEntry();
            zip.finish();
        });
    }

    private static void writeEntry(ZipOutputStream zip, String name, List<INDArray> tensors) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream o = nonClosing(zip);
        for (INDArray t : tensors) {
            writeTensor(o, t);
        }
        zip.closeEntry();
    }

    private static void writeTensor(OutputStream out, INDArray t) throws IOException {
        if (t.dataType() == DataType.DOUBLE) {
            double[] d = t.dup('c').data().asDouble();
            ByteBuffer b = ByteBuffer.allocate(d.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(d);
            out.write(b.array());
        } else {
            float[] f = t.castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(f);
            out.write(b.array());
        }
    }

    /** Reads only the header (fast: used to list checkpoints and to check compatibility). */
    public static Meta readMeta(Path file) throws CheckpointException {
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("meta.json")) {
                    return JSON.readValue(zip.readAllBytes(), Meta.class);
                }
            }
            throw new CheckpointException(file, "no meta.json: not a workbench checkpoint or truncated", null);
        } catch (ZipException e) {
            throw new CheckpointException(file, "corrupt checkpoint (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    public static Loaded read(Path file) throws CheckpointException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no such checkpoint file", null);
        }
        Meta meta = readMeta(file);
        if (meta.format() != FORMAT) {
            throw new CheckpointException(file, "checkpoint format " + meta.format() + " is not supported (expected "
                    + FORMAT + ")", null);
        }
        DataType dtype = DataType.valueOf(meta.dtype());
        int bytes = dtype == DataType.DOUBLE ? 8 : 4;
        List<INDArray> params = null;
        List<INDArray> m = null;
        List<INDArray> v = null;
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                switch (e.getName()) {
                    case "params.bin" -> {
                        MessageDigest sha = sha256();
                        params = readTensors(file, new java.security.DigestInputStream(zip, sha), meta, dtype, bytes);
                        String actual = HexFormat.of().formatHex(sha.digest());
                        if (!actual.equals(meta.paramsSha256())) {
                            throw new CheckpointException(file, "weights do not match their recorded SHA-256: the file is"
                                    + " corrupt", null);
                        }
                    }
                    case "adam_m.bin" -> m = readTensors(file, zip, meta, dtype, bytes);
                    case "adam_v.bin" -> v = readTensors(file, zip, meta, dtype, bytes);
                    default -> { }
                }
            }
        } catch (ZipException | EOFException e) {
            throw new CheckpointException(file, "corrupt checkpoint (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read checkpoint: " + e.getMessage(), e);
        }
        if (params == null || m == null || v == null) {
            throw new CheckpointException(file, "checkpoint is incomplete (missing weights or optimizer state)", null);
        }
        return new Loaded(file, meta, params, m, v);
    }

    private static List<INDArray> readTensors(Path file, InputStream in, Meta meta, DataType dtype, int bytes)
            throws IOException, CheckpointException {
        DataInputStream data = new DataInputStream(in);
        List<INDArray> out = new ArrayList<>();
        for (TensorInfo t : meta.tensors()) {
            long n = 1;
            for (long s : t.shape()) {
                n *= s;
            }
            byte[] raw = new byte[Math.toIntExact(n * bytes)];
            try {
                data.readFully(raw);
            } catch (EOFException e) {
                throw new CheckpointException(file, "checkpoint ends inside tensor " + t.name(), e);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            if (dtype == DataType.DOUBLE) {
                double[] d = new double[(int) n];
                b.asDoubleBuffer().get(d);
                out.add(Nd4j.create(d, t.shape(), DataType.DOUBLE));
            } else {
                float[] f = new float[(int) n];
                b.asFloatBuffer().get(f);
                out.add(Nd4j.create(f, t.shape(), 'c'));
            }
        }
        if (data.read() != -1) {
            throw new CheckpointException(file, "checkpoint holds more data than its header describes", null);
        }
        return out;
    }

    /** Copies checkpoint weights into the model's parameters after checking names and shapes. */
    public static void restoreParams(Loaded ckpt, List<Param> params) throws CheckpointException {
        List<TensorInfo> stored = ckpt.meta().tensors();
        if (stored.size() != params.size()) {
            throw new CheckpointException(ckpt.file(), "checkpoint has " + stored.size() + " tensors, the model "
                    + params.size() + ": it was made for a different architecture", null);
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            TensorInfo t = stored.get(i);
            if (!t.name().equals(p.name()) || !java.util.Arrays.equals(t.shape(), p.value().shape())) {
                throw new CheckpointException(ckpt.file(), "tensor " + i + " is " + t.name() + " "
                        + java.util.Arrays.toString(t.shape()) + " but the model expects " + p.name() + " "
                        + java.util.Arrays.toString(p.value().shape()) + ": different architecture", null);
            }
            p.value().assign(ckpt.params().get(i));
        }
    }

    public static List<TensorInfo> describe(List<Param> params) {
        List<TensorInfo> out = new ArrayList<>();
        for (Param p : params) {
            out.add(new TensorInfo(p.name(), p.value().shape()));
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

}
