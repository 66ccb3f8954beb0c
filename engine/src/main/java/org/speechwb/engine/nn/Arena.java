package org.speechwb.engine.nn;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named scratch buffers reused from one training step to the next.
 *
 * <p>Allocating fresh native arrays every step is what made the first SameDiff version slow
 * and its memory grow (see docs/engine.md): a new 26 MB array cost more than the arithmetic
 * done on it. Here every activation and gradient lives in a buffer that is allocated once,
 * grows to the largest shape seen (crop lengths vary per batch) and is handed out as a
 * C-ordered view of the requested shape. Contents are undefined unless {@link #zeros} is used.
 * A key must be unique per tensor that is alive at the same time.
 */
public final class Arena {

    private final DataType dtype;
    private final Map<String, DataBuffer> buffers = new HashMap<>();
    private long bytes;

    public Arena(DataType dtype) {
        this.dtype = dtype;
    }

    public DataType dtype() {
        return dtype;
    }

    public INDArray get(String key, long... shape) {
        return get(key, dtype, shape);
    }

    public INDArray get(String key, DataType type, long... shape) {
        long n = ParamStore.prod(shape);
        String k = type == dtype ? key : key + "#" + type;
        DataBuffer buf = buffers.get(k);
        if (buf == null || buf.length() < n) {
            if (buf != null) {
                bytes -= buf.length() * buf.getElementSize();
                buf.destroy();
            }
            // 10 % headroom so that slowly growing crop lengths do not reallocate every step
            long capacity = Math.max(n + n / 10, 1);
            buf = Nd4j.createBuffer(type, capacity, false);
            buffers.put(k, buf);
            bytes += capacity * buf.getElementSize();
        }
        return Nd4j.create(buf, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    public INDArray zeros(String key, long... shape) {
        INDArray a = get(key, shape);
        a.assign(0);
        return a;
    }

    private INDArray ones;

    /** A vector of {@code n} ones (kept filled; grows on demand). */
    public INDArray ones(long n) {
        if (ones == null || ones.length() < n) {
            ones = org.nd4j.linalg.factory.Nd4j.ones(dtype, Math.max(n + n / 10, 16));
        }
        return ones.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
    }

    /** Native bytes held, for memory reporting. */
    public long bytes() {
        return bytes;
    }

    /** The {@code top} largest buffers as "key: MB" lines, largest first, for memory profiles. */
    public java.util.List<String> largest(int top) {
        return buffers.entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByValue(
                        java.util.Comparator.comparingLong((DataBuffer b) -> b.length() * b.getElementSize()).reversed()))
                .limit(top)
                .map(e -> String.format(java.util.Locale.ROOT, "%-36s %8.1f MB", e.getKey(),
                        e.getValue().length() * e.getValue().getElementSize() / 1048576.0))
                .toList();
    }

    public void clear() {
        for (DataBuffer b : buffers.values()) {
            b.destroy();
        }
        buffers.clear();
        bytes = 0;
    }
}
