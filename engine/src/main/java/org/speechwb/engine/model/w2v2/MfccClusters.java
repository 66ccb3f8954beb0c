package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.speechwb.engine.features.Mfcc;

/**
 * The targets of HuBERT's first iteration: k-means clusters of 39 MFCC features, one label per
 * model frame. MFCC frames come every 10 ms and model frames every 20 ms; as fairseq's
 * {@code feat2tar_ratio} of 2, model frame t takes MFCC frame 2t, whose 400-sample window is
 * exactly the frame's receptive field ([320·t, 320·t + 400)).
 *
 * <p>The centroids are fitted once per run on its own training audio (k-means++ then Lloyd's
 * iterations, Apache Commons Math) and saved in every checkpoint with the model, so that the
 * Inspector, the probes and a resumed run label frames the same way.
 *
 * <p>With CMVN each row's MFCCs are normalised to zero mean and unit variance per coefficient
 * over all of the row's MFCC frames before clustering and labelling. A row is what is labelled
 * at once: a training crop, or a whole utterance in the Inspector and the probes, whose
 * statistics differ a little from its crops'.
 */
public final class MfccClusters {

    /** MFCC frames (10 ms) per model frame (20 ms). */
    public static final int FRAME_RATIO = 2;
    private static final int MAX_ITERATIONS = 100;

    /** A coefficient whose spread in a row is below this (silence, digital zeros) is only centred. */
    private static final double MIN_STD = 1e-3;

    private final float[][] centroids;
    private final boolean cmvn;
    private final Mfcc mfcc = new Mfcc();

    /**
     * @param centroids {@code [K][39]}
     * @param cmvn      whether the MFCCs are normalised per row (mean and variance) before labelling
     */
    public MfccClusters(float[][] centroids, boolean cmvn) {
        if (centroids.length < 2) {
            throw new IllegalArgumentException("MFCC cluster targets need at least 2 clusters, got " + centroids.length);
        }
        for (float[] c : centroids) {
            if (c.length != Mfcc.DIMENSION) {
                throw new IllegalArgumentException("an MFCC centroid has " + Mfcc.DIMENSION + " values, got " + c.length);
            }
        }
        this.centroids = centroids;
        this.cmvn = cmvn;
    }

    /**
     * Fits {@code k} clusters to the model frames of {@code audio} (16 kHz rows, as the trainer
     * batches them), taking frames in order until {@code maxFrames}.
     *
     * @param framesFor the model's frame count for a number of samples
     */
    public static MfccClusters fit(Iterable<float[]> audio, java.util.function.LongUnaryOperator framesFor, int k,
                                   boolean cmvn, int maxFrames, long seed) {
        Mfcc mfcc = new Mfcc();
        List<DoublePoint> points = new ArrayList<>();
        for (float[] row : audio) {
            int frames = (int) framesFor.applyAsLong(row.length);
            for (float[] f : features(mfcc, row, frames, cmvn)) {
                double[] p = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    p[i] = f[i];
                }
                points.add(new DoublePoint(p));
                if (points.size() >= maxFrames) {
                    break;
                }
            }
            if (points.size() >= maxFrames) {
                break;
            }
        }
        if (points.size() < 10 * k) {
            throw new IllegalArgumentException(points.size() + " frames of training audio are too few to fit " + k
                    + " MFCC clusters (at least " + 10 * k + " needed); lower loss.mfccClusters or add audio");
        }
        JDKRandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(seed);
        var clusterer = new KMeansPlusPlusClusterer<DoublePoint>(k, MAX_ITERATIONS, new EuclideanDistance(), rng);
        List<CentroidCluster<DoublePoint>> clusters = clusterer.cluster(points);
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            double[] p = clusters.get(c).getCenter().getPoint();
            centroids[c] = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                centroids[c][i] = (float) p[i];
            }
        }
        return new MfccClusters(centroids, cmvn);
    }

    public int clusters() {
        return centroids.length;
    }

    /** Whether each row's MFCCs are mean- and variance-normalised before labelling. */
    public boolean cmvn() {
        return cmvn;
    }

    /** {@code [K][39]}; a copy. */
    public float[][] centroids() {
        float[][] out = new float[centroids.length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = centroids[c].clone();
        }
        return out;
    }

    /** The cluster of each of the first {@code frames} model frames of every row, {@code [rows][frames]}. */
    public int[][] label(float[][] rows, int frames) {
        int[][] out = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = label(rows[r], frames);
        }
        return out;
    }

    /** The cluster of each of the first {@code frames} model frames of {@code audio}. */
    public int[] label(float[] audio, int frames) {
        float[][] f = features(mfcc, audio, frames, cmvn);
        int[] out = new int[frames];
        for (int t = 0; t < frames; t++) {
            out[t] = nearest(f[t]);
        }
        return out;
    }

    private int nearest(float[] x) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double d = 0;
            float[] m = centroids[c];
            for (int i = 0; i < x.length; i++) {
                double e = x[i] - m[i];
                d += e * e;
            }
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /**
     * The MFCCs of model frames 0..frames−1: MFCC frame 2t for frame t; with {@code cmvn}
     * normalised with the statistics of all of {@code audio}'s MFCC frames.
     */
    static float[][] features(Mfcc mfcc, float[] audio, int frames, boolean cmvn) {
        float[][] all = mfcc.compute(audio);
        if (cmvn) {
            normalise(all);
        }
        if (frames > 0 && FRAME_RATIO * (frames - 1) >= all.length) {
            throw new IllegalArgumentException(audio.length + " samples give " + all.length + " MFCC frames, too few for "
                    + frames + " model frames");
        }
        float[][] out = new float[frames][];
        for (int t = 0; t < frames; t++) {
            out[t] = all[FRAME_RATIO * t];
        }
        return out;
    }

    /** Per-coefficient mean and variance normalisation over the frames, in place. */
    static void normalise(float[][] frames) {
        if (frames.length == 0) {
            return;
        }
        int dim = frames[0].length;
        for (int i = 0; i < dim; i++) {
            double sum = 0;
            double sq = 0;
            for (float[] f : frames) {
                sum += f[i];
                sq += (double) f[i] * f[i];
            }
            double mean = sum / frames.length;
            double std = Math.sqrt(Math.max(0, sq / frames.length - mean * mean));
            double scale = std < MIN_STD ? 1 : 1 / std;
            for (float[] f : frames) {
                f[i] = (float) ((f[i] - mean) * scale);
            }
        }
    }
}
