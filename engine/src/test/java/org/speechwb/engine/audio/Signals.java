package org.speechwb.engine.audio;

import java.util.Random;

/** Test signals and the measurements the assertions need. */
final class Signals {

    private Signals() {
    }

    static float[] tone(double hz, int rate, int length, double amplitude) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** A tone plus a little noise, different per seed: a cheap stand-in for a recording. */
    static float[] noisyTone(double hz, int rate, int length, long seed) {
        Random random = new Random(seed);
        float[] x = tone(hz, rate, length, 0.5);
        for (int i = 0; i < length; i++) {
            x[i] += (float) (0.2 * random.nextGaussian());
            x[i] = Math.max(-1f, Math.min(1f, x[i]));
        }
        return x;
    }

    /** Root-mean-square over {@code [from, to)}. */
    static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    /** Largest absolute difference. */
    static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The mean of the channels, as the reader mixes them. */
    static float[] mean(float[][] channels) {
        float[] out = new float[channels[0].length];
        for (float[] channel : channels) {
            for (int i = 0; i < out.length; i++) {
                out[i] += channel[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= channels.length;
        }
        return out;
    }
}
