package org.speechwb.engine.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 2-D matrices of an array {@code [..., R, C]} (one per index of the leading dimensions),
 * built once and reused while the array keeps the same buffer, offset and shape.
 *
 * <p>Why: attention multiplies one small matrix pair per utterance and head, so a BASE update
 * makes about ten thousand such products. Each ND4J {@code slice()} builds a new view object
 * through native shape-info calls (about 50 µs on the development machine), which cost more than
 * many of the products themselves. Arena buffers keep their memory between updates, so the views
 * can be kept too; a new batch shape or a reallocated buffer rebuilds them.
 */
public final class MatrixViews {

    private DataBuffer data;
    private long offset = -1;
    private long[] shape;
    private long[] stride;
    private INDArray[] views;

    /** @return {@code views[i]} = matrix {@code i} in row-major order of the leading indices */
    public INDArray[] of(INDArray x) {
        DataBuffer root = root(x.data());
        if (views != null && root == data && x.offset() == offset && Arrays.equals(x.shape(), shape)
                && Arrays.equals(x.stride(), stride)) {
            return views;
        }
        int rank = x.rank();
        if (rank < 2) {
            throw new IllegalArgumentException("need at least 2 dimensions, got " + Arrays.toString(x.shape()));
        }
        long[] s = x.shape();
        long count = 1;
        for (int i = 0; i < rank - 2; i++) {
            count *= s[i];
        }
        INDArray[] out = new INDArray[Math.toIntExact(count)];
        fill(x, out, new int[] {0});
        data = root;
        offset = x.offset();
        shape = s.clone();
        stride = x.stride().clone();
        views = out;
        return out;
    }

    /** Views (slices, reshapes) get their own buffer object over the arena's; compare the arena's. */
    private static DataBuffer root(DataBuffer b) {
        DataBuffer r = b;
        while (r.originalDataBuffer() != null && r.originalDataBuffer() != r) {
            r = r.originalDataBuffer();
        }
        return r;
    }

    private static void fill(INDArray x, INDArray[] out, int[] next) {
        if (x.rank() == 2) {
            out[next[0]++] = x;
            return;
        }
        for (long i = 0; i < x.size(0); i++) {
            fill(x.slice(i), out, next);
        }
    }
}
