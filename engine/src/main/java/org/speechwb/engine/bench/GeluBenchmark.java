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
 * activations (2 × 128 channels × 53,000 frames, all layers together), both ways in turn in one
 * run: the ND4J ops that inference and the other backends use, and the one-pass CPU kernel that
 * training uses (a training context selects it).
 */
public final class GeluBenchmark {

    private GeluBenchmark() {
    }

    public static void run(int rounds, Consumer<String> out) {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 128, 53_000).muli(2);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 128, 53_000);
        Gelu gelu = new Gelu("gelu");
        Ctx nd4j = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        Ctx kernel = new Ctx(new Arena(DataType.FLOAT), true, Nd4j.getRandom());
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            double[] a = time(gelu, nd4j, x, dy);
            double[] b = time(gelu, kernel, x, dy);
            if (r == 0) {
                continue; // warm-up: JIT and first touch of the arenas
            }
            rows.add(new double[] {a[0], a[1], b[0], b[1]});
            out.accept(String.format(Locale.ROOT, "round %d: ND4J ops fwd %6.1f bwd %6.1f ms | kernel fwd %6.1f bwd %6.1f ms",
                    r, a[0], a[1], b[0], b[1]));
        }
        double nd = Stats.median(rows.stream().mapToDouble(v -> v[0] + v[1]).toArray());
        double k = Stats.median(rows.stream().mapToDouble(v -> v[2] + v[3]).toArray());
        out.accept(String.format(Locale.ROOT, "median forward + backward over %d elements: ND4J ops %.1f ms, kernel %.1f ms"
                + " (ND4J / kernel %.2f)", x.length(), nd, k, nd / k));
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
