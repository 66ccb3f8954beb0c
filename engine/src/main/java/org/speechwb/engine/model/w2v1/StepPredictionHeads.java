package org.speechwb.engine.model.w2v1;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.nn.Tensors;

/**
 * The K step-specific affine maps h_k(c) = W_k c + b as ONE GEMM: {@code [N, C] × [C, K·D]}.
 * The reference implements them as ConvTranspose2d(C, D, (1, K)), whose single bias of D
 * values is shared by all K steps; that is kept here (the paper writes a bias per step).
 * Initialisation as that layer's PyTorch default, U(±1/√(D·K)) (its fan-in counts the
 * output side).
 */
public final class StepPredictionHeads {

    private final String name;
    private final int in;
    private final int out;
    private final int steps;
    private final Param w; // [C, K·D]: column block k is W_kᵀ
    private final Param b; // [D]
    private INDArray x;

    public StepPredictionHeads(ParamStore ps, String name, int in, int out, int steps) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.steps = steps;
        double bound = 1 / Math.sqrt((double) out * steps);
        this.w = ps.add(name + ".w", ps.uniform(-bound, bound, in, (long) steps * out), true);
        this.b = ps.add(name + ".b", ps.uniform(-bound, bound, out), false);
    }

    /** @param c {@code [N, C]}; returns {@code [N, K·D]}, row n's block k = h_k(c_n) */
    public INDArray forward(Ctx ctx, INDArray c) {
        this.x = c;
        INDArray y = ctx.arena().get(name + ".y", c.size(0), (long) steps * out);
        Tensors.gemm(c, w.value(), y, false, false, 1, 0);
        Tensors.addRow(Tensors.rows(y, out), b.value(), Tensors.rows(y, out));
        return y;
    }

    public INDArray backward(Ctx ctx, INDArray dy) {
        Tensors.gemm(x, dy, w.grad(), true, false, 1, 1);
        Tensors.accumulateColumnSums(Tensors.rows(dy, out), b.grad(), ctx.arena());
        INDArray dx = ctx.arena().get(name + ".dx", dy.size(0), in);
        Tensors.gemm(dy, w.value(), dx, false, true, 1, 0);
        return dx;
    }
}
