package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.speechwb.engine.text.Vocabulary;

/**
 * Made-up CTC log-posteriors that spell a known transcript, shaped like a fine-tuned model's:
 * each token fires on one or two frames with blanks between (about 3.5 frames per token, i.e.
 * a Harvard sentence lasts ~3 s at 50 frames/s), Gaussian noise on every class, and with
 * probability {@code confusion} a token whose frames favour a wrong letter (the right one
 * staying second). For benchmarking and testing decoders without a trained model; never a
 * stand-in for real accuracy figures.
 */
public final class SyntheticPosteriors {

    private final Vocabulary vocabulary;
    private final double confusion;
    private final double peak;
    private final double noise;
    private final SplittableRandom rng;

    /**
     * @param confusion share of tokens whose frames prefer a wrong letter
     * @param peak      logit margin of the intended class (8 gives ~0.96 probability)
     * @param noise     standard deviation of the logit noise on every class
     */
    public SyntheticPosteriors(Vocabulary vocabulary, double confusion, double peak, double noise, long seed) {
        if (confusion < 0 || confusion > 1) {
            throw new IllegalArgumentException("confusion must be in [0, 1], got " + confusion);
        }
        this.vocabulary = vocabulary;
        this.confusion = confusion;
        this.peak = peak;
        this.noise = noise;
        this.rng = new SplittableRandom(seed);
    }

    /** Log-posteriors {@code [frames][classes]} for {@code transcript}. */
    public float[][] logProbs(String transcript) {
        int[] tokens = vocabulary.encode(transcript);
        List<float[]> frames = new ArrayList<>();
        int blank = vocabulary.blank();
        addFrames(frames, blank, -1, rng.nextInt(4));
        for (int token : tokens) {
            int rival = -1;
            if (token != vocabulary.wordBoundary() && rng.nextDouble() < confusion) {
                rival = randomLetter(token);
            }
            addFrames(frames, token, rival, 1 + rng.nextInt(2));
            addFrames(frames, blank, -1, 1 + rng.nextInt(3));
        }
        float[][] out = frames.toArray(new float[0][]);
        LogProbs.logSoftmaxInPlace(out);
        return out;
    }

    private void addFrames(List<float[]> frames, int token, int rival, int count) {
        for (int i = 0; i < count; i++) {
            float[] f = new float[vocabulary.size()];
            for (int c = 0; c < f.length; c++) {
                f[c] = (float) (noise * gaussian());
            }
            f[token] += (float) peak;
            if (rival >= 0) {
                f[rival] += (float) (peak + 0.3 + rng.nextDouble());
            }
            frames.add(f);
        }
    }

    private int randomLetter(int not) {
        while (true) {
            int c = 1 + rng.nextInt(vocabulary.size() - 1);
            if (c != not && c != vocabulary.wordBoundary() && c != vocabulary.unknown()) {
                return c;
            }
        }
    }

    private double gaussian() {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
