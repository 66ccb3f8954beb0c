package org.speechwb.app.experiment;

import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * Parameter count of a wav2vec 2.0 or wav2vec 1.0 / vq-wav2vec model from its config alone. Building the model to count
 * would allocate BASE's 95 M or LARGE's 317 M floats on every keystroke; the formula mirrors
 * the engine's modules and a test checks it against a built model.
 */
public final class ModelSize {

    private ModelSize() {
    }

    /** The model a pre-training config trains, with its MFCC cluster embeddings and centroids if it predicts clusters. */
    public static long parameters(org.speechwb.engine.config.PretrainConfig c) {
        if (c.isWav2Vec1()) {
            return parameters(c.wav2vec1());
        }
        long k = c.loss().mfccClusters();
        return parameters(c.wav2vec2()) + k * (c.wav2vec2().finalDim() + org.speechwb.engine.features.Mfcc.DIMENSION);
    }

    public static long parameters(Wav2Vec2Config c) {
        long n = 0;
        long in = 1;
        for (int i = 0; i < c.convLayers().size(); i++) {
            ConvLayerSpec l = c.convLayers().get(i);
            n += (long) l.kernel() * in * l.channels() + (c.convBias() ? l.channels() : 0);
            if (c.extractorMode() == ExtractorMode.LAYER_NORM || i == 0) {
                n += 2L * l.channels(); // GroupNorm (first layer, default mode) or LayerNorm gain and bias
            }
            in = l.channels();
        }
        long ch = c.encoderChannels();
        long d = c.modelDim();
        long f = c.finalDim();
        long gv = (long) c.codebookGroups() * c.codebookEntries();
        n += 2 * ch;                                   // feature LayerNorm
        if (ch != d) {
            n += ch * d + d;                           // post-extract projection
        }
        n += d;                                        // mask embedding
        n += c.posConvKernel() * d * (d / c.posConvGroups()) + c.posConvKernel() + d; // weight-normed pos conv
        n += 2 * d;                                    // encoder LayerNorm
        long layer = d * 3 * d + 3 * d + d * d + d     // attention in/out projections
                + 2 * d                                // attention LayerNorm
                + d * c.ffnDim() + c.ffnDim() + c.ffnDim() * d + d // FFN
                + 2 * d;                               // final LayerNorm
        n += layer * c.layers();
        n += d * f + f;                                // final projection
        n += ch * gv + gv;                             // quantizer logits
        n += gv * (f / c.codebookGroups());            // codebook entries
        n += f * f + f;                                // project_q
        return n;
    }

    /** wav2vec 1.0 / vq-wav2vec, mirroring Wav2Vec1Model's modules (a test checks it against built models). */
    public static long parameters(Wav2Vec1Config c) {
        long n = 0;
        long in = 1;
        for (ConvLayerSpec l : c.convLayers()) {
            n += (long) l.kernel() * in * l.channels() + 2L * l.channels(); // bias-free conv, norm gain and bias
            in = l.channels();
        }
        long ch = c.encoderChannels();
        long d = c.featureDim();
        long g = c.vqGroups();
        long v = c.vqEntries();
        long books = c.combineGroups() ? 1 : g;
        if (c.quantizer().equals(Wav2Vec1Config.GUMBEL)) {
            long projIn = ch;
            if (c.vqDepth() == 2) {
                n += ch * 2 * ch + 2 * ch;             // hidden Linear C -> 2C
                projIn = 2 * ch;
            }
            n += projIn * g * v + g * v;               // logit projection
            n += books * v * (d / g);                  // codewords
        } else if (c.quantizer().equals(Wav2Vec1Config.KMEANS)) {
            long dg = ch / g;
            n += g * dg * dg + 2 * ch + books * v * dg; // grouped projection, GroupNorm(G), codewords
        }
        in = d;
        for (ConvLayerSpec l : c.contextLayers()) {
            if (c.contextSkipConnections() && in != l.channels()) {
                n += in * l.channels();                // residual projection, no bias
            }
            n += (long) l.kernel() * in * l.channels() + (c.contextBias() ? l.channels() : 0) + 2L * l.channels();
            in = l.channels();
        }
        n += (long) c.contextChannels() * c.predictionSteps() * d + d; // step heads, one shared bias
        return n;
    }
}
