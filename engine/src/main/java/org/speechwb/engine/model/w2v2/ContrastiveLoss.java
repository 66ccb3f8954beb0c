package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Tensors;

/**
 * The wav2vec 2.0 contrastive task without gathering distractors.
 *
 * <p>The reference draws K distractors per masked frame, builds logits cos(c_t, q)/κ for the
 * true target (index 0) and the distractors, sets distractors identical to the target to −∞,
 * and takes the cross-entropy. Only the multiset of drawn indices matters, so the same loss
 * per masked frame t is
 * <pre>  −s_tt + log(exp(s_tt) + Σ_j n_tj · [q_j ≠ q_t] · exp(s_tj)),   s = cos/κ over all frame pairs</pre>
 * with {@code n_tj} the number of times frame j was drawn for t ({@link NegativeSampler}).
 * Targets are identical exactly when every group chose the same codebook entry. The
 * similarity matrix is a batched GEMM; the small {@code [B, T, T]} log-sum-exp is done on the
 * host in double precision. Accuracy follows the reference criterion: the target's logit is
 * the largest, and not all logits are equal.
 */
public final class ContrastiveLoss {

    /** Results of one pass. */
    public record Result(double lossSum, int maskedFrames, int correct, boolean[] correctPerFrame,
                         double[] targetLogit) {
        public double loss() {
            return lossSum / maskedFrames;
        }

        public double accuracy() {
            return (double) correct / maskedFrames;
        }
    }

    private final double invKappa;
    private final int groups;
    private INDArray cn;   // [B, T, D] unit context
    private INDArray qn;   // [B, T, D] unit targets
    private INDArray cNorm; // [B·T]
    private INDArray qNorm;
    private long batch;
    private long frames;
    private int dim;
    private double[] dS;    // d loss_sum / d s, [B, T, T]

    public ContrastiveLoss(Wav2Vec2Config cfg) {
        this.invKappa = 1.0 / cfg.logitTemperature();
        this.groups = cfg.codebookGroups();
    }

