package org.speechwb.engine.train;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.nn.AdamKernel;
import org.speechwb.engine.nn.Param;

/**
 * Adam with decoupled weight decay, step for step as fairseq's {@code adam} optimizer:
 * <pre>
 * m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 * p ← p − lr·wd·p               (decoupled decay)
 * p ← p − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
 * </pre>
 * Parameters that took no part in an update (a layer skipped by LayerDrop) are left out of it
 * entirely, moments and step count included, as PyTorch does for parameters without a gradient.
 * On the CPU in float32 each parameter's update is one pass ({@link AdamKernel}); elsewhere ND4J ops.
 */
public final class AdamW {

    private final OptimizerConfig cfg;
    private final List<Param> params;
    private final List<INDArray> m = new ArrayList<>();
    private final List<INDArray> v = new ArrayList<>();
    private final long[] steps;
    // one scratch buffer of the largest parameter's size, seen through a view per parameter:
    // the step visits parameters one at a time, and a scratch per parameter cost as much memory
    // as the model itself (380 MB for BASE). Made on first use: the CPU kernel needs none.
    private final INDArray[] scratch;
    private final Map<DataType, DataBuffer> scratchBuffers = new EnumMap<>(DataType.class);
    private final long largest;

    public AdamW(OptimizerConfig cfg, List<Param> params) {
        this.cfg = cfg;
        this.params = List.copyOf(params);
        this.steps = new long[params.size()];
        this.scratch = new INDArray[params.size()];
        this.largest = params.stream().mapToLong(p -> p.value().length()).max().orElse(1);
        for (Param p : params) {
            m.add(Nd4j.zeros(p.value().dataType(), p.value().shape()));
            v.add(Nd4j.zeros(p.value().dataType(), p.value().shape()));
        }
    }

    /** Parameter i's view of the shared scratch buffer of its data type. */
    private INDArray scratch(int i) {
        if (scratch[i] == null) {
            INDArray value = params.get(i).value();
            DataBuffer buf = scratchBuffers.computeIfAbsent(value.dataType(), type -> Nd4j.createBuffer(type, largest, true));
            long[] shape = value.shape();
            scratch[i] = Nd4j.create(buf, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
        }
        return scratch[i];
    }

    /** Global L2 norm of all gradients. */
    public double gradNorm() {
        double sum = 0;
        for (Param p : params) {
            double n = p.grad().norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /** Multiplies every gradient by {@code factor}. */
    public void scaleGrads(double factor) {
        for (Param p : params) {
            p.grad().muli(factor);
        }
    }

    /** One update at learning rate {@code lr}, skipping the parameters named in {@code inactive}. */
    public void step(double lr, Set<String> inactive) {
        Set<String> skip = inactive == null ? Set.of() : inactive;
        double b1 = cfg.beta1();
        double b2 = cfg.beta2();
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (skip.contains(p.name())) {
                continue;
            }
            long t = ++steps[i];
            INDArray g = p.grad();
            INDArray mi = m.get(i);
            INDArray vi = v.get(i);
            double decay = cfg.weightDecay() != 0 && (cfg.decayAllParams() || p.decay()) ? 1 - lr * cfg.weightDecay() : 1;
            double stepSize = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            if (AdamKernel.applies(p.value(), g, mi, vi)) {
                AdamKernel.step(p.value(), g, mi, vi, b1, b2, cfg.eps(), decay, stepSize);
                continue;
            }
            INDArray s = scratch(i);
            mi.muli(b1).addi(g.mul(1 - b1, s));
            g.mul(g, s).muli(1 - b2);
            vi.muli(b2).addi(s);
            if (decay != 1) {
                p.value().muli(decay);
            }
            Transforms.sqrt(s.assign(vi), false).addi(cfg.eps());
            s.rdivi(mi).muli(stepSize);
            p.value().subi(s);
        }
    }

    public List<Param> params() {
        return params;
    }

    public List<INDArray> firstMoments() {
        return m;
    }

    public List<INDArray> secondMoments() {
        return v;
    }

    public long[] steps() {
        return steps;
    }

    /** Restores moments and step counts saved by a checkpoint (same parameter order). */
    public void restore(List<INDArray> firstMoments, List<INDArray> secondMoments, long[] stepCounts) {
        if (firstMoments.size() != params.size() || secondMoments.size() != params.size()
                || stepCounts.length != params.size()) {
            throw new IllegalArgumentException("optimizer state has " + firstMoments.size()
                    + " tensors, the model " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            m.get(i).assign(firstMoments.get(i));
            v.get(i).assign(secondMoments.get(i));
            steps[i] = stepCounts[i];
        }
    }
}
