package org.speechwb.engine.acoustic;

import java.util.List;

/**
 * Per-dimension mean and variance normalisation with statistics of the training features
 * (global CMVN): log-mel energies and wav2vec context vectors live on very different scales,
 * and the acoustic model should not have to learn that from ten minutes of audio.
 */
public final class FeatureNormalizer {

    private final float[] mean;
    private final float[] invStd;

    private FeatureNormalizer(float[] mean, float[] invStd) {
        this.mean = mean;
        this.invStd = invStd;
    }

    /** Statistics over every frame of {@code utterances} ({@code [frames][dim]} each). */
    public static FeatureNormalizer fit(List<float[][]> utterances) {
        int dim = -1;
        long n = 0;
        double[] sum = null;
        double[] sq = null;
        for (float[][] u : utterances) {
            for (float[] frame : u) {
                if (sum == null) {
                    dim = frame.length;
                    sum = new double[dim];
                    sq = new double[dim];
                }
                for (int d = 0; d < dim; d++) {
                    sum[d] += frame[d];
                    sq[d] += (double) frame[d] * frame[d];
                }
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no feature frames to fit the normaliser on");
        }
        float[] mean = new float[dim];
        float[] inv = new float[dim];
        for (int d = 0; d < dim; d++) {
            double m = sum[d] / n;
            double var = Math.max(0, sq[d] / n - m * m);
            mean[d] = (float) m;
            // a constant dimension (e.g. a dead ReLU channel) stays 0 instead of exploding
            inv[d] = (float) (var < 1e-10 ? 0 : 1 / Math.sqrt(var));
        }
        return new FeatureNormalizer(mean, inv);
    }

    public int dimension() {
        return mean.length;
    }

    /** A normalised copy. */
    public float[][] apply(float[][] features) {
        float[][] out = new float[features.length][];
        for (int t = 0; t < features.length; t++) {
            if (features[t].length != mean.length) {
                throw new IllegalArgumentException("frame " + t + " has " + features[t].length + " values, the normaliser "
                        + mean.length);
            }
            out[t] = new float[mean.length];
            for (int d = 0; d < mean.length; d++) {
                out[t][d] = (features[t][d] - mean[d]) * invStd[d];
            }
        }
        return out;
    }
}
