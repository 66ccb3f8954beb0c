package org.speechwb.engine.features;

import java.util.Objects;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * A spectrogram of 16 kHz audio for display, in decibels: either the log-mel filterbank the
 * acoustic models see ({@link LogMelFilterbank}, 80 bands from 20 Hz to 8 kHz, converted from
 * natural log to dB) or the linear-frequency magnitude of a 512-point FFT (257 bins from 0 to
 * 8 kHz, Hann window), the view Praat and Sonic Visualiser open with. Both use the same framing
 * as every front end here: frame t covers samples {@code [t·hop, t·hop + window)} with a 25 ms
 * window and a 10 ms hop, so a spectrogram column lines up with the model frame of the same
 * index; its centre is sample {@link #frameCentre(int)}.
 *
 * @param values {@code [frames][bins]} in dB, bin 0 the lowest frequency
 * @param binHz  centre frequency of each bin
 * @param floorDb,peakDb the smallest and largest value, for a colour scale
 */
public record Spectrogram(Scale scale, float[][] values, double[] binHz, int hopSamples, int windowSamples,
                          long samples, float floorDb, float peakDb) {

    /** How the frequency axis is divided. */
    public enum Scale {
        LOG_MEL("log-mel"), LINEAR("linear");

        private final String label;

        Scale(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public static final int SAMPLE_RATE = LogMelFilterbank.SAMPLE_RATE;
    public static final int HOP = LogMelFilterbank.HOP;
    public static final int WINDOW = LogMelFilterbank.WINDOW;
    private static final int FFT = 512;
    /** 10·log10(e): turns the filterbank's natural log of power into dB. */
    private static final double LN_TO_DB = 10 / Math.log(10);
    /** Digital silence would give −∞; −200 dB is far below anything 16-bit audio can hold. */
    private static final double POWER_FLOOR = 1e-20;

    public Spectrogram {
        Objects.requireNonNull(scale);
        Objects.requireNonNull(values);
        Objects.requireNonNull(binHz);
    }

    /** Computes the spectrogram of {@code samples} (16 kHz, mono); shorter than one window gives no frames. */
    public static Spectrogram compute(float[] samples, Scale scale) {
        Objects.requireNonNull(samples);
        float[][] v = scale == Scale.LOG_MEL ? logMel(samples) : linear(samples);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] frame : v) {
            for (float x : frame) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (v.length == 0) {
            lo = 0;
            hi = 0;
        }
        return new Spectrogram(scale, v, scale == Scale.LOG_MEL ? melCentres() : linearCentres(), HOP, WINDOW,
                samples.length, lo, hi);
    }

    public int frames() {
        return values.length;
    }

    public int bins() {
        return binHz.length;
    }

    /** The sample at the middle of frame {@code t}'s window. */
    public double frameCentre(int t) {
        return (double) t * hopSamples + windowSamples / 2.0;
    }

    private static float[][] logMel(float[] samples) {
        float[][] v = new LogMelFilterbank().compute(samples);
        for (float[] frame : v) {
            for (int m = 0; m < frame.length; m++) {
                frame[m] = (float) (frame[m] * LN_TO_DB);
            }
        }
        return v;
    }

    private static float[][] linear(float[] samples) {
        int frames = samples.length < WINDOW ? 0 : 1 + (samples.length - WINDOW) / HOP;
        float[][] out = new float[frames][FFT / 2 + 1];
        double[] window = new double[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (WINDOW - 1));
        }
        DoubleFFT_1D fft = new DoubleFFT_1D(FFT);
        double[] buf = new double[FFT];
        for (int t = 0; t < frames; t++) {
            int start = t * HOP;
            java.util.Arrays.fill(buf, 0);
            for (int i = 0; i < WINDOW; i++) {
                buf[i] = samples[start + i] * window[i];
            }
            fft.realForward(buf);
            // JTransforms packs DC in [0], Nyquist in [1], then (re, im) pairs
            out[t][0] = db(buf[0] * buf[0]);
            out[t][FFT / 2] = db(buf[1] * buf[1]);
            for (int k = 1; k < FFT / 2; k++) {
                out[t][k] = db(buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1]);
            }
        }
        return out;
    }

    private static float db(double power) {
        return (float) (10 * Math.log10(Math.max(power, POWER_FLOOR)));
    }

    private static double[] linearCentres() {
        double[] hz = new double[FFT / 2 + 1];
        for (int k = 0; k < hz.length; k++) {
            hz[k] = (double) k * SAMPLE_RATE / FFT;
        }
        return hz;
    }

    /** The default filterbank's centres: equally spaced in mel between 20 Hz and 8 kHz. */
    private static double[] melCentres() {
        int bins = new LogMelFilterbank().dimension();
        double lo = LogMelFilterbank.mel(20);
        double step = (LogMelFilterbank.mel(8000) - lo) / (bins + 1);
        double[] hz = new double[bins];
        for (int m = 0; m < bins; m++) {
            hz[m] = 700 * (Math.exp((lo + (m + 1) * step) / 1127) - 1);
        }
        return hz;
    }
}
