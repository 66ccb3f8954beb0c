package org.speechwb.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code y = x·W + b} on row vectors ({@code x [N, in]}, {@code W [in, out]}). */
public final class Linear {

    /** Weight initialisations used by the reference models. */
    public enum Init {
        /** N(0, 0.02): fairseq's init_bert_params for Transformer projections. */
        BERT,
        /** U(±1/√in): PyTorch's nn.Linear default (final_proj, project_q, post_extract_proj). */
        TORCH,
        /** N(0, 1) weights, zero bias: the Gumbel quantizer's logit projection. */
        NORMAL
    }

    private final String name;
    private final int in;
    private final int out;
    private final Param w;
    private final Param b;
    private INDArray x;

    public Linear(ParamStore ps, String name, int in, int out, Init init, boolean bias) {
        this.name = name;
        this.in = in;
        this.out = out;
        double bound = 1 / Math.sqrt(in);
        INDArray w0 = switch (init) {
            case BERT -> ps.normal(0.02, in, out);
            case TORCH -> ps.uniform(-bound, bound, in, out);
            case NORMAL -> ps.normal(1.0, in, out);
        };
        this.w = ps.add(name + ".w", w0, true);
        this.b = bias ? ps.add(name + ".b", init == Init.TORCH ? ps.uniform(-bound, bound, out) : ps.constant(0, out), false)
                : null;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Param weight() {
        return w;
    }

    /** @param x {@code [N, in]} (kept for backward: it must stay unchanged until then) */
    public INDArray forward(Ctx ctx, INDArray x) {
        this.x = x;
        INDArray y = ctx.arena().get(name + ".y", x.size(0), out);
        Tensors.gemm(x, w.value(), y, false, false, 1, 0);
        if (b != null) {
            Tensors.addRow(y, b.value(), y);
        }
        return y;
    }

    /**
     * @param needInputGrad false for the first layer on raw data, to skip a GEMM
     * @return {@code dx [N, in]} or null
     */
    public INDArray backward(Ctx ctx, INDArray dy, boolean needInputGrad) {
        Tensors.gemm(x, dy, w.grad(), true, false, 1, 1);
        if (b != null) {
            Tensors.accumulateColumnSums(dy, b.grad(), ctx.arena());
        }
        if (!needInputGrad) {
            return null;
        }
        INDArray dx = ctx.arena().get(name + ".dx", dy.size(0), in);
        Tensors.gemm(dy, w.value(), dx, false, true, 1, 0);
        return dx;
    }
}
