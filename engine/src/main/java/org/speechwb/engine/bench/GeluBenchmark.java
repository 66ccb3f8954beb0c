package org.speechwb.engine.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Gelu;

/**
 * The exact GELU's forward and backward at the size of the small config's feature-encoder
 * activations (2 × 128 channels × 53,000 frames, all layers together), every way in turn in one
 * run: the ND4J ops that the other backends use, the one-pass CPU kernel's scalar loop, and the
 * same kernel on SIMD lanes (when the JVM has the Vector API module).
 */
public final class GeluBenchmark {

    private GeluBenchmark() {
    }

    public static void run(int rounds, Consumer<String> out) {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 128, 53_000).muli(2);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 128, 53_000);
        List<Gelu.Path> paths = new ArrayList<>(List.of(Gelu.Path.ND4J, Gelu.Path.KERNEL_SCALAR));
        if (Gelu.Path.vectorAvailable()) {
            paths.add(Gelu.Path.KERNEL_VECTOR);
        } else {
            out.accept("(no SIMD kernel: this JVM lacks --add-modules=jdk.incubator.vector)");
        }
        List<Gelu> gelus = new ArrayList<>();
        List<Ctx> contexts = new ArrayList<>();
        for (Gelu.Path path : paths) {
            gelus.add(new Gelu("gelu", path));
            contexts.add(new Ctx(new Arena(DataType.FLOAT), true, Nd4j.getRandom()));
        }
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            double[] row = new double[2 * paths.size()];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d:", r));
            for (int p = 0; p < paths.size(); p++) {
                double[] t = time(gelus.get(p), contexts.get(p), x, dy);
                row[2 * p] = t[0];
                row[2 * p + 1] = t[1];
                line.append(String.format(Locale.ROOT, " %s fwd %6.1f bwd %6.1f ms |", label(paths.get(p)), t[0], t[1]));
            }
            if (r == 0) {
                continue; // warm-up: JIT and first touch of the arenas
            }
            rows.add(row);
            out.accept(line.substring(0, line.length() - 2));
        }
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT,
                "median forward + backward over %d elements:", x.length()));
        double nd = 0;
        for (int p = 0; p < paths.size(); p++) {
            int c = p;
            double m = Stats.median(rows.stream().mapToDouble(v -> v[2 * c] + v[2 * c + 1]).toArray());
            if (p == 0) {
                nd = m;
                summary.append(String.format(Locale.ROOT, " %s %.1f ms", label(paths.get(p)), m));
            } else {
                summary.append(String.format(Locale.ROOT, ", %s %.1f ms (ND4J / this %.2f)", label(paths.get(p)), m, nd / m));
            }
        }
        out.accept(summary.toString());
    }

    private static String label(Gelu.Path path) {
        return switch (path) {
            case ND4J -> "ND4J ops";
            case KERNEL_SCALAR -> "kernel scalar";
            case KERNEL_VECTOR -> "kernel SIMD";
            case AUTO -> "auto";
        };
    }

    private static double[] time(Gelu gelu, Ctx ctx, INDArray x, INDArray dy) {
        int reps = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            gelu.forward(ctx, x);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            gelu.backward(ctx, dy);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps};
    }
}
