package org.speechwb.engine.model.w2v1;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.TimeConv;

/**
 * The context network g (fairseq's ConvAggegator): stride-1 convolutions made causal by
 * padding {@code kernel − 1} frames on the LEFT with copies of the first frame (the
 * reference's replication padding), so c_i depends on z_0..z_i only. Each layer is
 * pad → conv (bias) → dropout → one-group GroupNorm → activation, optionally wrapped in a
 * scaled residual {@code (x + r)·√scale} with a bias-free 1×1 projection of r where the
 * widths differ.
 */
public final class CausalContextNetwork {

    private final List<Layer> layers = new ArrayList<>();
    private final boolean skip;
    private final double scale;

    private static final class Layer {
        final String name;
        final int kernel;
        final int in;
        final TimeConv conv;
        final Dropout dropout;
        final Norm norm;
        final Activation act;
        final TimeConv residualProj;

        Layer(ParamStore ps, String name, int in, ConvLayerSpec spec, Wav2Vec1Config cfg) {
            this.name = name;
            this.kernel = spec.kernel();
            this.in = in;
            this.residualProj = cfg.contextSkipConnections() && in != spec.channels()
                    ? new TimeConv(ps, name + ".residual_proj", in, spec.channels(), 1, 1, false, TimeConv.Init.TORCH_DEFAULT)
                    : null;
            this.conv = new TimeConv(ps, name, in, spec.channels(), spec.kernel(), 1, cfg.contextBias(),
                    TimeConv.Init.TORCH_DEFAULT);
            this.dropout = new Dropout(name + ".dropout", cfg.dropout());
            this.norm = new Norm(ps, name + ".norm", spec.channels(), cfg.normalization());
            this.act = new Activation(name + ".act", cfg.activation());
        }
    }

    public CausalContextNetwork(ParamStore ps, Wav2Vec1Config cfg) {
        int in = cfg.featureDim();
        for (int i = 0; i < cfg.contextLayers().size(); i++) {
            ConvLayerSpec spec = cfg.contextLayers().get(i);
            layers.add(new Layer(ps, "context.conv" + i, in, spec, cfg));
            in = spec.channels();
        }
        this.skip = cfg.contextSkipConnections();
        this.scale = Math.sqrt(cfg.residualScale());
    }

    /** @param x {@code [B, T, F]}; returns {@code [B, T, C']} */
    public INDArray forward(Ctx ctx, INDArray x) {
        for (Layer l : layers) {
            INDArray padded = padLeft(ctx, l, x);
            INDArray y = l.conv.forward(ctx, padded);
            y = l.dropout.forward(ctx, y);
            y = l.norm.forward(ctx, y);
            y = l.act.forward(ctx, y);
            if (skip) {
                INDArray r = l.residualProj == null ? x : l.residualProj.forward(ctx, x);
                INDArray out = ctx.arena().get(l.name + ".out", y.shape());
                y.add(r, out).muli(scale);
                y = out;
            }
            x = y;
        }
        return x;
    }

    /** Returns the gradient w.r.t. the network's input. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            INDArray dres = null;
            if (skip) {
                dy.muli(scale);
                dres = dy;
                if (l.residualProj != null) {
                    dres = l.residualProj.backward(ctx, dy, true);
                }
            }
            INDArray d = l.act.backward(ctx, dy);
            d = l.norm.backward(ctx, d);
            d = l.dropout.backward(d);
            INDArray dpad = l.conv.backward(ctx, d, true);
            INDArray dx = unpadLeft(ctx, l, dpad);
            if (dres != null) {
                dx.addi(dres);
            }
            dy = dx;
        }
        return dy;
    }

    private static INDArray padLeft(Ctx ctx, Layer l, INDArray x) {
        int pad = l.kernel - 1;
        if (pad == 0) {
            return x;
        }
        long batch = x.size(0);
        long frames = x.size(1);
        INDArray p = ctx.arena().get(l.name + ".pad", batch, frames + pad, l.in);
        p.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + frames), NDArrayIndex.all()).assign(x);
        INDArray first = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all());
        for (int j = 0; j < pad; j++) {
            p.get(NDArrayIndex.all(), NDArrayIndex.interval(j, j + 1), NDArrayIndex.all()).assign(first);
        }
        return p;
    }

    /** The padding copies of frame 0 send their gradient back to frame 0. */
    private static INDArray unpadLeft(Ctx ctx, Layer l, INDArray dpad) {
        int pad = l.kernel - 1;
        if (pad == 0) {
            return dpad;
        }
        long batch = dpad.size(0);
        long frames = dpad.size(1) - pad;
        INDArray dx = ctx.arena().get(l.name + ".dpadx", batch, frames, l.in);
        dx.assign(dpad.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + frames), NDArrayIndex.all()));
        INDArray head = dpad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, pad), NDArrayIndex.all()).sum(true, 1);
        INDArray first = dx.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all());
        first.addi(head);
        head.close();
        return dx;
    }
}
