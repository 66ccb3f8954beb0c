package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: while training, each value is zeroed with probability {@code rate} and
 * the rest scaled by 1/(1−rate); the mask is kept for backward. Identity when not training.
 */
public final class Dropout {

    private final String name;
    private final double rate;
    private INDArray mask;

    public Dropout(String name, double rate) {
        this.name = name;
        this.rate = rate;
    }

    private boolean active(Ctx ctx) {
        return ctx.training() && rate > 0;
    }

    public INDArray forward(Ctx ctx, INDArray x) {
        if (!active(ctx)) {
            mask = null;
            return x;
        }
        mask = ctx.arena().get(name + ".mask", x.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1 - rate), ctx.rng());
        mask.muli(1 / (1 - rate));
        INDArray y = ctx.arena().get(name + ".y", x.shape());
        x.mul(mask, y);
        return y;
    }

    /** Multiplies {@code dy} by the mask in place and returns it. */
    public INDArray backward(INDArray dy) {
        if (mask != null) {
            dy.muli(mask);
        }
        return dy;
    }
}
