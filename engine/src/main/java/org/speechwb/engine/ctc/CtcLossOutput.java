package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link CtcLoss#forward}: per-utterance losses and flags, and the handle for the
 * backward pass (which reuses the log-probabilities computed in the forward pass).
 *
 * <p>Signals for a trainer: {@link #feasible(int)} is false when the utterance's input is too
 * short for its labels (its loss is {@code +∞}); {@link #usable(int)} is additionally false when
 * the loss is not finite for any other reason (NaN or infinite logits). Unusable utterances have a
 * zero gradient and are left out of {@link #mean()} and {@link #sum()}.
 */
public final class CtcLossOutput {

    private final CtcLoss loss;
    private final CtcLoss.NativeInputs nativeInputs;
    private final int[][] labels;
    private final int[] inputLengths;
    private final double[] losses;
    private final boolean[] feasible;
    private final int[] required;

    CtcLossOutput(CtcLoss loss, CtcLoss.NativeInputs nativeInputs, int[][] labels, int[] inputLengths, double[] losses,
                  boolean[] feasible, int[] required) {
        this.loss = loss;
        this.nativeInputs = nativeInputs;
        this.labels = labels;
        this.inputLengths = inputLengths;
        this.losses = losses;
        this.feasible = feasible;
        this.required = required;
    }

    public int batchSize() {
        return losses.length;
    }

    /** Negative natural log-likelihood of utterance {@code b}'s labels; {@code +∞} if infeasible. */
    public double loss(int b) {
        return losses[b];
    }

    public double[] losses() {
        return losses.clone();
    }

    /** False when the input has fewer frames than {@link #requiredFrames(int)}. */
    public boolean feasible(int b) {
        return feasible[b];
    }

    /** Feasible and with a finite loss: the utterances a trainer should learn from. */
    public boolean usable(int b) {
        return feasible[b] && Double.isFinite(losses[b]);
    }

    /** Frames the labels need (length plus one per pair of equal neighbours). */
    public int requiredFrames(int b) {
        return required[b];
    }

    public int inputLength(int b) {
        return inputLengths[b];
    }

    public int labelLength(int b) {
        return labels[b].length;
    }

    public int usableCount() {
        int n = 0;
        for (int b = 0; b < losses.length; b++) {
            if (usable(b)) {
                n++;
            }
        }
        return n;
    }

    /** Indices of the utterances that are not {@link #usable(int)}, for a trainer's log. */
    public List<Integer> unusable() {
        List<Integer> out = new ArrayList<>();
        for (int b = 0; b < losses.length; b++) {
            if (!usable(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Sum of the usable utterances' losses. */
    public double sum() {
        double s = 0;
        for (int b = 0; b < losses.length; b++) {
            if (usable(b)) {
                s += losses[b];
            }
        }
        return s;
    }

    /** Mean over the usable utterances; NaN when none is usable. */
    public double mean() {
        int n = usableCount();
        return n == 0 ? Double.NaN : sum() / n;
    }

    /** The log-softmax of the logits ({@code [B, T, C]}), e.g. for decoding the same batch. */
    public INDArray logProbs() {
        INDArray lp = nativeInputs.logProbs();
        return lp.dataType() == nativeInputs.logitsType() ? lp : lp.castTo(nativeInputs.logitsType());
    }

    /**
     * d(Σ_b w_b · loss_b) / d logits, {@code [B, T, C]} in the logits' precision. Rows of padded
     * frames and of unusable utterances are zero whatever their weight.
     *
     * @param weights one per utterance: the upstream gradient of each loss
     */
    public INDArray gradient(double[] weights) {
        if (weights.length != losses.length) {
            throw new IllegalArgumentException(weights.length + " weights for a batch of " + losses.length);
        }
        return loss.gradient(this, weights);
    }

    /** Gradient of {@link #mean()}; all zero when no utterance is usable. */
    public INDArray gradientOfMean() {
        int n = usableCount();
        double[] w = new double[losses.length];
        Arrays.fill(w, n == 0 ? 0 : 1.0 / n);
        return gradient(w);
    }

    /** Gradient of {@link #sum()}. */
    public INDArray gradientOfSum() {
        double[] w = new double[losses.length];
        Arrays.fill(w, 1.0);
        return gradient(w);
    }

    CtcLoss.NativeInputs nativeInputs() {
        return nativeInputs;
    }
}
