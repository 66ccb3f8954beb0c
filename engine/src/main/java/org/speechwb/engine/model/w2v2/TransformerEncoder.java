package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;

/**
 * The context network of wav2vec 2.0 (fairseq's TransformerEncoder): positional
 * convolution, LayerNorm (post-LN) and dropout, the Transformer layers with LayerDrop, and a
 * final LayerNorm in the pre-LN variant.
 *
 * <p>LayerDrop really skips a dropped layer (as the reference does): its forward and backward
 * are not run and its parameters receive no gradient for that update; the trainer leaves
 * them out of the optimiser step, as PyTorch's Adam does for parameters without a gradient.
 */
public final class TransformerEncoder {

    private final Wav2Vec2Config cfg;
    private final PositionalConv posConv;
    private final LayerNorm layerNorm;
    private final Dropout dropout;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private boolean[] active;
    private INDArray validFrames;

    public TransformerEncoder(ParamStore ps, Wav2Vec2Config cfg) {
        this.cfg = cfg;
        this.posConv = new PositionalConv(ps, cfg);
        this.layerNorm = new LayerNorm(ps, cfg.layerNormFirst() ? "encoder.final_layer_norm" : "encoder.layer_norm",
                cfg.modelDim());
        this.dropout = new Dropout("encoder.dropout", cfg.dropout());
        for (int l = 0; l < cfg.layers(); l++) {
            layers.add(new TransformerLayer(ps, cfg, l));
        }
    }

    /**
     * @param x      {@code [B, T, d]}
     * @param active which layers run this pass (LayerDrop), length = layers
     * @return {@code [B·T, d]}
     */
    public INDArray forward(Ctx ctx, INDArray x, boolean[] active, INDArray keyPadBias) {
        return forward(ctx, x, active, keyPadBias, null);
    }

    /**
     * @param validFrames {@code [B·T]} 1 at real frames and 0 at padding, or null: as the
     *                    reference, padded frames are zeroed before the positional convolution
     *                    so they do not leak into real ones; keyPadBias keeps attention off them
     */
    public INDArray forward(Ctx ctx, INDArray x, boolean[] active, INDArray keyPadBias, INDArray validFrames) {
        return forward(ctx, x, active, keyPadBias, validFrames, null);
    }

    /**
     * As {@link #forward(Ctx, INDArray, boolean[], INDArray, INDArray)}, also copying into
     * {@code taps} (when not null) the input of the first layer and each layer's output, each
     * {@code [B·T, d]}: transformers' {@code hidden_states}, for probes and layer extraction.
     */
    public INDArray forward(Ctx ctx, INDArray x, boolean[] active, INDArray keyPadBias, INDArray validFrames,
                            List<INDArray> taps) {
        this.active = active.clone();
        this.validFrames = validFrames;
        long batch = x.size(0);
        if (validFrames != null) {
            INDArray zeroed = ctx.arena().get("encoder.unpadded", x.shape());
            org.speechwb.engine.nn.Tensors.mulColumn(x.reshape('c', x.size(0) * x.size(1), x.size(2)), validFrames,
                    zeroed.reshape('c', x.size(0) * x.size(1), x.size(2)));
            x = zeroed;
        }
        INDArray h;
        try (var sec = Profiler.start("fwd.pos_conv")) {
            h = posConv.forward(ctx, x);
        }
        h = h.reshape('c', h.size(0) * h.size(1), cfg.modelDim());
        if (!cfg.layerNormFirst()) {
            h = layerNorm.forward(ctx, h);
        }
        h = dropout.forward(ctx, h);
        if (taps != null) {
            taps.add(h.dup());
        }
        for (int l = 0; l < layers.size(); l++) {
            if (active[l]) {
                h = layers.get(l).forward(ctx, h, batch, keyPadBias);
            }
            if (taps != null) {
                taps.add(h.dup());
            }
        }
        if (cfg.layerNormFirst()) {
            h = layerNorm.forward(ctx, h);
        }
        return h;
    }

    /** @return dx {@code [B, T, d]} */
    public INDArray backward(Ctx ctx, INDArray dy, long batch) {
        INDArray g = dy;
        if (cfg.layerNormFirst()) {
            g = layerNorm.backward(ctx, g);
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (active[l]) {
                g = layers.get(l).backward(ctx, g);
            }
        }
        g = dropout.backward(ctx.arena().get("encoder.ddrop", g.shape()).assign(g));
        if (!cfg.layerNormFirst()) {
            g = layerNorm.backward(ctx, g);
        }
        INDArray dx;
        try (var sec = Profiler.start("bwd.pos_conv")) {
            dx = posConv.backward(ctx, g.reshape('c', batch, g.size(0) / batch, cfg.modelDim()));
        }
        if (validFrames != null) {
            org.speechwb.engine.nn.Tensors.mulColumn(dx.reshape('c', dx.size(0) * dx.size(1), dx.size(2)), validFrames,
                    dx.reshape('c', dx.size(0) * dx.size(1), dx.size(2)));
        }
        return dx;
    }

    public List<TransformerLayer> layers() {
        return layers;
    }
}
