package org.speechwb.engine.acoustic;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Dropout;
import org.speechwb.engine.nn.Linear;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Relu;
import org.speechwb.engine.nn.Tensors;
import org.speechwb.engine.nn.TimeConv;

/**
 * A small wav2letter-style CTC acoustic model on precomputed features: {@code layers}
 * convolutions over time with "same" zero padding, each followed by ReLU and dropout, then a
 * linear layer to the vocabulary. One output frame per input frame (10 ms for both log-mel
 * and wav2vec 1.0), which leaves CTC room for letters.
 *
 * <p>Batches are padded; the hidden activations of padded frames are zeroed after every layer,
 * so an utterance gets exactly the logits it would get alone (where the padding is the
 * convolution's own zeros).
 */
public final class ConvAcousticModel {

    private final AcousticModelConfig cfg;
    private final int inputDim;
    private final int vocabSize;
    private final ParamStore params;
    private final TimeConv[] convs;
    private final Relu[] relus;
    private final Dropout[] drops;
    private final Linear head;
    private INDArray valid;
    private long batch;
    private long frames;

    public ConvAcousticModel(AcousticModelConfig cfg, int inputDim, int vocabSize, DataType dtype) {
        this.cfg = cfg;
        this.inputDim = inputDim;
        this.vocabSize = vocabSize;
        this.params = new ParamStore(dtype, cfg.seed());
        this.convs = new TimeConv[cfg.layers()];
        this.relus = new Relu[cfg.layers()];
        this.drops = new Dropout[cfg.layers()];
        for (int i = 0; i < cfg.layers(); i++) {
            convs[i] = new TimeConv(params, "am.conv" + i, i == 0 ? inputDim : cfg.channels(), cfg.channels(), cfg.kernel(),
                    1, true, TimeConv.Init.KAIMING_NORMAL);
            relus[i] = new Relu("am.relu" + i);
            drops[i] = new Dropout("am.drop" + i, cfg.dropout());
        }
        this.head = new Linear(params, "am.head", headInput(), vocabSize, Linear.Init.TORCH, true);
    }

    /** Zero layers make the model a linear probe: the head reads the features directly. */
    private int headInput() {
        return cfg.layers() == 0 ? inputDim : cfg.channels();
    }

    public ParamStore params() {
        return params;
    }

    public int inputDim() {
        return inputDim;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /**
     * @param x       {@code [B, T, inputDim]}, padded frames zero
     * @param lengths valid frames per row
     * @return logits {@code [B, T, vocabSize]}
     */
    public INDArray forward(Ctx ctx, INDArray x, int[] lengths) {
        Arena a = ctx.arena();
        batch = x.size(0);
        frames = x.size(1);
        valid = a.get("am.valid", batch * frames);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < frames; t++) {
                valid.putScalar(b * frames + t, t < lengths[b] ? 1.0 : 0.0);
            }
        }
        int pad = cfg.kernel() / 2;
        INDArray h = x;
        for (int i = 0; i < convs.length; i++) {
            long c = h.size(2);
            INDArray padded = a.zeros("am.pad" + i, batch, frames + 2L * pad, c);
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + frames), NDArrayIndex.all()).assign(h);
            h = relus[i].forward(ctx, convs[i].forward(ctx, padded));
            h = drops[i].forward(ctx, h);
            Tensors.mulColumn(Tensors.rows(h, cfg.channels()), valid, Tensors.rows(h, cfg.channels()));
        }
        return head.forward(ctx, Tensors.rows(h, headInput())).reshape('c', batch, frames, vocabSize);
    }

    /** Accumulates parameter gradients from {@code dlogits [B, T, vocabSize]}. */
    public void backward(Ctx ctx, INDArray dlogits) {
        int pad = cfg.kernel() / 2;
        if (convs.length == 0) {
            head.backward(ctx, Tensors.rows(dlogits, vocabSize), false);
            return;
        }
        INDArray dh = head.backward(ctx, Tensors.rows(dlogits, vocabSize), true).reshape('c', batch, frames, cfg.channels());
        for (int i = convs.length - 1; i >= 0; i--) {
            Tensors.mulColumn(Tensors.rows(dh, cfg.channels()), valid, Tensors.rows(dh, cfg.channels()));
            dh = drops[i].backward(dh);
            dh = relus[i].backward(ctx, dh);
            INDArray dpad = convs[i].backward(ctx, dh, i > 0);
            if (i > 0) {
                dh = ctx.arena().get("am.dh" + i, batch, frames, cfg.channels());
                dh.assign(dpad.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + frames), NDArrayIndex.all()));
            }
        }
    }
}
