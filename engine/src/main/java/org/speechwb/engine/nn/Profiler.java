package org.speechwb.engine.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Optional wall-clock accounting per named section of a training step, for the benchmark's
 * "where does the time go" table. Disabled by default; then {@link #start} returns a shared
 * no-op and costs nothing measurable. ND4J's CPU ops are synchronous, so wall time per section
 * is meaningful. Not thread-safe: one training thread records at a time.
 */
public final class Profiler {

    /** A running section; close it to record. */
    public interface Section extends AutoCloseable {
        @Override
        void close();
    }

    private static final Section NOOP = () -> { };
    private static volatile boolean enabled;
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();

    private Profiler() {
    }

    public static void enable(boolean on) {
        enabled = on;
    }

    public static Section start(String name) {
        if (!enabled) {
            return NOOP;
        }
        long t0 = System.nanoTime();
        return () -> {
            long dt = System.nanoTime() - t0;
            synchronized (TOTALS) {
                long[] v = TOTALS.computeIfAbsent(name, k -> new long[2]);
                v[0] += dt;
                v[1]++;
            }
        };
    }

    /** Consecutive sections: each {@link Laps#mark} closes the one since the previous mark. */
    public static final class Laps {
        private final String prefix;
        private long t0 = System.nanoTime();

        private Laps(String prefix) {
            this.prefix = prefix;
        }

        public void mark(String name) {
            if (prefix == null || !enabled) {
                return;
            }
            long t = System.nanoTime();
            synchronized (TOTALS) {
                long[] v = TOTALS.computeIfAbsent(prefix + name, k -> new long[2]);
                v[0] += t - t0;
                v[1]++;
            }
            t0 = System.nanoTime();
        }
    }

    private static final Laps NO_LAPS = new Laps(null);

    /** Starts timing consecutive sections named {@code prefix + mark}; a shared no-op while disabled. */
    public static Laps laps(String prefix) {
        return enabled ? new Laps(prefix) : NO_LAPS;
    }

    /** Section name → {total nanoseconds, count}, in first-seen order. */
    public static Map<String, long[]> snapshot() {
        synchronized (TOTALS) {
            Map<String, long[]> copy = new LinkedHashMap<>();
            TOTALS.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }
    }

    public static void reset() {
        synchronized (TOTALS) {
            TOTALS.clear();
        }
    }
}