    /**
     * @param context   {@code [B·T, D]}
     * @param targets   {@code [B·T, D]}
     * @param selected  codebook choice per frame and group {@code [B·T·G]} (the one-hots that
     *                  built the targets)
     * @param negCounts {@code [B, T, T]} draw counts; rows of unmasked frames are zero
     * @param mask      {@code [B][T]}
     */
    public Result forward(Ctx ctx, INDArray context, INDArray targets, int[] selected, float[] negCounts,
                          boolean[][] mask) {
        Arena a = ctx.arena();
        batch = mask.length;
        frames = mask[0].length;
        dim = (int) context.size(1);
        cNorm = a.get("contrastive.cnorm", batch * frames);
        qNorm = a.get("contrastive.qnorm", batch * frames);
        cn = unit(a, context, "contrastive.cn", cNorm);
        qn = unit(a, targets, "contrastive.qn", qNorm);
        INDArray s = a.get("contrastive.s", batch, frames, frames);
        INDArray c3 = cn.reshape('c', batch, frames, dim);
        INDArray q3 = qn.reshape('c', batch, frames, dim);
        for (int b = 0; b < batch; b++) {
            Tensors.gemm(c3.slice(b), q3.slice(b), s.slice(b), false, true, invKappa, 0);
        }
        double[] sim = s.reshape(s.length()).toDoubleVector();
        int t2 = (int) frames;
        dS = new double[sim.length];
        double lossSum = 0;
        int masked = 0;
        int correct = 0;
        boolean[] ok = new boolean[(int) (batch * frames)];
        double[] targetLogit = new double[(int) (batch * frames)];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < t2; t++) {
                if (!mask[b][t]) {
                    continue;
                }
                masked++;
                int row = (b * t2 + t) * t2;
                double pos = sim[row + t];
                targetLogit[b * t2 + t] = pos;
                double m = pos;
                boolean allEqual = true;
                double negMax = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t2; j++) {
                    float n = negCounts[row + j];
                    if (n == 0) {
                        continue;
                    }
                    if (sameCode(selected, b * t2 + t, b * t2 + j)) {
                        allEqual = false; // a −∞ logit differs from the target's
                        continue;
                    }
                    double v = sim[row + j];
                    m = Math.max(m, v);
                    negMax = Math.max(negMax, v);
                    if (v != pos) {
                        allEqual = false;
                    }
                }
                double ePos = Math.exp(pos - m);
                double denom = ePos;
                for (int j = 0; j < t2; j++) {
                    float n = negCounts[row + j];
                    if (n != 0 && !sameCode(selected, b * t2 + t, b * t2 + j)) {
                        denom += n * Math.exp(sim[row + j] - m);
                    }
                }
                lossSum += Math.log(denom) + m - pos;
                for (int j = 0; j < t2; j++) {
                    float n = negCounts[row + j];
                    if (n != 0 && !sameCode(selected, b * t2 + t, b * t2 + j)) {
                        dS[row + j] += n * Math.exp(sim[row + j] - m) / denom;
                    }
                }
                dS[row + t] += ePos / denom - 1;
                boolean win = pos >= negMax && !allEqual;
                ok[b * t2 + t] = win;
                if (win) {
                    correct++;
                }
            }
        }
        return new Result(lossSum, masked, correct, ok, targetLogit);
    }

    private boolean sameCode(int[] selected, int i, int j) {
        for (int g = 0; g < groups; g++) {
            if (selected[i * groups + g] != selected[j * groups + g]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param scale factor on the summed loss (1 / masked frames for the mean)
     * @return {dContext, dTargets}, each {@code [B·T, D]}
     */
    public INDArray[] backward(Ctx ctx, double scale) {
        Arena a = ctx.arena();
        INDArray ds = a.get("contrastive.ds", batch, frames, frames);
        try (INDArray host = Nd4j.create(dS, new long[] {batch, frames, frames}, cn.dataType())) {
            ds.assign(host);
        }
        ds.muli(scale * invKappa);
        INDArray dcn = a.get("contrastive.dcn", batch * frames, dim);
        INDArray dqn = a.get("contrastive.dqn", batch * frames, dim);
        INDArray c3 = cn.reshape('c', batch, frames, dim);
        INDArray q3 = qn.reshape('c', batch, frames, dim);
        INDArray dc3 = dcn.reshape('c', batch, frames, dim);
        INDArray dq3 = dqn.reshape('c', batch, frames, dim);
        for (int b = 0; b < batch; b++) {
            Tensors.gemm(ds.slice(b), q3.slice(b), dc3.slice(b), false, false, 1, 0);
            Tensors.gemm(ds.slice(b), c3.slice(b), dq3.slice(b), true, false, 1, 0);
        }
        return new INDArray[] {unitBackward(a, cn, cNorm, dcn, "contrastive.dc"), unitBackward(a, qn, qNorm, dqn, "contrastive.dq")};
    }

    /** u = x / max(‖x‖, 1e-8) row-wise; norms are written to {@code norm}. */
    private static INDArray unit(Arena a, INDArray x, String key, INDArray norm) {
        INDArray sq = a.get(key + ".sq", x.shape());
        x.mul(x, sq);
        sq.sum(norm, 1);
        Transforms.sqrt(norm, false);
        Transforms.max(norm, 1e-8, false);
        INDArray u = a.get(key, x.shape());
        INDArray inv = a.get(key + ".inv", norm.shape());
        norm.rdiv(1.0, inv);
        Tensors.mulColumn(x, inv, u);
        return u;
    }

    /** dx = (du − u·(u·du)) / ‖x‖. */
    private static INDArray unitBackward(Arena a, INDArray u, INDArray norm, INDArray du, String key) {
        INDArray prod = a.get(key + ".prod", u.shape());
        u.mul(du, prod);
        INDArray dot = a.get(key + ".dot", norm.shape());
        prod.sum(dot, 1);
        Tensors.mulColumn(u, dot, prod);
        INDArray dx = a.get(key, u.shape());
        du.sub(prod, dx);
        INDArray inv = a.get(key + ".inv", norm.shape());
        norm.rdiv(1.0, inv);
        Tensors.mulColumn(dx, inv, dx);
        return dx;
    }
}
