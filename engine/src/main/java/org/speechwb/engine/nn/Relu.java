package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ReLU; the output is kept because {@code y > 0} is exactly where the gradient passes. */
public final class Relu {

    private final String name;
    private INDArray y;

    public Relu(String name) {
        this.name = name;
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        y = ctx.arena().get(name + ".y", x.shape());
        y.assign(x);
        Transforms.relu(y, false);
        return y;
    }

    public INDArray backward(Ctx ctx, INDArray dy) {
        INDArray d = ctx.arena().get(name + ".dx", dy.shape());
        d.assign(y);
        Transforms.sign(d, false); // y ≥ 0, so its sign is the 0/1 mask
        d.muli(dy);
        return d;
    }
}
