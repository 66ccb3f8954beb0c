package org.speechwb.engine.model.w2v2;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * wav2vec 2.0 with a CTC head for fine-tuning (fairseq's Wav2VecCtc / Wav2VecEncoder): the
 * pre-trained feature encoder, feature LayerNorm and projection, time masking with the learned
 * mask embedding, channel masking, the Transformer, dropout, and Linear(d → vocabulary).
 *
 * <p>Parameter names are those of {@link Wav2Vec2Model}, so {@link #loadPretrained} copies a
 * pre-training checkpoint by name (the quantizer and the contrastive projections are not
 * used). Batches are padded: padded frames are zeroed before the positional convolution and
 * masked out of attention, as the reference does. The backward pass can stop at the
 * Transformer (the reference's frozen feature encoder) or at the head (its first updates).
 */
public final class Wav2Vec2CtcModel {

    /** A padded batch: {@code lengths[b]} valid samples of row b; masks may be null. */
    public record Batch(INDArray wave, int[] lengths, boolean[][] timeMask, boolean[][] channelMask,
                        boolean[] activeLayers) {
    }

    /** How far backward goes. */
    public enum Train {
        /** only the CTC head (fairseq's freeze_finetune_updates) */
        HEAD,
        /** head and Transformer, feature encoder frozen (the reference recipe) */
        TRANSFORMER,
        /** everything, e.g. training from scratch */
        ALL
    }

    private final Wav2Vec2Config cfg;
    private final int vocabSize;
    private final ParamStore params;
    private final FeatureEncoder encoder;
    private final LayerNorm featureNorm;
    private final Linear postExtractProj;
    private final Dropout inputDropout;
    private final Param maskEmb;
    private final TransformerEncoder transformer;
    private final Dropout finalDropout;
    private final Linear head;

    private INDArray feats;
    private INDArray keep;
    private INDArray channelKeep;
    private int[] frameLengths;
    /** Set by a forward pass that records taps (eval-mode representation queries only). */
    private INDArray tappedHeadInput;
    private long batch;
    private long frames;

    /**
     * @param finalDropout dropout before the head (fairseq final_dropout)
     */
    public Wav2Vec2CtcModel(Wav2Vec2Config cfg, int vocabSize, double finalDropout, long seed, DataType dtype) {
        this.cfg = cfg;
        this.vocabSize = vocabSize;
        this.params = new ParamStore(dtype, seed);
        int c = cfg.encoderChannels();
        int d = cfg.modelDim();
        this.encoder = new FeatureEncoder(params, cfg);
        this.featureNorm = new LayerNorm(params, "layer_norm", c);
        this.postExtractProj = c == d ? null : new Linear(params, "post_extract_proj", c, d, Linear.Init.TORCH, true);
        this.inputDropout = new Dropout("dropout_input", cfg.inputDropout());
        this.maskEmb = params.add("mask_emb", params.uniform(0, 1, d), true);
        this.transformer = new TransformerEncoder(params, cfg);
        this.finalDropout = new Dropout("final_dropout", finalDropout);
        // fairseq's Linear() helper for the projection: xavier_uniform weight, zero bias
        double bound = Math.sqrt(6.0 / (d + vocabSize));
        this.head = new Linear(params, "ctc_head", d, vocabSize, Linear.Init.TORCH, true);
        head.weight().value().assign(params.uniform(-bound, bound, d, vocabSize));
        params.get("ctc_head.b").value().assign(0);
    }

    public Wav2Vec2Config config() {
        return cfg;
    }

    public ParamStore params() {
        return params;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Copies every parameter whose name and shape match from a pre-trained model's weights
     * (name → array); returns the names copied. The CTC head always starts fresh.
     */
    public List<String> loadPretrained(java.util.Map<String, INDArray> pretrained) {
        List<String> copied = new ArrayList<>();
        for (Param p : params.list()) {
            INDArray src = pretrained.get(p.name());
            if (src != null && java.util.Arrays.equals(src.shape(), p.value().shape())) {
                p.value().assign(src);
                copied.add(p.name());
            }
        }
        return copied;
    }

    /** Parameters a given training depth updates. */
    public List<Param> trainable(Train depth) {
        List<Param> out = new ArrayList<>();
        for (Param p : params.list()) {
            boolean isHead = p.name().startsWith("ctc_head.");
            boolean isFeature = p.name().startsWith("encoder.conv");
            if (isHead || depth == Train.ALL || (depth == Train.TRANSFORMER && !isFeature)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Valid frames of an utterance of {@code samples} samples. */
    public int framesFor(int samples) {
        return (int) cfg.framesFor(samples);
    }

    /** Frames of each row of the last forward pass. */
    public int[] frameLengths() {
        return frameLengths;
    }

    /** @return logits {@code [B, T, V]} (padded frames included; use {@link #frameLengths()}) */
    public INDArray forward(Ctx ctx, Batch b) {
        return forward(ctx, b, null);
    }

    /**
     * The representations a probe reads, for one utterance in eval mode: element 0 is the
     * feature encoder's output after its LayerNorm ({@code [T, channels]}), element 1 the
     * Transformer's input ({@code [T, d]}), element 1 + l the output of Transformer layer l.
     */
    public List<INDArray> hiddenStates(Ctx ctx, INDArray wave) {
        boolean[] all = new boolean[cfg.layers()];
        java.util.Arrays.fill(all, true);
        List<INDArray> taps = new ArrayList<>();
        forward(ctx, new Batch(wave, new int[] {(int) wave.size(1)}, null, null, all), taps);
        return taps;
    }

    /**
     * What the CTC head reads for one utterance in eval mode ({@code [T, d]}): the last layer's
     * output, after the encoder's final LayerNorm in a pre-LN (LARGE) model, where it differs from
     * the last element of {@link #hiddenStates}.
     */
    public INDArray headInput(Ctx ctx, INDArray wave) {
        hiddenStates(ctx, wave).forEach(INDArray::close);
        INDArray h = tappedHeadInput;
        tappedHeadInput = null;
        return h;
    }

    private INDArray forward(Ctx ctx, Batch b, List<INDArray> taps) {
        Arena a = ctx.arena();
        int c = cfg.encoderChannels();
        int d = cfg.modelDim();
        batch = b.wave().size(0);
        feats = encoder.forward(ctx, b.wave());
        frames = feats.size(1);
        long n = batch * frames;
        frameLengths = new int[(int) batch];
        INDArray valid = a.get("ctc.valid", n);
        INDArray padBias = a.get("ctc.padbias", batch, frames);
        boolean padded = false;
        for (int i = 0; i < batch; i++) {
            frameLengths[i] = (int) Math.min(frames, cfg.framesFor(b.lengths()[i]));
            padded |= frameLengths[i] < frames;
            for (int t = 0; t < frames; t++) {
                boolean v = t < frameLengths[i];
                valid.putScalar(i * frames + t, v ? 1.0 : 0.0);
                padBias.putScalar(new long[] {i, t}, v ? 0.0 : -1e9);
            }
        }
        INDArray z = featureNorm.forward(ctx, Tensors.rows(feats, c));
        if (taps != null) {
            taps.add(z.dup());
        }
        INDArray x = postExtractProj == null ? z : postExtractProj.forward(ctx, z);
        x = inputDropout.forward(ctx, x);

        // channel masking zeroes feature dimensions of the whole utterance (fairseq mask_channel_*)
        INDArray masked = a.get("ctc.x", n, d);
        masked.assign(x);
        channelKeep = null;
        if (b.channelMask() != null) {
            channelKeep = a.get("ctc.chkeep", n, d);
            for (int i = 0; i < batch; i++) {
                INDArray row = channelKeep.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i * frames, (i + 1) * frames),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                for (int j = 0; j < d; j++) {
                    row.getColumn(j).assign(b.channelMask()[i][j] ? 0.0 : 1.0);
                }
            }
            masked.muli(channelKeep);
        }
        keep = null;
        if (b.timeMask() != null) {
            INDArray m = a.get("ctc.tmask", n);
            for (int i = 0; i < batch; i++) {
                for (int t = 0; t < frames; t++) {
                    m.putScalar(i * frames + t, b.timeMask()[i][t] ? 1.0 : 0.0);
                }
            }
            keep = a.get("ctc.keep", n);
            m.rsub(1.0, keep);
            Tensors.mulColumn(masked, keep, masked);
            INDArray emb = a.get("ctc.emb", n, d);
            Tensors.gemm(m.reshape(n, 1), maskEmb.value().reshape(1, d), emb, false, false, 1, 0);
            masked.addi(emb);
        }
        INDArray h = transformer.forward(ctx, masked.reshape('c', batch, frames, d), b.activeLayers(),
                padded ? padBias : null, padded ? valid : null, taps);
        if (taps != null) {
            tappedHeadInput = h.reshape('c', n, d).dup();
        }
        h = finalDropout.forward(ctx, h);
        return head.forward(ctx, h).reshape('c', batch, frames, vocabSize);
    }

    /** Accumulates gradients from {@code dlogits [B, T, V]} down to {@code depth}. */
    public void backward(Ctx ctx, INDArray dlogits, Train depth) {
        Arena a = ctx.arena();
        int d = cfg.modelDim();
        long n = batch * frames;
        INDArray dh = head.backward(ctx, Tensors.rows(dlogits, vocabSize), depth != Train.HEAD);
        if (depth == Train.HEAD) {
            return;
        }
        dh = finalDropout.backward(dh);
        INDArray dx = transformer.backward(ctx, dh, batch).reshape('c', n, d);
        if (keep != null) {
            INDArray m = a.get("ctc.tmask", n);
            Tensors.gemm(m.reshape(1, n), dx, maskEmb.grad().reshape(1, d), false, false, 1, 1);
            Tensors.mulColumn(dx, keep, dx);
        }
        if (depth == Train.TRANSFORMER) {
            // the projection and feature norm are not part of the frozen feature encoder in fairseq
            if (channelKeep != null) {
                dx.muli(channelKeep);
            }
            dx = inputDropout.backward(dx);
            INDArray dz = postExtractProj == null ? dx : postExtractProj.backward(ctx, dx, true);
            featureNorm.backward(ctx, dz);
            return;
        }
        if (channelKeep != null) {
            dx.muli(channelKeep);
        }
        dx = inputDropout.backward(dx);
        INDArray dz = postExtractProj == null ? dx : postExtractProj.backward(ctx, dx, true);
        INDArray dfeat = featureNorm.backward(ctx, dz).reshape('c', feats.shape());
        if (cfg.featureGradMult() != 1.0) {
            dfeat.muli(cfg.featureGradMult());
        }
        encoder.backward(ctx, dfeat);
    }
}
