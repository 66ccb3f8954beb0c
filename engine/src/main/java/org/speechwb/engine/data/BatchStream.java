package org.speechwb.engine.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches decoded ahead of the trainer on one background thread, so that decoding overlaps with
 * the training step. The queue is bounded (memory stays at a few batches); a failure on the
 * loader thread is handed to the consumer as a {@link BatchLoadException} from {@link #next()}
 * instead of being lost; {@link #close()} stops the thread without interrupting a read in
 * progress. Batches whose every file failed to decode are passed over.
 *
 * <p>{@link #position()} is the position of the next batch {@link #next()} will return: store it
 * in a checkpoint, and {@code batcher.stream(position)} (or {@link #seek}) continues with the same
 * batches an uninterrupted run would have produced. Not thread-safe for several consumers.
 */
public final class BatchStream implements Iterator<AudioBatch>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long JOIN_MILLIS = 30_000;

    private sealed interface Item permits Loaded, Failed, End { }

    private record Loaded(AudioBatch batch) implements Item { }

    private record Failed(RuntimeException error) implements Item { }

    private record End() implements Item { }

    private final AudioBatcher batcher;
    private final int endEpoch;
    private final int prefetch;
    private Worker worker;
    private Item pending;
    private BatchPosition position;
    private boolean closed;

    BatchStream(AudioBatcher batcher, BatchPosition from, int endEpoch, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1 batch, got " + prefetch);
        }
        this.batcher = batcher;
        this.endEpoch = endEpoch;
        this.prefetch = prefetch;
        start(from);
    }

    /** Position of the batch the next call to {@link #next()} returns. */
    public BatchPosition position() {
        return position;
    }

    /** Continues from {@code target}: discards what was prefetched and restarts loading there. */
    public void seek(BatchPosition target) {
        ensureOpen();
        stopWorker();
        start(target);
    }

    @Override
    public boolean hasNext() {
        ensureOpen();
        return !(peek() instanceof End);
    }

    /**
     * The next batch, waiting for the loader if needed.
     *
     * @throws BatchLoadException if the loader thread failed (again on every later call)
     */
    @Override
    public AudioBatch next() {
        ensureOpen();
        Item item = peek();
        if (item instanceof End) {
            throw new NoSuchElementException("batch stream ended before epoch " + endEpoch);
        }
        if (item instanceof Failed f) {
            throw f.error();
        }
        pending = null;
        AudioBatch batch = ((Loaded) item).batch();
        position = batch.position().next(batcher.batchesInEpoch(batch.position().epoch()));
        return batch;
    }

    /** Stops the loader thread and waits for it. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stopWorker();
        }
    }

    /** Whether the background loader thread is still running (for tests and diagnostics). */
    boolean loaderAlive() {
        return worker.thread.isAlive();
    }

    private Item peek() {
        if (pending == null) {
            try {
                pending = worker.queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        return pending;
    }

    private void start(BatchPosition from) {
        position = from;
        pending = null;
        worker = new Worker(from, new ArrayBlockingQueue<>(prefetch));
        worker.thread.start();
    }

    private void stopWorker() {
        Worker w = worker;
        w.stop = true;
        w.queue.clear();
        try {
            w.thread.join(JOIN_MILLIS);
            if (w.thread.isAlive()) {
                LOG.warn("Batch loader thread {} did not stop within {} ms; interrupting it", w.thread.getName(),
                        JOIN_MILLIS);
                w.thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("batch stream is closed");
        }
    }

    /** One loading run from a start position; replaced on every seek. */
    private final class Worker implements Runnable {

        final BlockingQueue<Item> queue;
        final Thread thread;
        final BatchPosition from;
        volatile boolean stop;

        Worker(BatchPosition from, BlockingQueue<Item> queue) {
            this.from = from;
            this.queue = queue;
            this.thread = new Thread(this, "batch-loader-" + THREADS.incrementAndGet());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            BatchPosition pos = from;
            try {
                while (!stop && pos.epoch() < endEpoch) {
                    int batches = batcher.batchesInEpoch(pos.epoch());
                    if (pos.index() >= batches) {
                        pos = BatchPosition.start(pos.epoch() + 1);
                        continue;
                    }
                    AudioBatch batch = batcher.batch(pos);
                    pos = pos.next(batches);
                    if (batch.size() == 0) {
                        LOG.warn("Passing over {}: none of its {} file(s) could be decoded", batch.position(),
                                batch.skipped().size());
                        continue;
                    }
                    if (!offer(new Loaded(batch))) {
                        return;
                    }
                }
                offer(new End());
            } catch (RuntimeException e) {
                offer(new Failed(e));
            } catch (Error e) {
                offer(new Failed(new BatchLoadException(null, pos, e)));
                throw e;
            }
        }

        /** Puts an item, giving up (false) once asked to stop, so that close() never waits on a full queue. */
        private boolean offer(Item item) {
            try {
                while (!stop) {
                    if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
