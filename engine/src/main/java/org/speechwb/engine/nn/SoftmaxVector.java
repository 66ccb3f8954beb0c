package org.speechwb.engine.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link SoftmaxKernel}'s rows on SIMD lanes; loaded only when the Vector API is present. */
final class SoftmaxVector {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SoftmaxVector() {
    }

    static void forward(float[] row, int width) {
        int upper = S.loopBound(width);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < upper; i += S.length()) {
            mv = mv.max(FloatVector.fromArray(S, row, i));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (int i = upper; i < width; i++) {
            max = Math.max(max, row[i]);
        }
        FloatVector sv = FloatVector.zero(S);
        for (int i = 0; i < upper; i += S.length()) {
            FloatVector e = GeluVector.expNonPositive(FloatVector.fromArray(S, row, i).sub(max));
            e.intoArray(row, i);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (int i = upper; i < width; i++) {
            float e = GeluKernel.expNonPositive(row[i] - max);
            row[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < upper; i += S.length()) {
            FloatVector.fromArray(S, row, i).mul(inv).intoArray(row, i);
        }
        for (int i = upper; i < width; i++) {
            row[i] *= inv;
        }
    }

    static void backward(float[] p, float[] g, int width) {
        int upper = S.loopBound(width);
        FloatVector dv = FloatVector.zero(S);
        for (int i = 0; i < upper; i += S.length()) {
            dv = FloatVector.fromArray(S, p, i).fma(FloatVector.fromArray(S, g, i), dv);
        }
        float dot = dv.reduceLanes(VectorOperators.ADD);
        for (int i = upper; i < width; i++) {
            dot += p[i] * g[i];
        }
        for (int i = 0; i < upper; i += S.length()) {
            FloatVector.fromArray(S, p, i).mul(FloatVector.fromArray(S, g, i).sub(dot)).intoArray(g, i);
        }
        for (int i = upper; i < width; i++) {
            g[i] = p[i] * (g[i] - dot);
        }
    }
}
