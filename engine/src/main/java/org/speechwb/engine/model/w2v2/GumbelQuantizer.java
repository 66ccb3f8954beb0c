package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * Gumbel-softmax product quantizer (fairseq's GumbelVectorQuantizer, combine_groups off):
 * Linear(C → G·V) logits (N(0,1) init); while training, Gumbel noise, softmax at temperature
 * τ and a HARD one-hot forward with the gradient of the soft one (straight-through); in
 * evaluation the argmax of the noise-free logits. Each group's one-hot picks one of V
 * codebook vectors of size D/G (init U[0,1)); the G picks are concatenated.
 *
 * <p>Perplexities are computed over the frames with weight 1 (the masked frames, the frames
 * the reference quantizes): code perplexity from the argmax one-hots of the noise-free logits,
 * prob perplexity from their softmax (no noise, no temperature), each exp(entropy) summed over
 * groups. The diversity loss {@code (G·V − prob_perplexity)/(G·V)} is differentiated here.
 */
public final class GumbelQuantizer {

    /** Per-pass results, on the host. */
    public record Stats(double codePerplexity, double probPerplexity, double diversity,
                        int[] codes, int[] selected, long[][] codeCounts) {
    }

    /**
     * How gradients reach the logits. Training always uses {@link #STRAIGHT_THROUGH}; the other
     * two exist so that tests can compare analytic gradients with finite differences, which
     * see the hard one-hot forward as piecewise constant.
     */
    public enum GradientMode {
        /** Hard one-hot forward, gradient of the soft one (the reference). */
        STRAIGHT_THROUGH,
        /** Soft forward and its gradient: checks the straight-through backward. */
        SOFT,
        /** Hard forward, no gradient through the selection: the exact gradient of the hard forward. */
        HARD_EXACT
    }

    private GradientMode mode = GradientMode.STRAIGHT_THROUGH;
    private final int groups;
    private final int entries;
    private final int dg;
    private final Linear proj;
    private final Param codebook; // [G, V, D/G], or [1, V, D/G] shared by all groups
    private final boolean shared;
    private INDArray soft;      // [N·G, V] softmax(noisy/τ)
    private INDArray hard;      // [N·G, V]
    private INDArray probs;     // [N·G, V] softmax(logits)
    private INDArray weights;   // [N]
    private double[] meanProbs; // [G·V]
    private double weightSum;
    private double tau;
    private long rows;

    public GumbelQuantizer(ParamStore ps, Wav2Vec2Config cfg) {
        this(ps, "quantizer", cfg.encoderChannels(), cfg.codebookGroups(), cfg.codebookEntries(), cfg.finalDim(), false,
                Linear.Init.NORMAL);
    }

    /**
     * The general form (vq-wav2vec uses it with a shared codebook and, behind a hidden layer,
     * a PyTorch-default logit projection).
     *
     * @param codeDim  width of the output: G groups of codeDim/G
     * @param shared   one codebook of V entries used by every group (fairseq combine_groups)
     * @param projInit initialisation of the logit projection (N(0,1) for a one-layer projection)
     */
    public GumbelQuantizer(ParamStore ps, String prefix, int in, int groups, int entries, int codeDim, boolean shared,
                           Linear.Init projInit) {
        this.groups = groups;
        this.entries = entries;
        this.dg = codeDim / groups;
        this.shared = shared;
        this.proj = new Linear(ps, prefix + ".weight_proj", in, groups * entries, projInit, true);
        this.codebook = ps.add(prefix + ".vars", ps.uniform(0, 1, shared ? 1 : groups, entries, dg), true);
    }

    private int book(int g) {
        return shared ? 0 : g;
    }

    /**
     * @param z      {@code [N, C]}
     * @param weight {@code [N]}, 1 at frames that count in the perplexities
     * @return quantized {@code [N, D]}; stats via {@link #stats()}
     */
    public INDArray forward(Ctx ctx, INDArray z, INDArray weight, double tau) {
        Arena a = ctx.arena();
        this.tau = tau;
        this.weights = weight;
        this.rows = z.size(0);
        INDArray logits = Tensors.rows(proj.forward(ctx, z), entries); // [N·G, V]
        probs = a.get("quantizer.probs", logits.shape());
        Tensors.softmaxLastDim(logits, probs);

        INDArray noisy = a.get("quantizer.noisy", logits.shape());
        if (ctx.training()) {
            Nd4j.getExecutioner().exec(new UniformDistribution(noisy, 1e-10, 1.0), ctx.rng());
            Transforms.log(noisy, false).negi();          // exponential(1)
            Transforms.log(noisy, false).negi();          // Gumbel(0, 1)
            noisy.addi(logits);
        } else {
            noisy.assign(logits);
        }
        noisy.divi(tau);
        soft = a.get("quantizer.soft", logits.shape());
        Tensors.softmaxLastDim(noisy, soft);
        int[] codes = argmaxRows(logits);
        int[] selected = ctx.training() ? argmaxRows(noisy) : codes;
        hard = a.zeros("quantizer.hard", logits.shape());
        for (int i = 0; i < selected.length; i++) {
            hard.putScalar(i, selected[i], 1.0);
        }
        INDArray q = a.get("quantizer.q", rows, (long) groups * dg);
        INDArray hardG = hard.reshape('c', rows, groups, entries);
        INDArray qG = q.reshape('c', rows, groups, dg);
        INDArray sel = a.get("quantizer.sel", groups, rows, entries);
        sel.assign((mode == GradientMode.SOFT ? soft.reshape('c', rows, groups, entries) : hardG).permute(1, 0, 2));
        INDArray qg = a.get("quantizer.qg", groups, rows, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(sel.slice(g), codebook.value().slice(book(g)), qg.slice(g), false, false, 1, 0);
        }
        qG.assign(qg.permute(1, 0, 2));
        this.lastStats = computeStats(codes, selected);
        return q;
    }

    private Stats lastStats;

    public Stats stats() {
        return lastStats;
    }

    private Stats computeStats(int[] codes, int[] selected) {
        double[] w = weights.toDoubleVector();
        weightSum = 0;
        for (double v : w) {
            weightSum += v;
        }
        long[][] counts = new long[groups][entries];
        double[] hardMean = new double[groups * entries];
        for (int n = 0; n < rows; n++) {
            if (w[n] == 0) {
                continue;
            }
            for (int g = 0; g < groups; g++) {
                int c = codes[n * groups + g];
                counts[g][c]++;
                hardMean[g * entries + c] += w[n];
            }
        }
        // mean softmax over weighted frames: wᵀ · probs as one GEMM
        try (INDArray pm = Nd4j.create(probs.dataType(), 1, (long) groups * entries)) {
            Tensors.gemm(weights.reshape(1, rows), Tensors.rows(probs, (long) groups * entries), pm, false, false,
                    1.0 / weightSum, 0);
            meanProbs = pm.toDoubleVector();
        }
        double codePpl = 0;
        double probPpl = 0;
        for (int g = 0; g < groups; g++) {
            double hc = 0;
            double hp = 0;
            for (int v = 0; v < entries; v++) {
                double ph = hardMean[g * entries + v] / weightSum;
                double ps = meanProbs[g * entries + v];
                hc -= ph * Math.log(ph + 1e-7);
                hp -= ps * Math.log(ps + 1e-7);
            }
            codePpl += Math.exp(hc);
            probPpl += Math.exp(hp);
        }
        double vars = (double) groups * entries;
        return new Stats(codePpl, probPpl, (vars - probPpl) / vars, codes, selected, counts);
    }

    /**
     * @param dq              gradient w.r.t. the quantized output {@code [N, D]}
     * @param diversityWeight α: scales the diversity loss's gradient
     * @return dz {@code [N, C]}
     */
    public INDArray backward(Ctx ctx, INDArray dq, double diversityWeight) {
        Arena a = ctx.arena();
        // codebook gradient and d(selection) = dq_g · codebook_gᵀ
        INDArray dqg = a.get("quantizer.dqg", groups, rows, dg);
        dqg.assign(dq.reshape('c', rows, groups, dg).permute(1, 0, 2));
        INDArray sel = a.get("quantizer.sel", groups, rows, entries);
        INDArray dsel = a.get("quantizer.dsel", groups, rows, entries);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(sel.slice(g), dqg.slice(g), codebook.grad().slice(book(g)), true, false, 1, 1);
            Tensors.gemm(dqg.slice(g), codebook.value().slice(book(g)), dsel.slice(g), false, true, 1, 0);
        }
        // straight-through: the gradient reaches the logits through softmax(noisy/τ)
        INDArray dlogits = a.get("quantizer.dlogits", rows * groups, entries);
        dlogits.reshape('c', rows, groups, entries).assign(dsel.permute(1, 0, 2));
        Tensors.softmaxBackwardInPlace(soft, dlogits, a.get("quantizer.prod", soft.shape()), a.get("quantizer.rowsum", rows * groups));
        dlogits.divi(tau);
        if (mode == GradientMode.HARD_EXACT) {
            dlogits.assign(0);
        }

        if (diversityWeight != 0) {
            // d div / d p̄_gv = (exp(H_g)/GV)·(log(p̄+1e-7) + p̄/(p̄+1e-7)); p̄ = Σ_n w_n p_n / W
            double vars = (double) groups * entries;
            double[] dMean = new double[groups * entries];
            for (int g = 0; g < groups; g++) {
                double h = 0;
                for (int v = 0; v < entries; v++) {
                    double p = meanProbs[g * entries + v];
                    h -= p * Math.log(p + 1e-7);
                }
                double e = Math.exp(h);
                for (int v = 0; v < entries; v++) {
                    double p = meanProbs[g * entries + v];
                    dMean[g * entries + v] = diversityWeight * e / vars * (Math.log(p + 1e-7) + p / (p + 1e-7));
                }
            }
            // dprobs[n, g, v] = w_n / W · dMean[g, v]
            INDArray dprobs = a.get("quantizer.dprobs", rows, (long) groups * entries);
            try (INDArray dm = Nd4j.create(dMean, new long[] {1, (long) groups * entries}, dprobs.dataType())) {
                Tensors.gemm(weights.reshape(rows, 1), dm, dprobs, false, false, 1.0 / weightSum, 0);
            }
            INDArray dp = Tensors.rows(dprobs, entries);
            Tensors.softmaxBackwardInPlace(probs, dp, a.get("quantizer.prod", probs.shape()), a.get("quantizer.rowsum", rows * groups));
            dlogits.addi(dp);
        }
        return proj.backward(ctx, Tensors.rows(dlogits, (long) groups * entries), true);
    }

    private static int[] argmaxRows(INDArray m) {
        try (INDArray idx = Nd4j.argMax(m, 1)) {
            return idx.toIntVector();
        }
    }

    /** For gradient tests only; training uses the default {@link GradientMode#STRAIGHT_THROUGH}. */
    public void setGradientMode(GradientMode mode) {
        this.mode = mode;
    }

    public int groups() {
        return groups;
    }

    public int entries() {
        return entries;
    }
}
