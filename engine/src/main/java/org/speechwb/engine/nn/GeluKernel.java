package org.speechwb.engine.nn;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact GELU forward and its derivative in one pass over memory, on the CPU backend for
 * contiguous float32 arrays.
 *
 * <p>Why: through ND4J the exact GELU costs five element-wise passes forward and seven backward,
 * plus an {@code erf} (3.5 ns an element) and an {@code exp} (2.6 ns); on the small config that
 * was 105 + 72 ms of a 1.1 s update (docs/performance.md). Here one pass reads x and writes both
 * {@code y = x·Φ(x)} and the derivative {@code Φ(x) + x·φ(x)}, so backward is one multiply.
 * Φ uses Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7 on erf, under float32's resolution of
 * Φ near 1), whose {@code exp(−x²/2)} is also φ's, so one exponential serves both.
 *
 * <p>HotSpot does not vectorise the scalar loop (about 11 ns an element on one thread, where
 * ND4J's erf alone takes 3.5 on two), so its forward is no clear win over ND4J's five passes;
 * its gain is backward's (40–62 → 5–7 ms on the small config). When the Vector API's module is
 * present ({@link CpuKernels#VECTORISED}) the same formulas run on SIMD lanes ({@link GeluVector}, 0.4 ns
 * an element), which makes the forward a win as well: {@link Gelu} then uses the kernel for
 * inference too, and otherwise only when training.
 *
 * <p>Other backends and dtypes keep {@link Gelu}'s ND4J path ({@link CpuKernels} says when).
 */
final class GeluKernel {

    private static final int CHUNK = 4096;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

    static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    static final float P = 0.3275911f;
    static final float A1 = 0.254829592f;
    static final float A2 = -0.284496736f;
    static final float A3 = 1.421413741f;
    static final float A4 = -1.453152027f;
    static final float A5 = 1.061405429f;

    private GeluKernel() {
    }

    /** Whether {@link #forward} may be used: CPU backend, float32, dense row-major strides, same length. */
    static boolean applies(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.length() != arrays[0].length()) {
                return false;
            }
        }
        return CpuKernels.applies(arrays);
    }

    /**
     * {@code y = x·Φ(x)} and {@code dydx = Φ(x) + x·φ(x)}; y and dydx must not overlap x.
     *
     * @param vector SIMD lanes ({@link GeluVector}; only when {@link CpuKernels#VECTORISED}) or the scalar loop
     */
    static void forward(INDArray x, INDArray y, INDArray dydx, boolean vector) {
        if (vector && !CpuKernels.VECTORISED) {
            throw new IllegalStateException("the vectorised GELU needs the JVM option --add-modules=jdk.incubator.vector");
        }
        int n = (int) x.length();
        FloatBuffer xb = CpuKernels.floats(x);
        FloatBuffer yb = CpuKernels.floats(y);
        FloatBuffer gb = CpuKernels.floats(dydx);
        int xo = (int) x.offset();
        int yo = (int) y.offset();
        int go = (int) dydx.offset();
        CpuKernels.parallel(n, CpuKernels.parts(n, n), (part, from, to) -> range(xb, yb, gb, xo, yo, go, from, to, vector));
    }

    private static void range(FloatBuffer xb, FloatBuffer yb, FloatBuffer gb, int xo, int yo, int go, int from, int to,
            boolean vector) {
        float[][] s = SCRATCH.get();
        float[] xs = s[0];
        float[] ys = s[1];
        float[] gs = s[2];
        for (int start = from; start < to; start += CHUNK) {
            int len = Math.min(CHUNK, to - start);
            xb.get(xo + start, xs, 0, len);
            if (vector) {
                GeluVector.chunk(xs, ys, gs, len);
            } else {
                scalar(xs, ys, gs, 0, len);
            }
            yb.put(yo + start, ys, 0, len);
            gb.put(go + start, gs, 0, len);
        }
    }

    /** The scalar loop over elements {@code from..to-1} of a chunk. */
    static void scalar(float[] xs, float[] ys, float[] gs, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = xs[i];
            float t = 1f / (1f + P * INV_SQRT2 * Math.abs(x));
            float e = expNonPositive(-0.5f * x * x);
            // 0.5·erfc(|x|/√2) = Φ(−|x|)
            float tail = 0.5f * t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * e;
            float cdf = x >= 0 ? 1f - tail : tail;
            ys[i] = x * cdf;
            gs[i] = cdf + x * e * INV_SQRT_2PI;
        }
    }

    static final float LOG2E = 1.44269504f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = 0x4B400000;

    /**
     * {@code exp(y)} for {@code y ≤ 0} within 2.4e-7 relative (NaN stays NaN): {@link Math#exp}
     * in double costs 18 ns an element here, this 11. Cody–Waite reduction to {@code r ∈ [−ln2/2,
     * ln2/2]}, a degree-6 Taylor polynomial, and 2^n from the exponent bits; below −87 (where
     * the result is under float's normal range) it returns about 1.6e-38 instead of 0.
     */
    static float expNonPositive(float y) {
        float c = y < -87f ? -87f : y;
        float shifted = c * LOG2E + ROUND;
        float n = shifted - ROUND;
        float r = c - n * LN2_HI - n * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - ROUND_BITS + 127) << 23);
    }
}
