package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Gelu;
import org.speechwb.engine.nn.GroupNormPerChannel;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;
import org.speechwb.engine.nn.Tensors;
import org.speechwb.engine.nn.TimeConv;

/**
 * The convolutional feature encoder f: waveform {@code [B, S]} → latent frames
 * {@code [B, T, C]} (fairseq's ConvFeatureExtractionModel). Each layer is conv → GELU, with
 * per-channel GroupNorm after the first conv (mode DEFAULT) or LayerNorm over channels after
 * every conv (mode LAYER_NORM). Convolutions have no bias unless configured.
 */
public final class FeatureEncoder {

    private final Wav2Vec2Config cfg;
    private final List<TimeConv> convs = new ArrayList<>();
    private final List<Object> norms = new ArrayList<>();
    private final List<Gelu> gelus = new ArrayList<>();

    public FeatureEncoder(ParamStore ps, Wav2Vec2Config cfg) {
        this.cfg = cfg;
        int in = 1;
        for (int i = 0; i < cfg.convLayers().size(); i++) {
            ConvLayerSpec l = cfg.convLayers().get(i);
            String name = "encoder.conv" + i;
            convs.add(new TimeConv(ps, name, in, l.channels(), l.kernel(), l.stride(), cfg.convBias()));
            if (cfg.extractorMode() == ExtractorMode.DEFAULT && i == 0) {
                norms.add(new GroupNormPerChannel(ps, name + ".norm", l.channels()));
            } else if (cfg.extractorMode() == ExtractorMode.LAYER_NORM) {
                norms.add(new LayerNorm(ps, name + ".norm", l.channels()));
            } else {
                norms.add(null);
            }
            gelus.add(new Gelu(name + ".gelu"));
            in = l.channels();
        }
    }

    /** @param wave {@code [B, S]} */
    public INDArray forward(Ctx ctx, INDArray wave) {
        INDArray x = wave.reshape('c', wave.size(0), wave.size(1), 1);
        for (int i = 0; i < convs.size(); i++) {
            try (var sec = Profiler.start("fwd.enc.conv")) {
                x = convs.get(i).forward(ctx, x);
            }
            Object norm = norms.get(i);
            try (var sec = Profiler.start("fwd.enc.norm")) {
                if (norm instanceof GroupNormPerChannel gn) {
                    x = gn.forward(ctx, x);
                } else if (norm instanceof LayerNorm ln) {
                    long[] shape = x.shape();
                    x = ln.forward(ctx, Tensors.rows(x, shape[2])).reshape('c', shape);
                }
            }
            try (var sec = Profiler.start("fwd.enc.gelu")) {
                x = gelus.get(i).forward(ctx, x);
            }
        }
        return x;
    }

    /**
     * Backpropagates to the first convolution; the waveform itself needs no gradient. Each
     * layer's gradients are dead once the layer below has read them, so all layers write into
     * two shared buffers in turn (GELU into one, the convolution into the other) instead of one
     * pair per layer: BASE keeps about 160 MB less.
     */
    public void backward(Ctx ctx, INDArray dy) {
        INDArray d = dy;
        for (int i = convs.size() - 1; i >= 0; i--) {
            try (var sec = Profiler.start("bwd.enc.gelu")) {
                d = gelus.get(i).backward(ctx, d, "encoder.grad.gelu");
            }
            Object norm = norms.get(i);
            try (var sec = Profiler.start("bwd.enc.norm")) {
                if (norm instanceof GroupNormPerChannel gn) {
                    d = gn.backward(ctx, d);
                } else if (norm instanceof LayerNorm ln) {
                    long[] shape = d.shape();
                    d = ln.backward(ctx, Tensors.rows(d, shape[2])).reshape('c', shape);
                }
            }
            try (var sec = Profiler.start("bwd.enc.conv")) {
                d = convs.get(i).backward(ctx, d, i > 0, "encoder.grad.conv");
            }
        }
    }

    public Wav2Vec2Config config() {
        return cfg;
    }
}
