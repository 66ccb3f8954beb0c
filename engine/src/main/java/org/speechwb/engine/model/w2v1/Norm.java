package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GroupNorm;
import org.speechwb.engine.nn.LayerNorm;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/** The per-layer normalisation of wav2vec 1.0 on {@code [B, T, C]}: one-group GroupNorm (reference) or per-frame LayerNorm. */
final class Norm {

    private final GroupNorm group;
    private final LayerNorm layer;
    private final int channels;

    Norm(ParamStore ps, String name, int channels, String kind) {
        this.channels = channels;
        this.group = kind.equals(Wav2Vec1Config.GROUP_NORM) ? new GroupNorm(ps, name, 1, channels, true) : null;
        this.layer = group == null ? new LayerNorm(ps, name, channels) : null;
    }

    INDArray forward(Ctx ctx, INDArray x) {
        if (group != null) {
            return group.forward(ctx, x);
        }
        return layer.forward(ctx, Tensors.rows(x, channels)).reshape('c', x.shape());
    }

    INDArray backward(Ctx ctx, INDArray dy) {
        if (group != null) {
            return group.backward(ctx, dy);
        }
        return layer.backward(ctx, Tensors.rows(dy, channels)).reshape('c', dy.shape());
    }
}
