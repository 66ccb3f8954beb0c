package org.speechwb.engine.nn;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite-difference check of analytic gradients, in double precision.
 *
 * <p>ND4J's own GradCheckUtil fails in M2.1, and every module here has a hand-written
 * backward pass, so this checker is what makes the engine trustworthy: tests run it on each
 * module and on a whole tiny wav2vec 2.0 model.
 */
public final class GradientCheck {

    /** Worst relative error over the checked entries of one tensor. */
    public record Result(String name, double maxRelativeError, double maxAbsoluteError, int checked) {
        public boolean passes(double relTolerance, double absTolerance) {
            return maxRelativeError <= relTolerance || maxAbsoluteError <= absTolerance;
        }

        @Override
        public String toString() {
            return String.format("%s: max rel %.2e, max abs %.2e over %d entries", name, maxRelativeError,
                    maxAbsoluteError, checked);
        }
    }

    private GradientCheck() {
    }

    /**
     * Perturbs up to {@code samples} random entries of {@code x} (in place, restored after)
     * and compares {@code (L(x+ε) − L(x−ε)) / 2ε} with {@code analytic}.
     * Per entry the error counts as acceptable when either the relative or the absolute error
     * is small, so entries with near-zero gradients do not produce spurious failures; the
     * result reports the worst entry by relative error among those with a meaningful size.
     */
    public static Result check(String name, INDArray x, INDArray analytic, DoubleSupplier loss, int samples,
                               double eps, long seed) {
        if (x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need double precision, got " + x.dataType());
        }
        INDArray flat = x.reshape(x.length());
        INDArray grad = analytic.reshape(analytic.length());
        SplittableRandom rng = new SplittableRandom(seed);
        int n = (int) Math.min(samples, x.length());
        double maxRel = 0;
        double maxAbs = 0;
        for (int s = 0; s < n; s++) {
            long i = n == x.length() ? s : rng.nextLong(x.length());
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + eps);
            double plus = loss.getAsDouble();
            flat.putScalar(i, orig - eps);
            double minus = loss.getAsDouble();
            flat.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * eps);
            double a = grad.getDouble(i);
            double abs = Math.abs(a - numeric);
            double scale = Math.max(Math.abs(a), Math.abs(numeric));
            maxAbs = Math.max(maxAbs, abs);
            if (scale > 1e-7) {
                maxRel = Math.max(maxRel, abs / scale);
            }
        }
        return new Result(name, maxRel, maxAbs, n);
    }
}
