package org.speechwb.engine.nn;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the engine's hand-written CPU kernels ({@link GeluKernel}, {@link NormKernels}) share:
 * when they apply, their threads, and access to ND4J's buffers.
 *
 * <p>Why they exist: each ND4J op is one pass over memory plus a fixed cost of tens of
 * microseconds, and an exact GELU or a normalisation is five to twelve of them; one pass in Java
 * over the same off-heap buffers does the work of all of them. They run only on the CPU backend
 * in float32 on dense row-major arrays; everywhere else (the CUDA backend, the double-precision
 * gradient checks, strided views) the callers keep their ND4J ops, so every op stays one the
 * CUDA backend implements.
 */
public final class CpuKernels {

    static final boolean CPU = Nd4j.getBackend().getClass().getName().contains(".cpu.");
    /**
     * Whether the Vector API's incubator module is in the boot layer (the launch scripts and the
     * test runner add it). Classes that use it are loaded only when this is true.
     */
    static final boolean VECTORISED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * {@code -Dspeechwb.cpuKernels=false} keeps every caller on its ND4J ops: for comparing, or for
     * ruling the kernels out when a result looks wrong. Not final, so a benchmark can alternate.
     */
    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("speechwb.cpuKernels"));
    static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "speechwb-kernel");
        t.setDaemon(true);
        return t;
    });

    /** Work below this many elements runs on the calling thread: a second thread costs more than it saves. */
    static final int PARALLEL_MIN = 1 << 16;

    private CpuKernels() {
    }

    /** Whether the kernels may run (they still need {@link #applies}). */
    public static boolean enabled() {
        return enabled;
    }

    /** Turns every kernel on or off from the next call on (for A/B benchmarks in one process). */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Kernels enabled, CPU backend, and every array float32 with dense row-major strides, indexable by int. */
    static boolean applies(INDArray... arrays) {
        if (!CPU || !enabled) {
            return false;
        }
        for (INDArray a : arrays) {
            // the strides, not the ordering flag, say the layout (ND4J marks 1-D views 'f'),
            // and a float view of the buffer is indexed by int
            if (a.dataType() != DataType.FLOAT || a.offset() + a.length() > Integer.MAX_VALUE / 4
                    || !Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), 'c'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The array's buffer as floats; index it from {@code (int) a.offset()}. Kernels use absolute
     * bulk gets and puts only, which leave the buffer's position alone, so threads may share it.
     */
    static FloatBuffer floats(INDArray a) {
        return a.data().asNioFloat();
    }

    /** A dense float array's elements copied onto the Java heap. */
    static float[] read(INDArray a) {
        float[] out = new float[(int) a.length()];
        floats(a).get((int) a.offset(), out, 0, out.length);
        return out;
    }

    /** Copies {@code values} over a dense float array's elements. */
    static void write(float[] values, INDArray a) {
        floats(a).put((int) a.offset(), values, 0, values.length);
    }

    /** A part of a split loop: items {@code from..to-1}, the {@code part}-th of the split. */
    interface Range {
        void run(int part, int from, int to);
    }

    /** How many parts {@link #parallel} splits {@code items} items of {@code elements} elements in all into. */
    static int parts(int items, long elements) {
        return elements < PARALLEL_MIN ? 1 : Math.max(1, Math.min(THREADS, items));
    }

    /**
     * Runs {@code body} over items {@code 0..items-1} in {@code parts} contiguous ranges, the first
     * on the calling thread and the others on the kernel pool, and waits for all of them.
     */
    static void parallel(int items, int parts, Range body) {
        if (parts <= 1) {
            body.run(0, 0, items);
            return;
        }
        int per = (items + parts - 1) / parts;
        List<Future<?>> rest = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            int part = p;
            int from = p * per;
            int to = Math.min(items, from + per);
            if (from < to) {
                rest.add(POOL.submit(() -> body.run(part, from, to)));
            }
        }
        body.run(0, 0, Math.min(items, per));
        for (Future<?> f : rest) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("kernel interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("kernel failed", e.getCause());
            }
        }
    }
}
