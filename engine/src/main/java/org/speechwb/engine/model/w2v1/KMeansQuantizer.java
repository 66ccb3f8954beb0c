package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GroupNorm;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * vq-wav2vec's k-means quantizer (fairseq's KmeansVectorQuantizer): a grouped 1×1 projection
 * (no bias) and GroupNorm(G) give z_e; each of the G slices of width C/G is replaced by its
 * nearest codeword (L2) from V entries, z_q. The forward value is z_q, the gradient passes
 * straight through to z_e; the codebook learns only from the loss
 * {@code MSE(z_q, sg(z_e)) + γ·MSE(z_e, sg(z_q))} (means over all values).
 */
public final class KMeansQuantizer {

    /** Per-pass results. */
    public record Stats(double loss, double codePerplexity, int[] codes, long[][] codeCounts) {
    }

    private final int groups;
    private final int entries;
    private final int channels;
    private final int dg;
    private final boolean shared;
    private final double gamma;
    private final Param proj;       // [G, C/G, C/G]: the grouped 1×1 convolution
    private final GroupNorm norm;
    private final Param codebook;   // [G or 1, V, C/G]
    private INDArray x;
    private INDArray ze;
    private INDArray zq;
    private INDArray sel;           // [G, N, V] one-hots
    private long rows;
    private boolean straightThrough = true;

    /**
     * For gradient tests only: the exact derivative of the forward value, which finite
     * differences can check: no straight-through path, and no stop-gradients (both MSE terms
     * reach both the codebook and z_e, i.e. the stop-gradient split scaled away).
     */
    public void setStraightThrough(boolean on) {
        this.straightThrough = on;
    }

    public KMeansQuantizer(ParamStore ps, int channels, int groups, int entries, boolean shared, double gamma) {
        this.groups = groups;
        this.entries = entries;
        this.channels = channels;
        this.dg = channels / groups;
        this.shared = shared;
        this.gamma = gamma;
        double bound = 1 / Math.sqrt(dg);
        this.proj = ps.add("quantizer.projection", ps.uniform(-bound, bound, groups, dg, dg), true);
        this.norm = new GroupNorm(ps, "quantizer.projection.norm", groups, channels, true);
        this.codebook = ps.add("quantizer.embedding", ps.normal(0.01, shared ? 1 : groups, entries, dg), true);
    }

    private int book(int g) {
        return shared ? 0 : g;
    }

    /** @param input {@code [B, T, C]}; returns z_q {@code [B, T, C]} (straight-through in backward) */
    public INDArray forward(Ctx ctx, INDArray input) {
        Arena a = ctx.arena();
        long batch = input.size(0);
        long frames = input.size(1);
        rows = batch * frames;
        x = Tensors.rows(input, channels);
        INDArray xg = a.get("quantizer.proj.xg", groups, rows, dg);
        xg.assign(x.reshape('c', rows, groups, dg).permute(1, 0, 2));
        INDArray yg = a.get("quantizer.proj.yg", groups, rows, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(xg.slice(g), proj.value().slice(g), yg.slice(g), false, false, 1, 0);
        }
        INDArray projected = a.get("quantizer.proj.y", batch, frames, channels);
        projected.reshape('c', rows, groups, dg).assign(yg.permute(1, 0, 2));
        ze = norm.forward(ctx, projected);
        INDArray ze2 = Tensors.rows(ze, channels);
        // nearest codeword: argmin_v |e_v|² − 2 z·e_v, per group
        INDArray zeg = a.get("quantizer.zeg", groups, rows, dg);
        zeg.assign(ze2.reshape('c', rows, groups, dg).permute(1, 0, 2));
        INDArray dots = a.get("quantizer.dots", groups, rows, entries);
        int[] codes = new int[(int) rows * groups];
        long[][] counts = new long[groups][entries];
        sel = a.zeros("quantizer.sel", groups, rows, entries);
        for (int g = 0; g < groups; g++) {
            INDArray e = codebook.value().slice(book(g));
            Tensors.gemm(zeg.slice(g), e, dots.slice(g), false, true, 1, 0);
            double[] d = dots.slice(g).reshape(rows * entries).toDoubleVector();
            double[] norms = e.mul(e).sum(1).toDoubleVector();
            for (int n = 0; n < rows; n++) {
                int best = 0;
                double bestVal = Double.POSITIVE_INFINITY;
                for (int v = 0; v < entries; v++) {
                    double val = norms[v] - 2 * d[n * entries + v];
                    if (val < bestVal) {
                        bestVal = val;
                        best = v;
                    }
                }
                codes[n * groups + g] = best;
                counts[g][best]++;
                sel.putScalar(new long[] {g, n, best}, 1.0);
            }
        }
        INDArray zqg = a.get("quantizer.zqg", groups, rows, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(sel.slice(g), codebook.value().slice(book(g)), zqg.slice(g), false, false, 1, 0);
        }
        zq = a.get("quantizer.zq", batch, frames, channels);
        zq.reshape('c', rows, groups, dg).assign(zqg.permute(1, 0, 2));
        INDArray diff = a.get("quantizer.diff", batch, frames, channels);
        zq.sub(ze, diff);
        double mse = diff.mul(diff).meanNumber().doubleValue();
        double ppl = 0;
        for (int g = 0; g < groups; g++) {
            double h = 0;
            for (int v = 0; v < entries; v++) {
                double p = (double) counts[g][v] / rows;
                h -= p * Math.log(p + 1e-7);
            }
            ppl += Math.exp(h);
        }
        lastStats = new Stats((1 + gamma) * mse, ppl, codes, counts);
        return zq;
    }

