package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;

/**
 * HuBERT's masked prediction (fairseq's HubertModel with one label set, masked frames only):
 * each masked frame's projected context scores every cluster by cos(c_t, e_k)/κ against a
 * learned embedding per cluster, and the loss is the cross-entropy with the frame's cluster
 * ({@link MfccClusters}). It replaces the quantizer, its distractors and the diversity term:
 * the targets are fixed before training, so they cannot drift towards whatever is easiest to
 * predict (on real speech the learned codes became a loudness code, docs/experiment.md).
 *
 * <p>The scores are a small {@code [M, K]} matrix; softmax and cross-entropy are computed on the
 * host in double precision.
 */
public final class ClusterPrediction {

    /** What one pass gave; arrays are per frame of the batch ({@code B·T}), unmasked ones false / NaN. */
    public record Result(double lossSum, int maskedFrames, int correct, boolean[] correctPerFrame,
                         double[] targetLogit, double labelPerplexity, double predictionPerplexity) {
        public double loss() {
            return maskedFrames == 0 ? 0 : lossSum / maskedFrames;
        }

        public double accuracy() {
            return maskedFrames == 0 ? 0 : (double) correct / maskedFrames;
        }
    }

    private static final double EPS = 1e-8;

    private final Param embeddings;
    private final int clusters;
    private final double invKappa;
    // kept between forward and backward
    private int[] rows;
    private long allRows;
    private INDArray pn;       // [M, F] unit contexts
    private INDArray en;       // [K, F] unit embeddings
    private double[] pNorm;
    private double[] eNorm;
    private double[][] dLogits; // d lossSum / d logits, [M][K]

    public ClusterPrediction(ParamStore params, int clusters, int dim, double logitTemperature) {
        this.clusters = clusters;
        this.invKappa = 1.0 / logitTemperature;
        // fairseq: nn.init.uniform_(label_embs_concat)
        this.embeddings = params.add("label_embs", params.uniform(0, 1, clusters, dim), false);
    }

    public int clusters() {
        return clusters;
    }

    /**
     * @param projected {@code [B·T, F]} the projected context of every frame
     * @param mask      {@code [B][T]}
     * @param labels    {@code [B][T]} the cluster of every frame
     */
    public Result forward(INDArray projected, boolean[][] mask, int[][] labels) {
        int frames = mask[0].length;
        allRows = projected.size(0);
        int m = 0;
        for (boolean[] row : mask) {
            for (boolean v : row) {
                m += v ? 1 : 0;
            }
        }
        rows = new int[m];
        int[] target = new int[m];
        long[] labelCounts = new long[clusters];
        int i = 0;
        for (int b = 0; b < mask.length; b++) {
            for (int t = 0; t < frames; t++) {
                int k = labels[b][t];
                if (k < 0 || k >= clusters) {
                    throw new IllegalArgumentException("frame " + t + " of row " + b + " has cluster " + k
                            + ", outside 0.." + (clusters - 1));
                }
                if (mask[b][t]) {
                    rows[i] = b * frames + t;
                    target[i++] = k;
                    labelCounts[k]++;
                }
            }
        }
        boolean[] correct = new boolean[(int) allRows];
        double[] targetLogit = new double[(int) allRows];
        java.util.Arrays.fill(targetLogit, Double.NaN);
        dLogits = new double[m][clusters];
        if (m == 0) {
            return new Result(0, 0, 0, correct, targetLogit, Double.NaN, Double.NaN);
        }
        INDArray p = projected.getRows(rows);
        pNorm = new double[m];
        pn = unitRows(p, pNorm);
        eNorm = new double[clusters];
        en = unitRows(embeddings.value(), eNorm);
        double[][] logits = toRows(pn.mmul(en.transpose()).muli(invKappa));
        double lossSum = 0;
        int ok = 0;
        double[] meanProb = new double[clusters];
        for (int r = 0; r < m; r++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int k = 0; k < clusters; k++) {
                if (logits[r][k] > max) {
                    max = logits[r][k];
                    arg = k;
                }
            }
            double sum = 0;
            for (int k = 0; k < clusters; k++) {
                sum += Math.exp(logits[r][k] - max);
            }
            double logZ = max + Math.log(sum);
            for (int k = 0; k < clusters; k++) {
                double prob = Math.exp(logits[r][k] - logZ);
                dLogits[r][k] = prob - (k == target[r] ? 1 : 0);
                meanProb[k] += prob / m;
            }
            lossSum += logZ - logits[r][target[r]];
            // as the contrastive accuracy: the target's score is the largest and not all are equal
            boolean right = arg == target[r] && logits[r][target[r]] > min(logits[r]);
            ok += right ? 1 : 0;
            correct[rows[r]] = right;
            targetLogit[rows[r]] = logits[r][target[r]];
        }
        double[] labelFreq = new double[clusters];
        for (int k = 0; k < clusters; k++) {
            labelFreq[k] = (double) labelCounts[k] / m;
        }
        return new Result(lossSum, m, ok, correct, targetLogit, perplexity(labelFreq), perplexity(meanProb));
    }

    /**
     * Accumulates the gradient of {@code scale × lossSum} into the embeddings and returns it
     * with respect to {@code projected} ({@code [B·T, F]}, zero on unmasked frames).
     */
    public INDArray backward(double scale) {
        INDArray dProjected = Nd4j.zeros(embeddings.value().dataType(), allRows, embeddings.value().size(1));
        int m = rows.length;
        if (m == 0) {
            return dProjected;
        }
        INDArray g = Nd4j.createFromArray(dLogits).castTo(pn.dataType()).muli(scale * invKappa);
        INDArray dp = throughUnit(g.mmul(en), pn, pNorm);
        INDArray de = throughUnit(g.transpose().mmul(pn), en, eNorm);
        embeddings.grad().addi(de);
        for (int r = 0; r < m; r++) {
            dProjected.putRow(rows[r], dp.getRow(r));
        }
        return dProjected;
    }

    /** Rows scaled to unit length (their norms, floored at ε as torch's cosine_similarity, into {@code norms}). */
    private static INDArray unitRows(INDArray x, double[] norms) {
        INDArray n = x.norm2(1);
        for (int r = 0; r < norms.length; r++) {
            norms[r] = Math.max(n.getDouble(r), EPS);
        }
        INDArray out = x.dup();
        for (int r = 0; r < norms.length; r++) {
            out.getRow(r).divi(norms[r]);
        }
        return out;
    }

    /** The gradient through x ↦ x/|x| given the unit rows u: (d − u·(u·d)) / |x|. */
    private static INDArray throughUnit(INDArray d, INDArray u, double[] norms) {
        INDArray dots = d.mul(u).sum(1);
        INDArray out = d.sub(u.mulColumnVector(dots.reshape(dots.length(), 1)));
        for (int r = 0; r < norms.length; r++) {
            out.getRow(r).divi(norms[r]);
        }
        return out;
    }

    private static double[][] toRows(INDArray x) {
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    private static double min(double[] x) {
        double v = Double.POSITIVE_INFINITY;
        for (double d : x) {
            v = Math.min(v, d);
        }
        return v;
    }

    private static double perplexity(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return Math.exp(h);
    }
}
