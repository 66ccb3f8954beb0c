package org.speechwb.engine.model.w2v2;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Gelu;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Profiler;

/**
 * One Transformer block (fairseq's TransformerSentenceEncoderLayer): self-attention and a
 * GELU feed-forward network, each with dropout and a residual connection; LayerNorm after
 * each residual (post-LN, BASE) or before each sub-block (pre-LN, LARGE).
 */
public final class TransformerLayer {

    private final String prefix;
    private final boolean preLn;
    private final int d;
    private final SelfAttention attn;
    private final LayerNorm attnLn;
    private final LayerNorm finalLn;
    private final Linear fc1;
    private final Linear fc2;
    private final Gelu gelu;
    private final Dropout drop1;
    private final Dropout dropAct;
    private final Dropout drop3;

    public TransformerLayer(ParamStore ps, Wav2Vec2Config cfg, int index) {
        this.prefix = layerPrefix(index);
        this.preLn = cfg.layerNormFirst();
        this.d = cfg.modelDim();
        this.attn = new SelfAttention(ps, prefix + "self_attn", d, cfg.heads(), cfg.attentionDropout());
        this.attnLn = new LayerNorm(ps, prefix + "self_attn_layer_norm", d);
        this.fc1 = new Linear(ps, prefix + "fc1", d, cfg.ffnDim(), Linear.Init.BERT, true);
        this.fc2 = new Linear(ps, prefix + "fc2", cfg.ffnDim(), d, Linear.Init.BERT, true);
        this.finalLn = new LayerNorm(ps, prefix + "final_layer_norm", d);
        this.gelu = new Gelu(prefix + "gelu");
        this.drop1 = new Dropout(prefix + "dropout1", cfg.dropout());
        this.dropAct = new Dropout(prefix + "dropout2", cfg.activationDropout());
        this.drop3 = new Dropout(prefix + "dropout3", cfg.dropout());
    }

    /** Name prefix of layer {@code l}'s parameters (LayerDrop skips their update). */
    public static String layerPrefix(int l) {
        return "encoder.layers." + l + ".";
    }

    public String prefix() {
        return prefix;
    }

    /** @param x {@code [B·T, d]} */
    public INDArray forward(Ctx ctx, INDArray x, long batch, INDArray keyPadBias) {
        INDArray a = preLn ? attnLn.forward(ctx, x) : x;
        try (var sec = Profiler.start("fwd.attention")) {
            a = drop1.forward(ctx, attn.forward(ctx, a, batch, keyPadBias));
        }
        var lap = Profiler.laps("f.ffn.");
        INDArray h = ctx.arena().get(prefix + "res1", x.shape());
        x.add(a, h);
        if (!preLn) {
            h = attnLn.forward(ctx, h);
        }
        lap.mark("res+ln");
        INDArray f = preLn ? finalLn.forward(ctx, h) : h;
        f = fc1.forward(ctx, f);
        lap.mark("fc1");
        f = dropAct.forward(ctx, gelu.forward(ctx, f));
        lap.mark("gelu");
        f = fc2.forward(ctx, f);
        lap.mark("fc2");
        f = drop3.forward(ctx, f);
        INDArray y = ctx.arena().get(prefix + "res2", x.shape());
        h.add(f, y);
        INDArray r = preLn ? y : finalLn.forward(ctx, y);
        lap.mark("res+ln2");
        return r;
    }

    public INDArray backward(Ctx ctx, INDArray dy) {
        var lap = Profiler.laps("b.ffn.");
        INDArray g = preLn ? dy : finalLn.backward(ctx, dy);
        // residual 2: g flows to h directly and through the FFN
        INDArray df = drop3.backward(ctx.arena().get(prefix + "dffn_in", g.shape()).assign(g));
        lap.mark("ln2+drop");
        df = fc2.backward(ctx, df, true);
        lap.mark("fc2");
        df = gelu.backward(ctx, dropAct.backward(df));
        lap.mark("gelu");
        df = fc1.backward(ctx, df, true);
        lap.mark("fc1");
        if (preLn) {
            df = finalLn.backward(ctx, df);
        }
        INDArray dh = ctx.arena().get(prefix + "dres1", g.shape());
        g.add(df, dh);
        if (!preLn) {
            dh = attnLn.backward(ctx, dh);
        }
        lap.mark("res+ln");
        // residual 1
        INDArray da = drop1.backward(ctx.arena().get(prefix + "dattn_in", dh.shape()).assign(dh));
        try (var sec = Profiler.start("bwd.attention")) {
            da = attn.backward(ctx, da);
        }
        if (preLn) {
            da = attnLn.backward(ctx, da);
        }
        INDArray dx = ctx.arena().get(prefix + "dx", dh.shape());
        dh.add(da, dx);
        return dx;
    }
}
