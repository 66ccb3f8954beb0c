package org.speechwb.app.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items produced on any thread (training events at hundreds per second, scan progress
 * per file) to the UI thread in batches, at most once per period. Nothing is dropped: a batch
 * holds every item offered since the previous one, in order, so the UI can render the latest
 * state once and still append every metric.
 */
public final class FxThrottle<T> implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wb-throttle");
        t.setDaemon(true);
        return t;
    });

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final long periodNanos;
    private final Executor ui;
    private final Consumer<List<T>> sink;
    private volatile long lastDelivery;
    private volatile boolean closed;

    /**
     * @param periodMillis minimum time between deliveries (50 ms = at most 20 batches per second)
     * @param ui           runs a delivery on the UI thread ({@code Platform::runLater}; direct in tests)
     * @param sink         receives each non-empty batch on the UI thread
     */
    public FxThrottle(long periodMillis, Executor ui, Consumer<List<T>> sink) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.ui = Objects.requireNonNull(ui);
        this.sink = Objects.requireNonNull(sink);
        this.lastDelivery = System.nanoTime() - periodNanos;
    }

    /** Queues an item; safe from any thread, never blocks. */
    public void offer(T item) {
        queue.add(item);
        if (!closed && scheduled.compareAndSet(false, true)) {
            long wait = Math.max(0, lastDelivery + periodNanos - System.nanoTime());
            TIMER.schedule(() -> ui.execute(this::drain), wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Delivers what is queued now, on the calling (UI) thread. */
    public void drain() {
        // cleared before polling: an item offered during the poll schedules its own delivery
        scheduled.set(false);
        List<T> batch = new ArrayList<>();
        for (T t; (t = queue.poll()) != null; ) {
            batch.add(t);
        }
        lastDelivery = System.nanoTime();
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }

    /** Items waiting for the next delivery. */
    public int pending() {
        return queue.size();
    }

    /** Stops scheduling; queued items can still be fetched with {@link #drain()}. */
    @Override
    public void close() {
        closed = true;
    }
}
