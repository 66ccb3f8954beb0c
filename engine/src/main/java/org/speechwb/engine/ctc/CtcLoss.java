package org.speechwb.engine.ctc;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Connectionist temporal classification loss (Graves et al., 2006) for a batch of utterances:
 * the negative natural log-likelihood of each label sequence given per-frame logits, and its
 * gradient with respect to the logits.
 *
 * <p>Computed by libnd4j's native {@code ctc_loss} / {@code ctc_loss_grad} kernels (SameDiff's
 * wrapper is broken in ND4J 1.0.0-M2.1, issue #9826), called on plain INDArrays as the
 * engine's hand-written modules are. The kernels want LOG-probabilities, so {@link #forward}
 * applies a log-softmax over the classes first; {@code ctc_loss_grad} then returns
 * {@code softmax(logits) − γ} per frame (γ = posterior occupancy of each class), which is the
 * gradient with respect to the logits <em>through</em> the log-softmax: no further chain rule is
 * needed.
 *
 * <p>What the kernels get wrong or leave out, this class handles in Java:
 * <ul>
 *   <li>a label sequence longer than the input is silently TRUNCATED by the kernel (a finite,
 *       meaningless loss). Here an utterance whose input has fewer frames than its labels need
 *       (length plus one per pair of equal neighbours, which must be separated by a blank) is
 *       flagged infeasible: loss {@code +∞}, zero gradient;</li>
 *   <li>an empty label sequence gets {@code −∞} from the kernel; here it gets its true loss
 *       {@code −Σ_t log p(blank)};</li>
 *   <li>gradient rows of padded frames (beyond an utterance's input length) are left untouched by
 *       the kernel; here they are zero;</li>
 *   <li>the kernel silently replaces a blank index larger than the padded label width by
 *       width − 1; the label matrix is padded to at least the blank index, so any blank works.</li>
 * </ul>
 * A trainer should use {@link CtcLossOutput#usable(int)} to skip utterances (fairseq's
 * {@code zero_infinity}); {@link CtcLossOutput#mean()} and {@link CtcLossOutput#gradientOfMean()}
 * already leave them out.
 *
 * <p>The kernels always run in double precision, whatever the logits' type; the gradient comes
 * back in the logits' type. In float32, {@code ctc_loss_grad} returns NaN for some utterances
 * once a model is confident (finite logits and a finite loss, NaN gradient; log-probabilities
 * around −100 and below, where exp underflows in float32, are enough): a small acoustic
 * model on log-mel hit it within 150 updates on the bundled corpus, and training then stalls
 * because every such batch has to be skipped. Double precision costs little next to the model:
 * the tensor is only frames × vocabulary.
 */
public final class CtcLoss {

    /**
     * Log-probabilities are raised to at least this before the kernels see them. libnd4j's
     * {@code ctc_loss_grad} returns NaN for an utterance with a finite loss as soon as one
     * log-probability is below about −745 (exp underflows in double precision), and a confident
     * small acoustic model reaches that: logits of ±700 after a few hundred updates at lr 3e-3 on
     * 10 labeled minutes, after which 300–1,400 of its 2,000 updates were skipped. A class with
     * probability e^−600 (10^−261) contributes nothing next to any path a model would choose, so
     * the floor changes a loss only when the labels' best path itself runs through such classes
     * (tens of thousands of nats: 55,349 became 55,322 in the test's case); where the kernels
     * returned +∞ (every path below e^−745) the loss is now finite and the utterance trains.
     */
    static final double LOG_PROB_FLOOR = -600;

    private final int blank;

    /** CTC with the blank at index 0, the wav2vec 2.0 / fairseq convention. */
    public CtcLoss() {
        this(0);
    }

    public CtcLoss(int blank) {
        if (blank < 0) {
            throw new IllegalArgumentException("blank index must be >= 0, got " + blank);
        }
        this.blank = blank;
    }

    public int blank() {
        return blank;
    }

    /**
     * Frames an alignment of {@code labels} needs: one per label, plus one blank between each
     * pair of equal neighbours (CTC would otherwise merge them).
     */
    public static int requiredFrames(int[] labels) {
        int n = labels.length;
        for (int i = 1; i < labels.length; i++) {
            if (labels[i] == labels[i - 1]) {
                n++;
            }
        }
        return n;
    }

    /**
     * Per-utterance losses.
     *
     * @param logits       {@code [B, T, C]} unnormalised scores (the output of the model's head),
     *                     FLOAT or DOUBLE; frames at or beyond an utterance's length are ignored
     * @param inputLengths valid frames per utterance, each in {@code 0..T}
     * @param labels       one label sequence per utterance (token ids in {@code 0..C-1}, never the blank)
     */
    public CtcLossOutput forward(INDArray logits, int[] inputLengths, int[][] labels) {
        validate(logits, inputLengths, labels);
        int batch = (int) logits.size(0);
        INDArray logProbs = LogProbs.logSoftmax(logits.dataType() == DataType.DOUBLE ? logits
                : logits.castTo(DataType.DOUBLE));
        // the kernels' gradient is NaN once a log-probability falls below about −745, where exp
        // underflows in double, even though the loss is finite: see LOG_PROB_FLOOR. Not Transforms.max,
        // which would turn a NaN (a broken model) into the floor and hide it
        BooleanIndexing.replaceWhere(logProbs, LOG_PROB_FLOOR, Conditions.lessThan(LOG_PROB_FLOOR));

        int[] required = new int[batch];
        boolean[] feasible = new boolean[batch];
        // the kernel replaces a blank index greater than the label matrix's width by width − 1
        // (it means the class count), so the matrix is padded to at least the blank index
        int maxLabel = Math.max(1, blank);
        for (int b = 0; b < batch; b++) {
            required[b] = requiredFrames(labels[b]);
            feasible[b] = required[b] <= inputLengths[b];
            maxLabel = Math.max(maxLabel, labels[b].length);
        }
        // the kernel skips rows whose label length is 0: used for empty and infeasible utterances,
        // which are computed (or flagged) here instead
        int[][] padded = new int[batch][maxLabel];
        int[] nativeLabelLengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(labels[b], 0, padded[b], 0, labels[b].length);
            nativeLabelLengths[b] = feasible[b] ? labels[b].length : 0;
        }
        NativeInputs in = new NativeInputs(Nd4j.createFromArray(padded), logProbs,
                Nd4j.createFromArray(nativeLabelLengths), Nd4j.createFromArray(inputLengths.clone()), logits.dataType());

        INDArray nativeLosses = Nd4j.create(logProbs.dataType(), batch);
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder("ctc_loss")
                .addInputs(in.labels, in.logProbs, in.labelLengths, in.inputLengths)
                .addIntegerArguments(blank)
                .addOutputs(nativeLosses)
                .build());

        double[] losses = new double[batch];
        for (int b = 0; b < batch; b++) {
            if (!feasible[b]) {
                losses[b] = Double.POSITIVE_INFINITY;
            } else if (labels[b].length == 0) {
                losses[b] = blankOnlyLoss(logProbs, b, inputLengths[b]);
            } else {
                losses[b] = nativeLosses.getDouble(b);
            }
        }
        return new CtcLossOutput(this, in, labels, inputLengths.clone(), losses, feasible, required);
    }

    /** {@code −Σ_{t<T} log p(blank | t)}: the only path for an empty label sequence. */
    private double blankOnlyLoss(INDArray logProbs, int b, int frames) {
        double sum = 0;
        for (int t = 0; t < frames; t++) {
            sum -= logProbs.getDouble(b, t, blank);
        }
        return sum;
    }

    /** Gradient of Σ_b w_b·loss_b with respect to the logits; called by {@link CtcLossOutput}. */
    INDArray gradient(CtcLossOutput out, double[] weights) {
        NativeInputs in = out.nativeInputs();
        INDArray logProbs = in.logProbs;
        INDArray grad = Nd4j.create(logProbs.dataType(), logProbs.shape());
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder("ctc_loss_grad")
                .addInputs(in.labels, in.logProbs, in.labelLengths, in.inputLengths)
                .addIntegerArguments(blank)
                .addOutputs(grad)
                .build());
        int batch = (int) logProbs.size(0);
        long frames = logProbs.size(1);
        for (int b = 0; b < batch; b++) {
            int len = out.inputLength(b);
            INDArray row = grad.slice(b);
            boolean keep = out.usable(b) && weights[b] != 0;
            if (!keep) {
                row.assign(0);
                continue;
            }
            if (out.labelLength(b) == 0 && len > 0) {
                // softmax − one-hot(blank) on every valid frame
                INDArray valid = row.get(NDArrayIndex.interval(0, len), NDArrayIndex.all());
                valid.assign(Transforms.exp(logProbs.slice(b).get(NDArrayIndex.interval(0, len), NDArrayIndex.all()), true));
                valid.getColumn(blank).subi(1.0);
            }
            if (len < frames) {
                row.get(NDArrayIndex.interval(len, frames), NDArrayIndex.all()).assign(0);
            }
            if (weights[b] != 1.0) {
                row.muli(weights[b]);
            }
        }
        return grad.dataType() == in.logitsType ? grad : grad.castTo(in.logitsType);
    }

    private void validate(INDArray logits, int[] inputLengths, int[][] labels) {
        if (logits.rank() != 3) {
            throw new IllegalArgumentException("logits must be [batch, frames, classes], got shape "
                    + Arrays.toString(logits.shape()));
        }
        if (logits.dataType() != DataType.FLOAT && logits.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("logits must be FLOAT or DOUBLE, got " + logits.dataType());
        }
        long batch = logits.size(0);
        long frames = logits.size(1);
        long classes = logits.size(2);
        if (blank >= classes) {
            throw new IllegalArgumentException("blank index " + blank + " is not below the class count " + classes);
        }
        if (inputLengths.length != batch || labels.length != batch) {
            throw new IllegalArgumentException("batch of " + batch + " logits but " + inputLengths.length
                    + " input lengths and " + labels.length + " label sequences");
        }
        for (int b = 0; b < batch; b++) {
            if (inputLengths[b] < 0 || inputLengths[b] > frames) {
                throw new IllegalArgumentException("utterance " + b + ": input length " + inputLengths[b]
                        + " outside 0.." + frames);
            }
            int[] l = labels[b];
            if (l == null) {
                throw new IllegalArgumentException("utterance " + b + ": no label sequence");
            }
            for (int i = 0; i < l.length; i++) {
                if (l[i] < 0 || l[i] >= classes || l[i] == blank) {
                    throw new IllegalArgumentException("utterance " + b + ": label " + i + " is " + l[i]
                            + (l[i] == blank ? ", the blank, which cannot be a target" : ", outside 0.." + (classes - 1)));
                }
            }
        }
    }

    /** The arrays handed to the native kernels, kept by the output for the backward call. */
    record NativeInputs(INDArray labels, INDArray logProbs, INDArray labelLengths, INDArray inputLengths,
                        DataType logitsType) {
    }
}
