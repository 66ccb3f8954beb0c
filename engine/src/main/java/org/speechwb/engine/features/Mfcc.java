package org.speechwb.engine.features;

/**
 * 39 MFCC features per 10 ms frame, the input of HuBERT's first k-means (fairseq's
 * {@code examples/hubert/simple_kmeans/dump_mfcc_feature.py}): 13 cepstra of 23 log-mel energies
 * (orthonormal DCT-II, Kaldi's cepstral lifter 22 and energy floor, no energy replacing c0, no
 * normalisation),
 * then their deltas and delta-deltas over ±2 frames (torchaudio's {@code compute_deltas}, the
 * edges repeated). The log-mel energies are {@link LogMelFilterbank}'s (Hamming window where
 * Kaldi's MFCC uses Povey's), so frame t covers samples [160·t, 160·t + 400) as there.
 */
public final class Mfcc implements FrontEnd {

    public static final int CEPSTRA = 13;
    public static final int DIMENSION = 3 * CEPSTRA;
    private static final int MEL_BINS = 23;
    private static final double LIFTER = 22;
    private static final int DELTA_WINDOW = 2;

    private final LogMelFilterbank fbank = new LogMelFilterbank(MEL_BINS, 20, 8000, LogMelFilterbank.KALDI_FLOOR);
    private final double[][] dct = new double[CEPSTRA][MEL_BINS];

    public Mfcc() {
        for (int k = 0; k < CEPSTRA; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / MEL_BINS);
            double lift = 1 + LIFTER / 2 * Math.sin(Math.PI * k / LIFTER);
            for (int m = 0; m < MEL_BINS; m++) {
                dct[k][m] = lift * scale * Math.cos(Math.PI * k * (m + 0.5) / MEL_BINS);
            }
        }
    }

    @Override
    public String name() {
        return "39 MFCC";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int hopSamples() {
        return fbank.hopSamples();
    }

    @Override
    public int framesFor(int samples) {
        return fbank.framesFor(samples);
    }

    @Override
    public float[][] compute(float[] samples) {
        float[][] mel = fbank.compute(samples);
        int frames = mel.length;
        float[][] out = new float[frames][DIMENSION];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < CEPSTRA; k++) {
                double c = 0;
                for (int m = 0; m < MEL_BINS; m++) {
                    c += dct[k][m] * mel[t][m];
                }
                out[t][k] = (float) c;
            }
        }
        deltas(out, 0, CEPSTRA);
        deltas(out, CEPSTRA, 2 * CEPSTRA);
        return out;
    }

    /** Writes the deltas of columns [from, from + 13) into [to, to + 13). */
    private static void deltas(float[][] x, int from, int to) {
        int frames = x.length;
        double norm = 0;
        for (int n = 1; n <= DELTA_WINDOW; n++) {
            norm += 2.0 * n * n;
        }
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < CEPSTRA; k++) {
                double d = 0;
                for (int n = 1; n <= DELTA_WINDOW; n++) {
                    d += n * (x[Math.min(frames - 1, t + n)][from + k] - x[Math.max(0, t - n)][from + k]);
                }
                x[t][to + k] = (float) (d / norm);
            }
        }
    }
}
