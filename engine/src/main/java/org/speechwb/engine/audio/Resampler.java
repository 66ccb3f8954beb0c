package org.speechwb.engine.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion by a polyphase windowed-sinc (Kaiser) filter.
 *
 * <p>The conversion ratio is reduced to {@code L/M}; output sample {@code n} sits at input time
 * {@code n·M/L}, whose fractional part selects one of {@code L} precomputed filter phases. The
 * pass band reaches {@value #ROLLOFF} of the lower Nyquist frequency and the Kaiser window is
 * designed for {@value #STOPBAND_DB} dB attenuation from the lower Nyquist frequency on, so content
 * above the new Nyquist (a 10 kHz tone in a 22.05 kHz file) is removed instead of aliased.
 * Each phase is normalised to unit DC gain. Instances are immutable and thread-safe.
 *
 * <p>Every usual pair of rates reduces to at most {@value #MAX_EXACT_PHASES} phases (44.1 kHz to
 * 16 kHz is 160/441, 11.025 kHz is 640/441) and gets one exact phase per output position. An odd
 * rate read from some header (44 101 Hz: 16000/44101) would need tens of thousands of phases and
 * hundreds of megabytes of table, so beyond that limit the filter is tabulated at
 * {@value #MAX_EXACT_PHASES} + 1 evenly spaced phases and linearly interpolated between the two
 * nearest; the coefficient error of that is about 1e-6, far below the stop band. Only small
 * tables are cached, so a stream of odd rates cannot grow the cache without bound.
 */
public final class Resampler {

    static final double ROLLOFF = 0.90;
    static final double STOPBAND_DB = 80.0;

    static final int MAX_EXACT_PHASES = 1024;
    private static final int MAX_CACHED_TABLE = 1 << 21;
    private static final int MAX_CACHED_PAIRS = 64;

    private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();

    private final int fromRate;
    private final int toRate;
    private final int up;      // L
    private final int down;    // M
    private final int half;    // H: taps on each side of the output instant, in input samples
    private final int taps;    // 2H taps per phase
    private final int phases;  // rows of the table: up (exact), or MAX_EXACT_PHASES + 1 (interpolated)
    private final boolean interpolated;
    private final float[] table;

    public Resampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        int g = gcd(fromRate, toRate);
        this.up = toRate / g;
        this.down = fromRate / g;
        if (up == down) {
            half = 0;
            taps = 0;
            phases = 0;
            interpolated = false;
            table = new float[0];
            return;
        }
        this.interpolated = up > MAX_EXACT_PHASES;
        this.phases = interpolated ? MAX_EXACT_PHASES + 1 : up;
        double lowerNyquist = Math.min(fromRate, toRate) / 2.0;
        // Pass band up to ROLLOFF·Nyquist, stop band from the lower Nyquist frequency on: the sinc
        // cut-off sits in the middle of that transition band.
        double cutoffHz = (1 + ROLLOFF) / 2 * lowerNyquist;
        double transitionRad = 2 * Math.PI * (1 - ROLLOFF) * lowerNyquist / fromRate; // per input sample
        // Kaiser design formulas (Oppenheim & Schafer): length and beta for the wanted attenuation.
        double length = (STOPBAND_DB - 8.0) / (2.285 * transitionRad);
        this.half = (int) Math.ceil(length / 2.0) + 1;
        this.taps = 2 * half;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double cutoff = 2 * cutoffHz / fromRate; // in cycles per input sample, times 2 (sinc argument scale)
        double i0Beta = besselI0(beta);
        this.table = new float[phases * taps];
        int phaseSteps = interpolated ? MAX_EXACT_PHASES : up;
        for (int p = 0; p < phases; p++) {
            double frac = (double) p / phaseSteps;
            double sum = 0;
            double[] h = new double[taps];
            for (int k = 0; k < taps; k++) {
                int offset = k - half + 1;          // input index j = i + offset
                double tau = frac - offset;         // distance from the output instant, in input samples
                double x = tau / half;
                double w = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
                h[k] = cutoff * sinc(cutoff * tau) * w;
                sum += h[k];
            }
            for (int k = 0; k < taps; k++) {
                table[p * taps + k] = (float) (h[k] / sum);
            }
        }
    }

    /** A shared instance for this pair of rates (filter tables are built once). */
    public static Resampler of(int fromRate, int toRate) {
        long key = ((long) fromRate << 32) | toRate;
        Resampler cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Resampler fresh = new Resampler(fromRate, toRate);
        if (fresh.table.length <= MAX_CACHED_TABLE && CACHE.size() < MAX_CACHED_PAIRS) {
            Resampler raced = CACHE.putIfAbsent(key, fresh);
            return raced != null ? raced : fresh;
        }
        return fresh;
    }

    /** Convenience: resample a whole signal. Returns the input array itself when rates are equal. */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        return of(fromRate, toRate).process(in);
    }

    /** Output length for {@code inFrames} input samples: {@code ceil(inFrames·to/from)}. */
    public static long outputLength(long inFrames, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return inFrames;
        }
        int g = gcd(fromRate, toRate);
        long l = toRate / g;
        long m = fromRate / g;
        return (Math.multiplyExact(inFrames, l) + m - 1) / m;
    }

    public int fromRate() {
        return fromRate;
    }

    public int toRate() {
        return toRate;
    }

    /** Taps per output sample (the cost of the filter). */
    public int tapsPerOutput() {
        return taps;
    }

    public float[] process(float[] in) {
        if (up == down) {
            return in;
        }
        int outLen = Math.toIntExact(outputLength(in.length, fromRate, toRate));
        if (interpolated) {
            return processInterpolated(in, outLen);
        }
        float[] out = new float[outLen];
        int n = in.length;
        long pos = 0; // n·M, in units of 1/L input samples
        for (int o = 0; o < outLen; o++, pos += down) {
            int i = (int) (pos / up);
            int p = (int) (pos - (long) i * up);
            int base = p * taps;
            int first = i - half + 1;
            float acc = 0f;
            if (first >= 0 && first + taps <= n) {
                acc = dot(in, first, table, base, taps);
            } else {
                int kStart = Math.max(0, -first);
                int kEnd = Math.min(taps, n - first);
                for (int k = kStart; k < kEnd; k++) {
                    acc += in[first + k] * table[base + k];
                }
            }
            out[o] = acc;
        }
        return out;
    }

    /**
     * Four independent partial sums: the JIT keeps a single float accumulator strictly in order,
     * one dependent add after another, while four chains fill the FPU pipeline (about 2x here).
     */
    private static float dot(float[] x, int xOffset, float[] h, int hOffset, int length) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        int k = 0;
        for (; k + 3 < length; k += 4) {
            a0 += x[xOffset + k] * h[hOffset + k];
            a1 += x[xOffset + k + 1] * h[hOffset + k + 1];
            a2 += x[xOffset + k + 2] * h[hOffset + k + 2];
            a3 += x[xOffset + k + 3] * h[hOffset + k + 3];
        }
        for (; k < length; k++) {
            a0 += x[xOffset + k] * h[hOffset + k];
        }
        return (a0 + a1) + (a2 + a3);
    }

    /** As {@link #process}, for a table of evenly spaced phases: blend the two nearest. */
    private float[] processInterpolated(float[] in, int outLen) {
        float[] out = new float[outLen];
        int n = in.length;
        long pos = 0;
        double phaseScale = (double) MAX_EXACT_PHASES / up;
        for (int o = 0; o < outLen; o++, pos += down) {
            int i = (int) (pos / up);
            double phase = (pos - (long) i * up) * phaseScale;
            int p = (int) phase;
            float t = (float) (phase - p);
            int base0 = p * taps;
            int base1 = base0 + taps;
            int first = i - half + 1;
            int kStart = Math.max(0, -first);
            int kEnd = Math.min(taps, n - first);
            float acc0 = 0f;
            float acc1 = 0f;
            for (int k = kStart; k < kEnd; k++) {
                float x = in[first + k];
                acc0 += x * table[base0 + k];
                acc1 += x * table[base1 + k];
            }
            out[o] = acc0 + t * (acc1 - acc0);
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order zero (power series). */
    private static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
