package org.speechwb.engine.bench;

import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * Analytic multiply-accumulates of one wav2vec 2.0 forward pass, counted from the shapes of
 * every matrix product and convolution exactly as the PyTorch peer benchmark counts them
 * (encoder, projections, positional conv, attention, FFN, quantizer on the masked frames,
 * head). Training FLOPs = 6 × forward MACs (forward + backward ≈ 3 forwards, 2 FLOPs per MAC).
 * Element-wise work, norms, softmax and the optimiser are not counted.
 */
public final class FlopCount {

    private FlopCount() {
    }

    /**
     * @param batch   utterances
     * @param samples samples per utterance
     * @param masked  masked frames per utterance
     */
    public static double forwardMacs(Wav2Vec2Config c, long batch, long samples, long masked, int negatives) {
        double encoder = 0;
        long t = samples;
        long in = 1;
        for (ConvLayerSpec l : c.convLayers()) {
            t = (t - l.kernel()) / l.stride() + 1;
            encoder += (double) batch * t * l.channels() * in * l.kernel();
            in = l.channels();
        }
        long frames = t;
        long d = c.modelDim();
        double proj = in == d ? 0 : (double) batch * frames * in * d;
        double pos = (double) batch * (frames + 1) * d * (d / c.posConvGroups()) * c.posConvKernel();
        double attnProj = (double) c.layers() * batch * frames * 4.0 * d * d;
        double attnScores = (double) c.layers() * 2.0 * batch * frames * frames * d;
        double ffn = (double) c.layers() * batch * frames * 2.0 * d * c.ffnDim();
        long g = c.codebookGroups();
        long v = c.codebookEntries();
        long dq = c.finalDim();
        double quant = (double) batch * masked * (in * g * v + v * dq + dq * dq);
        double head = (double) batch * masked * (d * dq + (1.0 + negatives) * dq);
        return encoder + proj + pos + attnProj + attnScores + ffn + quant + head;
    }

    /**
     * Analytic forward MACs of wav2vec 1.0 / vq-wav2vec: encoder and context convolutions
     * (residual projections included), Gumbel logit projection and codebook lookup, step heads
     * on every frame, and the (1 + N) dot products per positive that the reference computes.
     * (This engine scores every frame against every (t, k) row in one GEMM instead, more
     * arithmetic than counted here; the figure is comparable across implementations.)
     */
    public static double forwardMacs(org.speechwb.engine.model.w2v1.Wav2Vec1Config c, long batch, long samples,
                                     int negatives) {
        double macs = 0;
        long t = samples;
        long in = 1;
        for (ConvLayerSpec l : c.convLayers()) {
            t = (t - l.kernel()) / l.stride() + 1;
            macs += (double) batch * t * l.channels() * in * l.kernel();
            in = l.channels();
        }
        long frames = t;
        if (c.quantizer().equals("gumbel")) {
            long hidden = c.vqDepth() == 2 ? 2 * in : in;
            macs += (double) batch * frames * ((c.vqDepth() == 2 ? in * hidden : 0) + hidden * c.vqGroups() * c.vqEntries()
                    + (long) c.vqEntries() * c.featureDim());
        } else if (c.quantizer().equals("kmeans")) {
            macs += (double) batch * frames * (in * in / c.vqGroups() + (long) c.vqEntries() * in);
        }
        long f = c.featureDim();
        long cin = f;
        for (ConvLayerSpec l : c.contextLayers()) {
            macs += (double) batch * frames * l.channels() * cin * l.kernel();
            if (c.contextSkipConnections() && cin != l.channels()) {
                macs += (double) batch * frames * l.channels() * cin;
            }
            cin = l.channels();
        }
        macs += (double) batch * frames * cin * f * c.predictionSteps();
        long offset = c.effectiveOffset();
        for (int k = 0; k < Math.min(c.predictionSteps(), frames - offset); k++) {
            macs += (double) batch * (frames - offset - k) * (1.0 + negatives) * f;
        }
        return macs;
    }

    public static double trainingFlops(Wav2Vec2Config c, long batch, long samples, long masked, int negatives) {
        return 6 * forwardMacs(c, batch, samples, masked, negatives);
    }
}
