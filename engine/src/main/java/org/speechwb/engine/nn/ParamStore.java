package org.speechwb.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All parameters of a model, in creation order (the order checkpoints and optimiser state
 * use), with seeded initialisers.
 *
 * <p>Initial values come from a Java {@link SplittableRandom} seeded by the model seed, so a
 * model built twice with the same seed starts bit-identical, on any backend and thread count.
 */
public final class ParamStore {

    private final DataType dtype;
    private final SplittableRandom rng;
    private final Map<String, Param> params = new LinkedHashMap<>();

    public ParamStore(DataType dtype, long seed) {
        this.dtype = dtype;
        this.rng = new SplittableRandom(seed);
    }

    public DataType dtype() {
        return dtype;
    }

    public Param add(String name, INDArray init, boolean decay) {
        if (params.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter " + name);
        }
        INDArray value = init.castTo(dtype).dup('c');
        Param p = new Param(name, value, Nd4j.zeros(dtype, value.shape()), decay);
        params.put(name, p);
        return p;
    }

    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    public Map<String, Param> all() {
        return Collections.unmodifiableMap(params);
    }

    public List<Param> list() {
        return new ArrayList<>(params.values());
    }

    public long count() {
        return params.values().stream().mapToLong(Param::size).sum();
    }

    public void zeroGrads() {
        for (Param p : params.values()) {
            p.grad().assign(0);
        }
    }

    // ------------------------------------------------------------------ initialisers

    public INDArray normal(double std, long... shape) {
        double[] v = new double[(int) prod(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = gaussian() * std;
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    public INDArray uniform(double lo, double hi, long... shape) {
        double[] v = new double[(int) prod(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    public INDArray constant(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, DataType.DOUBLE);
    }

    private double gaussian() {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long prod(long[] shape) {
        long p = 1;
        for (long s : shape) {
            p *= s;
        }
        return p;
    }
}
