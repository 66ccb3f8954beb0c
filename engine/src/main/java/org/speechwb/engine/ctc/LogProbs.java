package org.speechwb.engine.ctc;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Moves per-frame scores between the model's INDArrays and the plain Java matrices the decoders
 * and the aligner work on ({@code float[frames][classes]}, one utterance at a time).
 *
 * <p>The decoders run in Java rather than as ND4J ops because beam search is branchy, per-frame
 * work on a few dozen numbers: one bulk copy per utterance is far cheaper than an op call per
 * frame.
 */
public final class LogProbs {

    private LogProbs() {
    }

    /** Log-softmax over the last axis (classes), as a new C-ordered array of the same type. */
    public static INDArray logSoftmax(INDArray logits) {
        INDArray x = logits.ordering() == 'c' && !logits.isView() ? logits : logits.dup('c');
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.getExecutioner().exec((CustomOp) new LogSoftMax(x, out));
        return out;
    }

    /**
     * The first {@code frames} frames of utterance {@code b} of a {@code [B, T, C]} array (or of
     * a {@code [T, C]} array with {@code b = 0}), copied into a Java matrix.
     */
    public static float[][] utterance(INDArray scores, int b, int frames) {
        INDArray u;
        if (scores.rank() == 3) {
            u = scores.slice(b);
        } else if (scores.rank() == 2 && b == 0) {
            u = scores;
        } else {
            throw new IllegalArgumentException("expected [batch, frames, classes] or [frames, classes] scores, got rank "
                    + scores.rank() + " with utterance " + b);
        }
        if (frames < 0 || frames > u.size(0)) {
            throw new IllegalArgumentException("utterance " + b + ": length " + frames + " outside 0.." + u.size(0));
        }
        if (frames == 0) {
            return new float[0][];
        }
        // one bulk copy: per-frame getRow calls cost an op dispatch each
        return u.get(NDArrayIndex.interval(0, frames), NDArrayIndex.all()).dup('c').toFloatMatrix();
    }

    /** Like {@link #utterance}, then log-softmax per frame: use it on raw logits. */
    public static float[][] utteranceLogSoftmax(INDArray logits, int b, int frames) {
        float[][] m = utterance(logits, b, frames);
        logSoftmaxInPlace(m);
        return m;
    }

    /** Per-row log-softmax, accumulated in double precision. */
    public static void logSoftmaxInPlace(float[][] m) {
        for (float[] row : m) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : row) {
                sum += Math.exp(v - max);
            }
            double logZ = max + Math.log(sum);
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) (row[c] - logZ);
            }
        }
    }
}
