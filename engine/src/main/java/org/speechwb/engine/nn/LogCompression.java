package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code y = log(|x| + 1)}, wav2vec 1.0's compression of the encoder output (the encoder ends
 * in a ReLU, so in practice x ≥ 0; the sign is kept in the gradient for the general case).
 */
public final class LogCompression {

    private final String name;
    private INDArray x;

    public LogCompression(String name) {
        this.name = name;
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        this.x = x;
        INDArray y = ctx.arena().get(name + ".y", x.shape());
        y.assign(x);
        Transforms.abs(y, false).addi(1.0);
        Transforms.log(y, false);
        return y;
    }

    /** {@code dx = dy · sign(x) / (|x| + 1)}. */
    public INDArray backward(Ctx ctx, INDArray dy) {
        INDArray d = ctx.arena().get(name + ".dx", x.shape());
        d.assign(x);
        Transforms.abs(d, false).addi(1.0);
        INDArray s = ctx.arena().get(name + ".sign", x.shape());
        s.assign(x);
        Transforms.sign(s, false);
        s.divi(d).muli(dy);
        return s;
    }
}
