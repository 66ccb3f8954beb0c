package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Gelu;
import org.speechwb.engine.nn.Relu;

/** ReLU (wav2vec 1.0) or exact GELU (the vq-wav2vec recipe), chosen by the config. */
final class Activation {

    private final Relu relu;
    private final Gelu gelu;

    Activation(String name, String kind) {
        this.relu = kind.equals("relu") ? new Relu(name) : null;
        this.gelu = relu == null ? new Gelu(name) : null;
    }

    INDArray forward(Ctx ctx, INDArray x) {
        return relu != null ? relu.forward(ctx, x) : gelu.forward(ctx, x);
    }

    INDArray backward(Ctx ctx, INDArray dy) {
        return relu != null ? relu.backward(ctx, dy) : gelu.backward(ctx, dy);
    }
}
