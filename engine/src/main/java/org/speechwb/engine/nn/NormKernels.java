package org.speechwb.engine.nn;

import java.nio.FloatBuffer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LayerNorm over rows and per-channel GroupNorm over time, forward and backward, each in two or
 * three passes over memory on SIMD lanes (the Vector API), with the parameter gradients summed
 * in the same passes.
 *
 * <p>Why: through ND4J a LayerNorm forward is ten ops and its backward twelve, each a pass plus a
 * fixed cost; on the small config's {@code [396, 256]} rows that was 1.7 ms forward and 2.6 ms
 * backward per call, 34 ms of the update for the Transformer's eight (docs/performance.md).
 * Statistics are accumulated in float per block of rows and in double across blocks, and the
 * variance is taken about the mean (two passes), as the ND4J path does.
 *
 * <p>Only {@link LayerNorm} and {@link GroupNormPerChannel} call this, and only when
 * {@link CpuKernels#VECTORISED} and {@link CpuKernels#applies} hold for every array; otherwise they
 * keep their ND4J ops.
 */
final class NormKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats per bulk copy between ND4J's buffer and the Java scratch arrays. */
    private static final int BLOCK = 8192;
    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    private NormKernels() {
    }

    /** Three scratch arrays of at least {@code max(BLOCK, width)} floats for the calling thread. */
    private static float[][] scratch(int width) {
        float[][] s = SCRATCH.get();
        if (s == null || s[0].length < width) {
            int n = Math.max(BLOCK, width);
            s = new float[][] {new float[n], new float[n], new float[n]};
            SCRATCH.set(s);
        }
        return s;
    }

    /** {@code grad += Σ partials} (one partial array per part of the split). */
    private static void accumulate(INDArray grad, float[][] partials) {
        float[] g = CpuKernels.read(grad);
        for (float[] p : partials) {
            for (int i = 0; i < g.length; i++) {
                g[i] += p[i];
            }
        }
        CpuKernels.write(g, grad);
    }

    // ---------------------------------------------------------------- LayerNorm over rows

    /**
     * {@code x̂ = (x − mean)·rstd}, {@code y = x̂·γ + β} per row of {@code x [n, d]}, with
     * {@code rstd = 1/√(var + eps)} written to {@code rstd [n]}.
     */
    static void layerNormForward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray rstd,
            INDArray y) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        float[] g = CpuKernels.read(gamma);
        float[] b = CpuKernels.read(beta);
        FloatBuffer xb = CpuKernels.floats(x);
        FloatBuffer hb = CpuKernels.floats(xhat);
        FloatBuffer yb = CpuKernels.floats(y);
        FloatBuffer rb = CpuKernels.floats(rstd);
        int xo = (int) x.offset();
        int ho = (int) xhat.offset();
        int yo = (int) y.offset();
        int ro = (int) rstd.offset();
        CpuKernels.parallel(n, CpuKernels.parts(n, (long) n * d), (part, from, to) -> {
            float[][] s = scratch(d);
            float[] xs = s[0];
            float[] hs = s[1];
            float[] ys = s[2];
            int rows = xs.length / d;
            for (int r0 = from; r0 < to; r0 += rows) {
                int m = Math.min(rows, to - r0);
                xb.get(xo + r0 * d, xs, 0, m * d);
                for (int r = 0; r < m; r++) {
                    int o = r * d;
                    float mean = sum(xs, o, d) / d;
                    float var = sumSquaredDeviations(xs, o, d, mean) / d;
                    float inv = (float) (1 / Math.sqrt(var + eps));
                    normalise(xs, hs, ys, o, d, mean, inv, g, b);
                    rb.put(ro + r0 + r, inv);
                }
                hb.put(ho + r0 * d, hs, 0, m * d);
                yb.put(yo + r0 * d, ys, 0, m * d);
            }
        });
    }

    /**
     * {@code dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂))} with {@code g = dy ⊙ γ} per row;
     * {@code dγ += Σ dy ⊙ x̂} and {@code dβ += Σ dy} over the rows.
     */
    static void layerNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gamma, INDArray dx,
            INDArray dgamma, INDArray dbeta) {
        int n = (int) dy.size(0);
        int d = (int) dy.size(1);
        float[] g = CpuKernels.read(gamma);
        float[] inv = CpuKernels.read(rstd);
        FloatBuffer db = CpuKernels.floats(dy);
        FloatBuffer hb = CpuKernels.floats(xhat);
        FloatBuffer xb = CpuKernels.floats(dx);
        int dO = (int) dy.offset();
        int ho = (int) xhat.offset();
        int xo = (int) dx.offset();
        int parts = CpuKernels.parts(n, (long) n * d);
        float[][] pg = new float[parts][d];
        float[][] pb = new float[parts][d];
        CpuKernels.parallel(n, parts, (part, from, to) -> {
            float[][] s = scratch(d);
            float[] ds = s[0];
            float[] hs = s[1];
            float[] out = s[2];
            float[] dg = pg[part];
            float[] dbias = pb[part];
            int rows = ds.length / d;
            for (int r0 = from; r0 < to; r0 += rows) {
                int m = Math.min(rows, to - r0);
                db.get(dO + r0 * d, ds, 0, m * d);
                hb.get(ho + r0 * d, hs, 0, m * d);
                for (int r = 0; r < m; r++) {
                    int o = r * d;
                    FloatVector sg = FloatVector.zero(S);
                    FloatVector sgx = FloatVector.zero(S);
                    int i = 0;
                    for (int ub = S.loopBound(d); i < ub; i += L) {
                        FloatVector dyv = FloatVector.fromArray(S, ds, o + i);
                        FloatVector h = FloatVector.fromArray(S, hs, o + i);
                        FloatVector gv = dyv.mul(FloatVector.fromArray(S, g, i));
                        sg = sg.add(gv);
                        sgx = gv.fma(h, sgx);
                        dyv.fma(h, FloatVector.fromArray(S, dg, i)).intoArray(dg, i);
                        dyv.add(FloatVector.fromArray(S, dbias, i)).intoArray(dbias, i);
                    }
                    float sumG = sg.reduceLanes(VectorOperators.ADD);
                    float sumGx = sgx.reduceLanes(VectorOperators.ADD);
                    for (int j = i; j < d; j++) {
                        float gj = ds[o + j] * g[j];
                        sumG += gj;
                        sumGx += gj * hs[o + j];
                        dg[j] += ds[o + j] * hs[o + j];
                        dbias[j] += ds[o + j];
                    }
                    float meanG = sumG / d;
                    float meanGx = sumGx / d;
                    float rs = inv[r0 + r];
                    FloatVector mg = FloatVector.broadcast(S, meanG);
                    i = 0;
                    for (int ub = S.loopBound(d); i < ub; i += L) {
                        FloatVector gv = FloatVector.fromArray(S, ds, o + i).mul(FloatVector.fromArray(S, g, i));
                        FloatVector h = FloatVector.fromArray(S, hs, o + i);
                        h.mul(-meanGx).add(gv).sub(mg).mul(rs).intoArray(out, o + i);
                    }
                    for (int j = i; j < d; j++) {
                        out[o + j] = rs * (ds[o + j] * g[j] - meanG - hs[o + j] * meanGx);
                    }
                }
                xb.put(xo + r0 * d, out, 0, m * d);
            }
        });
        accumulate(dgamma, pg);
        accumulate(dbeta, pb);
    }

    // ---------------------------------------------------------------- per-channel GroupNorm over time

    /**
     * For each utterance and channel of time-major {@code x [B, T, C]}: {@code x̂ = (x − mean_t)·rstd},
     * {@code y = x̂·γ + β}, {@code rstd [B, C] = 1/√(var_t + eps)}.
     */
    static void groupNormForward(INDArray x, INDArray gamma, INDArray beta, double eps, INDArray xhat, INDArray rstd,
            INDArray y) {
        int batch = (int) x.size(0);
        int frames = (int) x.size(1);
        int c = (int) x.size(2);
        float[] g = CpuKernels.read(gamma);
        float[] b = CpuKernels.read(beta);
        FloatBuffer xb = CpuKernels.floats(x);
        FloatBuffer hb = CpuKernels.floats(xhat);
        FloatBuffer yb = CpuKernels.floats(y);
        FloatBuffer rb = CpuKernels.floats(rstd);
        int xo = (int) x.offset();
        int ho = (int) xhat.offset();
        int yo = (int) y.offset();
        int ro = (int) rstd.offset();
        CpuKernels.parallel(batch, CpuKernels.parts(batch, x.length()), (part, from, to) -> {
            float[][] s = scratch(c);
            float[] xs = s[0];
            float[] hs = s[1];
            float[] ys = s[2];
            int rows = xs.length / c;
            float[] mean = new float[c];
            float[] inv = new float[c];
            double[] total = new double[c];
            float[] acc = new float[c];
            for (int u = from; u < to; u++) {
                int base = u * frames * c;
                // mean over time, then the variance about it
                for (int pass = 0; pass < 2; pass++) {
                    java.util.Arrays.fill(total, 0);
                    for (int t0 = 0; t0 < frames; t0 += rows) {
                        int m = Math.min(rows, frames - t0);
                        xb.get(xo + base + t0 * c, xs, 0, m * c);
                        java.util.Arrays.fill(acc, 0);
                        for (int r = 0; r < m; r++) {
                            if (pass == 0) {
                                addInto(xs, r * c, acc, c);
                            } else {
                                addSquaredDeviationsInto(xs, r * c, mean, acc, c);
                            }
                        }
                        for (int j = 0; j < c; j++) {
                            total[j] += acc[j];
                        }
                    }
                    for (int j = 0; j < c; j++) {
                        if (pass == 0) {
                            mean[j] = (float) (total[j] / frames);
                        } else {
                            inv[j] = (float) (1 / Math.sqrt(total[j] / frames + eps));
                        }
                    }
                }
                rb.put(ro + u * c, inv, 0, c);
                for (int t0 = 0; t0 < frames; t0 += rows) {
                    int m = Math.min(rows, frames - t0);
                    xb.get(xo + base + t0 * c, xs, 0, m * c);
                    for (int r = 0; r < m; r++) {
                        normalisePerChannel(xs, hs, ys, r * c, c, mean, inv, g, b);
                    }
                    hb.put(ho + base + t0 * c, hs, 0, m * c);
                    yb.put(yo + base + t0 * c, ys, 0, m * c);
                }
            }
        });
    }

    /**
     * {@code dx = rstd·(g − mean_t(g) − x̂·mean_t(g ⊙ x̂))} with {@code g = dy ⊙ γ}, per utterance
     * and channel of {@code [B, T, C]}; {@code dγ += Σ dy ⊙ x̂}, {@code dβ += Σ dy}. Since γ is
     * constant over time, {@code mean_t(g) = γ·mean_t(dy)} and likewise for {@code g ⊙ x̂}: one
     * pass gathers the sums, a second writes dx.
     */
    static void groupNormBackward(INDArray dy, INDArray xhat, INDArray rstd, INDArray gamma, INDArray dx,
            INDArray dgamma, INDArray dbeta) {
        int batch = (int) dy.size(0);
        int frames = (int) dy.size(1);
        int c = (int) dy.size(2);
        float[] g = CpuKernels.read(gamma);
        float[] invAll = CpuKernels.read(rstd);
        FloatBuffer db = CpuKernels.floats(dy);
        FloatBuffer hb = CpuKernels.floats(xhat);
        FloatBuffer xb = CpuKernels.floats(dx);
        int dO = (int) dy.offset();
        int ho = (int) xhat.offset();
        int xo = (int) dx.offset();
        int parts = CpuKernels.parts(batch, dy.length());
        float[][] pg = new float[parts][c];
        float[][] pb = new float[parts][c];
        CpuKernels.parallel(batch, parts, (part, from, to) -> {
            float[][] s = scratch(c);
            float[] ds = s[0];
            float[] hs = s[1];
            float[] out = s[2];
            int rows = ds.length / c;
            double[] sumDy = new double[c];
            double[] sumDyH = new double[c];
            float[] accDy = new float[c];
            float[] accDyH = new float[c];
            float[] scale = new float[c];
            float[] shift = new float[c];
            float[] slope = new float[c];
            for (int u = from; u < to; u++) {
                int base = u * frames * c;
                java.util.Arrays.fill(sumDy, 0);
                java.util.Arrays.fill(sumDyH, 0);
                for (int t0 = 0; t0 < frames; t0 += rows) {
                    int m = Math.min(rows, frames - t0);
                    db.get(dO + base + t0 * c, ds, 0, m * c);
                    hb.get(ho + base + t0 * c, hs, 0, m * c);
                    java.util.Arrays.fill(accDy, 0);
                    java.util.Arrays.fill(accDyH, 0);
                    for (int r = 0; r < m; r++) {
                        addProductsInto(ds, hs, r * c, accDy, accDyH, c);
                    }
                    for (int j = 0; j < c; j++) {
                        sumDy[j] += accDy[j];
                        sumDyH[j] += accDyH[j];
                    }
                }
                for (int j = 0; j < c; j++) {
                    pb[part][j] += (float) sumDy[j];
                    pg[part][j] += (float) sumDyH[j];
                    float inv = invAll[u * c + j];
                    // dx = inv·γ·dy − inv·γ·mean(dy) − x̂·inv·γ·mean(dy ⊙ x̂)
                    scale[j] = inv * g[j];
                    shift[j] = (float) (scale[j] * sumDy[j] / frames);
                    slope[j] = (float) (scale[j] * sumDyH[j] / frames);
                }
                for (int t0 = 0; t0 < frames; t0 += rows) {
                    int m = Math.min(rows, frames - t0);
                    db.get(dO + base + t0 * c, ds, 0, m * c);
                    hb.get(ho + base + t0 * c, hs, 0, m * c);
                    for (int r = 0; r < m; r++) {
                        groupNormInputGrad(ds, hs, out, r * c, c, scale, shift, slope);
                    }
                    xb.put(xo + base + t0 * c, out, 0, m * c);
                }
            }
        });
        accumulate(dgamma, pg);
        accumulate(dbeta, pb);
    }

    // ---------------------------------------------------------------- SIMD loops over one row

    private static float sum(float[] a, int o, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            acc = acc.add(FloatVector.fromArray(S, a, o + i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += a[o + i];
        }
        return s;
    }

    private static float sumSquaredDeviations(float[] a, int o, int len, float mean) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector dev = FloatVector.fromArray(S, a, o + i).sub(mean);
            acc = dev.fma(dev, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float dev = a[o + i] - mean;
            s += dev * dev;
        }
        return s;
    }

    private static void normalise(float[] xs, float[] hs, float[] ys, int o, int len, float mean, float inv, float[] g,
            float[] b) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector h = FloatVector.fromArray(S, xs, o + i).sub(mean).mul(inv);
            h.intoArray(hs, o + i);
            h.fma(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, b, i)).intoArray(ys, o + i);
        }
        for (; i < len; i++) {
            float h = (xs[o + i] - mean) * inv;
            hs[o + i] = h;
            ys[o + i] = h * g[i] + b[i];
        }
    }

    private static void addInto(float[] xs, int o, float[] acc, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector.fromArray(S, acc, i).add(FloatVector.fromArray(S, xs, o + i)).intoArray(acc, i);
        }
        for (; i < len; i++) {
            acc[i] += xs[o + i];
        }
    }

    private static void addSquaredDeviationsInto(float[] xs, int o, float[] mean, float[] acc, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector dev = FloatVector.fromArray(S, xs, o + i).sub(FloatVector.fromArray(S, mean, i));
            dev.fma(dev, FloatVector.fromArray(S, acc, i)).intoArray(acc, i);
        }
        for (; i < len; i++) {
            float dev = xs[o + i] - mean[i];
            acc[i] += dev * dev;
        }
    }

    private static void normalisePerChannel(float[] xs, float[] hs, float[] ys, int o, int len, float[] mean, float[] inv,
            float[] g, float[] b) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector h = FloatVector.fromArray(S, xs, o + i).sub(FloatVector.fromArray(S, mean, i))
                    .mul(FloatVector.fromArray(S, inv, i));
            h.intoArray(hs, o + i);
            h.fma(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, b, i)).intoArray(ys, o + i);
        }
        for (; i < len; i++) {
            float h = (xs[o + i] - mean[i]) * inv[i];
            hs[o + i] = h;
            ys[o + i] = h * g[i] + b[i];
        }
    }

    private static void addProductsInto(float[] ds, float[] hs, int o, float[] accDy, float[] accDyH, int len) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector dyv = FloatVector.fromArray(S, ds, o + i);
            FloatVector.fromArray(S, accDy, i).add(dyv).intoArray(accDy, i);
            dyv.fma(FloatVector.fromArray(S, hs, o + i), FloatVector.fromArray(S, accDyH, i)).intoArray(accDyH, i);
        }
        for (; i < len; i++) {
            accDy[i] += ds[o + i];
            accDyH[i] += ds[o + i] * hs[o + i];
        }
    }

    private static void groupNormInputGrad(float[] ds, float[] hs, float[] out, int o, int len, float[] scale,
            float[] shift, float[] slope) {
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, ds, o + i).mul(FloatVector.fromArray(S, scale, i))
                    .sub(FloatVector.fromArray(S, shift, i));
            FloatVector.fromArray(S, hs, o + i).mul(FloatVector.fromArray(S, slope, i)).neg().add(v).intoArray(out, o + i);
        }
        for (; i < len; i++) {
            out[o + i] = ds[o + i] * scale[i] - shift[i] - hs[o + i] * slope[i];
        }
    }
}
