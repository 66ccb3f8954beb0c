package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Tensors;

/**
 * wav2vec 1.0's objective over K steps (fairseq's Wav2VecPredictionsModel + wav2vec criterion).
 * Step k (0-based here) pairs the prediction h_k(c_t) with the target z_{t+o+k}, o the offset,
 * for t = 0 … T−o−k−1; the logit of a candidate is the plain dot product. Objectives:
 * <ul>
 * <li>binary: {@code −log σ(s⁺) − Σ_j log σ(−s⁻_j)} per positive (the paper's loss);</li>
 * <li>infonce: cross-entropy over [s⁺, s⁻_1 … s⁻_N] with the positive at index 0.</li>
 * </ul>
 * Both are summed over all positives of all steps and divided by their count (the criterion's
 * sample size), so the gradient is the reference's.
 *
 * <p>No gather: per utterance one GEMM gives the logits of every (t, k) row against every frame,
 * {@code S = P_b Z_bᵀ} of shape {@code [T·K, T]}; the host picks the positive and the drawn
 * columns and writes ∂L/∂S, whose GEMMs with Z_b and P_b are the gradients of predictions and
 * targets. The targets receive gradient too: wav2vec 1.0 does not detach them.
 */
public final class StepContrastiveLoss {

    /** Host results; per-step arrays have K entries (NaN for a step with no positive). */
    public record Result(double loss, double accuracy, double[] stepLoss, double[] stepAccuracy, long positives) {
    }

    private final int steps;
    private final int dim;
    private final boolean infonce;

    public StepContrastiveLoss(int steps, int dim, boolean infonce) {
        this.steps = steps;
        this.dim = dim;
        this.infonce = infonce;
    }

    /**
     * @param preds     {@code [B·T, K·D]} step predictions
     * @param targets   {@code [B, T, D]}
     * @param negatives {@code [B][T][N]} drawn frames per target frame
     * @param gradScale scale of the gradient of the mean loss; 0 skips the gradient
     * @return the result; gradients (when asked) in {@link #predGrad} / {@link #targetGrad}
     */
    public Result forward(Ctx ctx, INDArray preds, INDArray targets, int[][][] negatives, int offset, double gradScale) {
        Arena a = ctx.arena();
        int batch = (int) targets.size(0);
        int frames = (int) targets.size(1);
        int usable = Math.min(steps, frames - offset);
        if (usable < 1) {
            throw new IllegalArgumentException("a crop of " + frames + " frames is too short for the prediction offset of "
                    + offset + " frames: raise data.minSampleSize");
        }
        long positives = 0;
        for (int k = 0; k < usable; k++) {
            positives += (long) batch * (frames - offset - k);
        }
        double[] stepLoss = new double[steps];
        double[] stepCorrect = new double[steps];
        long[] stepCount = new long[steps];
        boolean grad = gradScale != 0;
        INDArray dPreds = grad ? a.get("w2v1.loss.dpreds", (long) batch * frames, (long) steps * dim) : null;
        INDArray dTargets = grad ? a.get("w2v1.loss.dtargets", batch, frames, dim) : null;
        int rows = frames * steps;
        INDArray s = a.get("w2v1.loss.s", rows, frames);
        INDArray ds = grad ? a.get("w2v1.loss.ds", rows, frames) : null;
        int n = negatives[0][0].length;
        double[] cand = new double[n + 1];
        double norm = gradScale / positives;
        for (int b = 0; b < batch; b++) {
            INDArray pb = preds.reshape('c', batch, rows, dim).slice(b);
            INDArray zb = targets.slice(b);
            Tensors.gemm(pb, zb, s, false, true, 1, 0);
            double[] sh = s.reshape(s.length()).toDoubleVector();
            double[] dsh = grad ? new double[sh.length] : null;
            for (int k = 0; k < usable; k++) {
                int o = offset + k;
                for (int t = 0; t + o < frames; t++) {
                    int r = (t * steps + k) * frames;
                    int u = t + o;
                    int[] neg = negatives[b][u];
                    cand[0] = sh[r + u];
                    double maxNeg = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        cand[j + 1] = sh[r + neg[j]];
                        maxNeg = Math.max(maxNeg, cand[j + 1]);
                    }
                    double l;
                    if (infonce) {
                        double m = Math.max(cand[0], maxNeg);
                        double z = 0;
                        for (double c : cand) {
                            z += Math.exp(c - m);
                        }
                        double lse = m + Math.log(z);
                        l = lse - cand[0];
                        if (grad) {
                            dsh[r + u] += (Math.exp(cand[0] - lse) - 1) * norm;
                            for (int j = 0; j < n; j++) {
                                dsh[r + neg[j]] += Math.exp(cand[j + 1] - lse) * norm;
                            }
                        }
                    } else {
                        l = softplus(-cand[0]);
                        for (int j = 0; j < n; j++) {
                            l += softplus(cand[j + 1]);
                        }
                        if (grad) {
                            dsh[r + u] += -sigmoid(-cand[0]) * norm;
                            for (int j = 0; j < n; j++) {
                                dsh[r + neg[j]] += sigmoid(cand[j + 1]) * norm;
                            }
                        }
                    }
                    stepLoss[k] += l;
                    stepCorrect[k] += cand[0] > maxNeg ? 1 : 0;
                    stepCount[k]++;
                }
            }
            if (grad) {
                try (INDArray host = Nd4j.create(dsh, new long[] {rows, frames}, ds.dataType())) {
                    ds.assign(host);
                }
                INDArray dpb = dPreds.reshape('c', batch, rows, dim).slice(b);
                Tensors.gemm(ds, zb, dpb, false, false, 1, 0);
                Tensors.gemm(ds, pb, dTargets.slice(b), true, false, 1, 0);
            }
        }
        double total = 0;
        double correct = 0;
        double[] perStepLoss = new double[steps];
        double[] perStepAcc = new double[steps];
        for (int k = 0; k < steps; k++) {
            total += stepLoss[k];
            correct += stepCorrect[k];
            perStepLoss[k] = stepCount[k] == 0 ? Double.NaN : stepLoss[k] / stepCount[k];
            perStepAcc[k] = stepCount[k] == 0 ? Double.NaN : stepCorrect[k] / stepCount[k];
        }
        this.predGrad = dPreds;
        this.targetGrad = dTargets;
        return new Result(total / positives, correct / positives, perStepLoss, perStepAcc, positives);
    }

    private INDArray predGrad;
    private INDArray targetGrad;

    /** ∂(gradScale·loss)/∂preds {@code [B·T, K·D]} from the last forward with a gradient. */
    public INDArray predGrad() {
        return predGrad;
    }

    /** ∂(gradScale·loss)/∂targets {@code [B, T, D]}. */
    public INDArray targetGrad() {
        return targetGrad;
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
