package org.speechwb.engine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Tensors;

/**
 * GFLOP/s of the engine's GEMM path ({@link Tensors#gemm}) at the shapes of a BASE update, in
 * the three forms an update uses: forward {@code x·W}, weight gradient {@code xᵀ·dy} and input
 * gradient {@code dy·Wᵀ}. The square and model-shaped rows are the ones the PyTorch peer's
 * {@code --gemm} prints, so the two outputs compare line by line.
 */
public final class GemmBenchmark {

    /** One product {@code [m, k] x [k, n]}. */
    public record Shape(String label, long m, long k, long n) {
    }

    /** The peer's list: squares, then BASE at batch 2 × 4 s (398 frames; 12,798 rows after conv 1). */
    public static final List<Shape> SHAPES = List.of(new Shape("square", 1024, 1024, 1024),
            new Shape("square", 2048, 2048, 2048), new Shape("square", 4096, 4096, 4096),
            new Shape("qkv proj", 398, 768, 2304), new Shape("ffn fc1", 398, 768, 3072),
            new Shape("ffn fc2", 398, 3072, 768), new Shape("conv2 im2col", 12798, 1536, 512));

    /** Best and median GFLOP/s of one form at one shape. */
    public record Result(Shape shape, String form, double best, double median, int reps) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-13s %-5s %5d x %5d x %5d : best %7.1f GFLOP/s, median %7.1f GFLOP/s (%d reps)",
                    shape.label(), form, shape.m(), shape.k(), shape.n(), best, median, reps);
        }
    }

    private GemmBenchmark() {
    }

    /** Runs every shape in the forward form and, unless {@code forwardOnly}, both gradient forms. */
    public static List<Result> run(List<Shape> shapes, boolean forwardOnly, Consumer<Result> progress) {
        List<Result> out = new ArrayList<>();
        for (Shape s : shapes) {
            INDArray x = Nd4j.rand(DataType.FLOAT, s.m(), s.k());
            INDArray w = Nd4j.rand(DataType.FLOAT, s.k(), s.n());
            INDArray y = Nd4j.create(DataType.FLOAT, s.m(), s.n());
            add(out, progress, time(s, "x.W", () -> Tensors.gemm(x, w, y, false, false, 1, 0)));
            if (!forwardOnly) {
                INDArray dw = Nd4j.create(DataType.FLOAT, s.k(), s.n());
                INDArray dx = Nd4j.create(DataType.FLOAT, s.m(), s.k());
                add(out, progress, time(s, "xT.dy", () -> Tensors.gemm(x, y, dw, true, false, 1, 1)));
                add(out, progress, time(s, "dy.WT", () -> Tensors.gemm(y, w, dx, false, true, 1, 0)));
            }
        }
        return out;
    }

    private static void add(List<Result> out, Consumer<Result> progress, Result r) {
        out.add(r);
        progress.accept(r);
    }

    /** Two warm-up calls, then at least 3 and up to 50 timed calls or 3 seconds, as the peer. */
    private static Result time(Shape s, String form, Runnable product) {
        product.run();
        product.run();
        List<Double> times = new ArrayList<>();
        double total = 0;
        while (times.size() < 3 || (total < 3.0 && times.size() < 50)) {
            long t0 = System.nanoTime();
            product.run();
            double dt = (System.nanoTime() - t0) / 1e9;
            times.add(dt);
            total += dt;
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double flop = 2.0 * s.m() * s.k() * s.n();
        return new Result(s, form, flop / sorted[0] / 1e9, flop / sorted[sorted.length / 2] / 1e9, sorted.length);
    }
}
