package org.speechwb.engine.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link GroupedTimeConv}'s loops on SIMD lanes (the Vector API); loaded only when its module is
 * present. Each loop keeps one vector of output channels (or, for the input gradient, input
 * channels) in a register and streams the group's taps through it, so nothing is unfolded.
 */
final class GroupedTimeConvVector {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GroupedTimeConvVector() {
    }

    static boolean fits(int groupWidth) {
        return groupWidth % L == 0;
    }

    /*
     * The vector loops are single flat loops in small methods of their own: with the accumulator
     * carried across two nested loops, Java 17's C2 failed to intrinsify the final store and boxed
     * the vector on every iteration (850 MB allocated per call, several times slower).
     */

    /**
     * {@code out[o] = Σ_{j<taps} Σ_{c<dg} a[a0 + j·aStep + c] · w[w0 + j·dg² + c·dg + lane]}: one
     * vector of output lanes over the taps of one output frame.
     */
    private static void taps(float[] a, int a0, int aStep, float[] w, int w0, int dg, int taps, float[] out, int o) {
        FloatVector acc = FloatVector.zero(S);
        // one flat loop: tap j, channel c is weight row (j·dg + c), so the weight index just steps by dg
        int ar = a0;
        int c = 0;
        int wr = w0;
        for (int i = 0, n = taps * dg; i < n; i++, wr += dg) {
            acc = FloatVector.fromArray(S, w, wr).fma(FloatVector.broadcast(S, a[ar + c]), acc);
            if (++c == dg) {
                c = 0;
                ar += aStep;
            }
        }
        acc.intoArray(out, o);
    }

    /**
     * {@code gw[o + lane] = Σ_b Σ_{tlo≤t<thi} xs[b, t + shift, xc] · ds[b, t, dc + lane]}: one
     * vector of a tap's weight gradient.
     */
    private static void frames(float[] xs, float[] ds, int batch, int frames, int channels, int tlo, int thi, int shift,
            int xc, int dc, float[] gw, int o) {
        FloatVector acc = FloatVector.zero(S);
        // one flat loop over (utterance, frame), as in taps
        int b = 0;
        int t = tlo;
        for (int i = 0, n = batch * (thi - tlo); i < n; i++) {
            int row = b * frames + t;
            acc = FloatVector.fromArray(S, ds, row * channels + dc).fma(FloatVector.broadcast(S, xs[(row + shift) * channels + xc]), acc);
            if (++t == thi) {
                t = tlo;
                b++;
            }
        }
        acc.intoArray(gw, o);
    }

    static void forward(INDArray x, INDArray w, int groups, int kernel, int pad, INDArray out) {
        int batch = (int) x.size(0);
        int frames = (int) x.size(1);
        int channels = (int) x.size(2);
        int dg = channels / groups;
        float[] xs = CpuKernels.read(x);
        float[] ws = CpuKernels.read(w);
        float[] os = new float[xs.length];
        long work = (long) batch * frames * kernel * channels * dg;
        CpuKernels.parallel(batch * groups, CpuKernels.parts(batch * groups, work), (part, from, to) -> {
            for (int item = from; item < to; item++) {
                int b = item / groups;
                int g = item % groups;
                for (int t = 0; t < frames; t++) {
                    int jlo = Math.max(0, pad - t);
                    int jhi = Math.min(kernel, frames + pad - t);
                    for (int v = 0; v < dg; v += L) {
                        taps(xs, (b * frames + t + jlo - pad) * channels + g * dg, channels, ws,
                                (g * kernel + jlo) * dg * dg + v, dg, jhi - jlo, os, (b * frames + t) * channels + g * dg + v);
                    }
                }
            }
        });
        CpuKernels.write(os, out);
    }

    static void inputGrad(INDArray dout, INDArray w, int groups, int kernel, int pad, INDArray dx) {
        int batch = (int) dout.size(0);
        int frames = (int) dout.size(1);
        int channels = (int) dout.size(2);
        int dg = channels / groups;
        float[] ds = CpuKernels.read(dout);
        float[] ws = CpuKernels.read(w);
        // the lanes are input channels here, so each tap's [dg, dg] block is transposed to (o, c)
        float[] wt = new float[ws.length];
        for (int block = 0; block < groups * kernel; block++) {
            int base = block * dg * dg;
            for (int c = 0; c < dg; c++) {
                for (int o = 0; o < dg; o++) {
                    wt[base + o * dg + c] = ws[base + c * dg + o];
                }
            }
        }
        float[] xs = new float[ds.length];
        long work = (long) batch * frames * kernel * channels * dg;
        CpuKernels.parallel(batch * groups, CpuKernels.parts(batch * groups, work), (part, from, to) -> {
            for (int item = from; item < to; item++) {
                int b = item / groups;
                int g = item % groups;
                for (int s = 0; s < frames; s++) {
                    // output frame t = s − j + pad must exist
                    int jlo = Math.max(0, s + pad - frames + 1);
                    int jhi = Math.min(kernel, s + pad + 1);
                    for (int v = 0; v < dg; v += L) {
                        // taps run forward in j while the output frame s − j + pad runs backward
                        taps(ds, (b * frames + s - jlo + pad) * channels + g * dg, -channels, wt,
                                (g * kernel + jlo) * dg * dg + v, dg, jhi - jlo, xs, (b * frames + s) * channels + g * dg + v);
                    }
                }
            }
        });
        CpuKernels.write(xs, dx);
    }

    static void weightGrad(INDArray x, INDArray dout, int groups, int kernel, int pad, INDArray dw) {
        int batch = (int) x.size(0);
        int frames = (int) x.size(1);
        int channels = (int) x.size(2);
        int dg = channels / groups;
        float[] xs = CpuKernels.read(x);
        float[] ds = CpuKernels.read(dout);
        float[] gw = new float[groups * kernel * dg * dg];
        long work = (long) batch * frames * kernel * channels * dg;
        CpuKernels.parallel(groups * kernel, CpuKernels.parts(groups * kernel, work), (part, from, to) -> {
            for (int item = from; item < to; item++) {
                int g = item / kernel;
                int j = item % kernel;
                // input frame t + j − pad must exist
                int tlo = Math.max(0, pad - j);
                int thi = Math.min(frames, frames + pad - j);
                for (int c = 0; c < dg; c++) {
                    for (int v = 0; v < dg; v += L) {
                        frames(xs, ds, batch, frames, channels, tlo, thi, j - pad, g * dg + c, g * dg + v, gw,
                                ((g * kernel + j) * dg + c) * dg + v);
                    }
                }
            }
        });
        CpuKernels.write(gw, dw);
    }
}