    private Stats lastStats;

    public Stats stats() {
        return lastStats;
    }

    /**
     * @param dzq        gradient w.r.t. the output {@code [B, T, C]} (passed straight to z_e)
     * @param lossWeight weight of the k-means loss in the total
     * @return gradient w.r.t. the input {@code [B, T, C]}
     */
    public INDArray backward(Ctx ctx, INDArray dzq, double lossWeight) {
        Arena a = ctx.arena();
        INDArray diff = a.get("quantizer.diff", zq.shape()); // z_q − z_e from forward
        double scale = 2.0 * lossWeight / diff.length();
        double codeScale = straightThrough ? scale : scale * (1 + gamma);
        double commitScale = straightThrough ? scale * gamma : scale * (1 + gamma);
        // codebook: d/dz_q of MSE(z_q, sg(z_e)) routed to the picked entries
        INDArray dcode = a.get("quantizer.dcode", groups, rows, dg);
        INDArray dzqTotal = a.get("quantizer.dzqTotal", zq.shape());
        diff.mul(codeScale, dzqTotal);
        if (!straightThrough) {
            dzqTotal.addi(dzq); // the output's own gradient reaches the picked codewords
        }
        dcode.assign(dzqTotal.reshape('c', rows, groups, dg).permute(1, 0, 2));
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(sel.slice(g), dcode.slice(g), codebook.grad().slice(book(g)), true, false, 1, 1);
        }
        // z_e: straight-through plus γ·d/dz_e of MSE(z_e, sg(z_q))
        INDArray dze = a.get("quantizer.dze", zq.shape());
        diff.mul(-commitScale, dze);
        if (straightThrough) {
            dze.addi(dzq);
        }
        INDArray dproj = norm.backward(ctx, dze);
        INDArray dyg = a.get("quantizer.proj.dyg", groups, rows, dg);
        dyg.assign(dproj.reshape('c', rows, groups, dg).permute(1, 0, 2));
        INDArray xg = a.get("quantizer.proj.xg", groups, rows, dg);
        INDArray dxg = a.get("quantizer.proj.dxg", groups, rows, dg);
        for (int g = 0; g < groups; g++) {
            Tensors.gemm(xg.slice(g), dyg.slice(g), proj.grad().slice(g), true, false, 1, 1);
            Tensors.gemm(dyg.slice(g), proj.value().slice(g), dxg.slice(g), false, true, 1, 0);
        }
        INDArray dx = a.get("quantizer.dx", zq.shape());
        dx.reshape('c', rows, groups, dg).assign(dxg.permute(1, 0, 2));
        return dx;
    }

    public int groups() {
        return groups;
    }

    public int entries() {
        return entries;
    }
}
