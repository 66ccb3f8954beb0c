package org.speechwb.engine.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Log mel filterbank energies, the classic ASR input the wav2vec paper compares its context
 * features with: 25 ms Hamming windows every 10 ms, pre-emphasis 0.97 after removing each
 * frame's DC offset, a 512-point power spectrum, {@code bins} triangular filters equally
 * spaced on the HTK mel scale (1127·ln(1 + f/700)) between {@code lowHz} and {@code highHz},
 * and the natural log with a floor of 1e-10. These are Kaldi's {@code compute-fbank-feats}
 * conventions, including {@code snip-edges}: frame t covers samples [160·t, 160·t + 400), and
 * audio shorter than one window has no frames. No normalisation: an acoustic model normalises
 * with statistics of its training set (see {@code acoustic.FeatureNormalizer}).
 */
public final class LogMelFilterbank implements FrontEnd {

    public static final int SAMPLE_RATE = 16_000;
    public static final int WINDOW = 400;
    public static final int HOP = 160;
    private static final int FFT = 512;
    private static final double PREEMPHASIS = 0.97;
    private static final double FLOOR = 1e-10;
    /** Kaldi's floor (float32 epsilon), which its MFCC and torchaudio's compliance.kaldi apply. */
    public static final double KALDI_FLOOR = Math.ulp(1.0f);

    private final int bins;
    private final double floor;
    private final double[] window = new double[WINDOW];
    /** filters[m] has weights for FFT bins first[m] .. first[m] + filters[m].length − 1 */
    private final double[][] filters;
    private final int[] first;
    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT);

    /** 80 bins from 20 Hz to 8 kHz. */
    public LogMelFilterbank() {
        this(80, 20, 8000);
    }

    public LogMelFilterbank(int bins, double lowHz, double highHz) {
        this(bins, lowHz, highHz, FLOOR);
    }

    /** @param floor the smallest energy the log is taken of */
    public LogMelFilterbank(int bins, double lowHz, double highHz, double floor) {
        this.floor = floor;
        if (bins < 1 || !(lowHz >= 0) || !(highHz > lowHz) || highHz > SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("log-mel needs bins >= 1 and 0 <= lowHz < highHz <= 8000, got " + bins + ", "
                    + lowHz + ", " + highHz);
        }
        this.bins = bins;
        for (int i = 0; i < WINDOW; i++) {
            window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (WINDOW - 1));
        }
        double lowMel = mel(lowHz);
        double step = (mel(highHz) - lowMel) / (bins + 1);
        filters = new double[bins][];
        first = new int[bins];
        for (int m = 0; m < bins; m++) {
            double left = lowMel + m * step;
            double center = left + step;
            double right = center + step;
            int lo = -1;
            double[] w = new double[FFT / 2 + 1];
            int hi = -1;
            for (int k = 0; k <= FFT / 2; k++) {
                double f = mel((double) k * SAMPLE_RATE / FFT);
                double v = f > left && f <= center ? (f - left) / (center - left)
                        : f > center && f < right ? (right - f) / (right - center) : 0;
                if (v > 0) {
                    lo = lo < 0 ? k : lo;
                    hi = k;
                    w[k] = v;
                }
            }
            if (lo < 0) {
                throw new IllegalArgumentException(bins + " mel bins between " + lowHz + " and " + highHz
                        + " Hz are narrower than the FFT's " + (SAMPLE_RATE / FFT) + " Hz resolution (bin " + m + " is empty)");
            }
            first[m] = lo;
            filters[m] = java.util.Arrays.copyOfRange(w, lo, hi + 1);
        }
    }

    static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }

    @Override
    public String name() {
        return bins + " log-mel";
    }

    @Override
    public int dimension() {
        return bins;
    }

    @Override
    public int hopSamples() {
        return HOP;
    }

    @Override
    public int framesFor(int samples) {
        return samples < WINDOW ? 0 : 1 + (samples - WINDOW) / HOP;
    }

    @Override
    public float[][] compute(float[] samples) {
        int frames = framesFor(samples.length);
        float[][] out = new float[frames][bins];
        double[] buf = new double[FFT];
        double[] power = new double[FFT / 2 + 1];
        for (int t = 0; t < frames; t++) {
            int start = t * HOP;
            double mean = 0;
            for (int i = 0; i < WINDOW; i++) {
                mean += samples[start + i];
            }
            mean /= WINDOW;
            java.util.Arrays.fill(buf, 0);
            // pre-emphasis inside the frame, the first sample against itself (Kaldi)
            for (int i = WINDOW - 1; i >= 0; i--) {
                double x = samples[start + i] - mean;
                double prev = (i > 0 ? samples[start + i - 1] : samples[start]) - mean;
                buf[i] = (x - PREEMPHASIS * prev) * window[i];
            }
            fft.realForward(buf);
            // JTransforms packs DC in [0], Nyquist in [1], then (re, im) pairs
            power[0] = buf[0] * buf[0];
            power[FFT / 2] = buf[1] * buf[1];
            for (int k = 1; k < FFT / 2; k++) {
                power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
            }
            for (int m = 0; m < bins; m++) {
                double e = 0;
                double[] w = filters[m];
                for (int j = 0; j < w.length; j++) {
                    e += w[j] * power[first[m] + j];
                }
                out[t][m] = (float) Math.log(Math.max(e, floor));
            }
        }
        return out;
    }
}
