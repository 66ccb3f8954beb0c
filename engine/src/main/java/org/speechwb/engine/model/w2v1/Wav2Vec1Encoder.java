package org.speechwb.engine.model.w2v1;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.LogCompression;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.TimeConv;

/**
 * The encoder f of wav2vec 1.0 (fairseq's ConvFeatureExtractionModel in wav2vec.py): waveform
 * {@code [B, S]} → {@code [B, T, C]}. Every layer is conv (no bias) → GroupNorm with ONE group
 * (each utterance normalised over channels × time) → activation; the output is log-compressed.
 * The reference's dropout inside this encoder is fixed at 0, so there is none here.
 */
public final class Wav2Vec1Encoder {

    private final List<TimeConv> convs = new ArrayList<>();
    private final List<Norm> norms = new ArrayList<>();
    private final List<Activation> acts = new ArrayList<>();
    private final LogCompression log;

    public Wav2Vec1Encoder(ParamStore ps, Wav2Vec1Config cfg) {
        int in = 1;
        for (int i = 0; i < cfg.convLayers().size(); i++) {
            ConvLayerSpec l = cfg.convLayers().get(i);
            String name = "encoder.conv" + i;
            convs.add(new TimeConv(ps, name, in, l.channels(), l.kernel(), l.stride(), false, TimeConv.Init.TORCH_DEFAULT));
            norms.add(new Norm(ps, name + ".norm", l.channels(), cfg.normalization()));
            acts.add(new Activation(name + ".act", cfg.activation()));
            in = l.channels();
        }
        this.log = cfg.logCompression() ? new LogCompression("encoder.log") : null;
    }

    public INDArray forward(Ctx ctx, INDArray wave) {
        INDArray x = wave.reshape('c', wave.size(0), wave.size(1), 1);
        for (int i = 0; i < convs.size(); i++) {
            x = convs.get(i).forward(ctx, x);
            x = norms.get(i).forward(ctx, x);
            x = acts.get(i).forward(ctx, x);
        }
        return log == null ? x : log.forward(ctx, x);
    }

    /** Backpropagates to the first convolution; the waveform needs no gradient. */
    public void backward(Ctx ctx, INDArray dy) {
        INDArray d = log == null ? dy : log.backward(ctx, dy);
        for (int i = convs.size() - 1; i >= 0; i--) {
            d = acts.get(i).backward(ctx, d);
            d = norms.get(i).backward(ctx, d);
            d = convs.get(i).backward(ctx, d, i > 0);
        }
    }
}
