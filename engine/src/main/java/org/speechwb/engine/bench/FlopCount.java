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

    public static double trainingFlops(Wav2Vec2Config c, long batch, long samples, long masked, int negatives) {
        return 6 * forwardMacs(c, batch, samples, masked, negatives);
    }
}
