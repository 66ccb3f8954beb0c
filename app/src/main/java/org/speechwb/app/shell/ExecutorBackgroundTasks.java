package org.speechwb.app.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's {@link BackgroundTasks}: daemon worker threads, callbacks through {@link Platform#runLater}. */
public final class ExecutorBackgroundTasks implements BackgroundTasks {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorBackgroundTasks.class);

    private final AtomicInteger threadNo = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wb-background-" + threadNo.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper current = new ReadOnlyStringWrapper("");
    private final List<String> names = new ArrayList<>();

    @Override
    public <T> TaskHandle submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                 Consumer<? super Throwable> onFailure) {
        Handle handle = new Handle();
        runOnUi(() -> {
            names.add(name);
            running.set(names.size());
            current.set(name);
        });
        pool.execute(() -> {
            T result = null;
            Throwable failure = null;
            try {
                result = work.call();
            } catch (Throwable t) { // NOPMD: OutOfMemoryError must reach the user as a message too
                failure = t;
                // the failure callback reports it to the user (and logs the cause); this is for tracing
                if (!(t instanceof CancellationException)) {
                    LOG.debug("Background task '{}' failed", name, t);
                }
            }
            handle.done.set(true);
            T r = result;
            Throwable f = failure;
            runOnUi(() -> {
                names.remove(name);
                running.set(names.size());
                current.set(names.isEmpty() ? "" : names.get(names.size() - 1));
                if (handle.cancelled.get()) {
                    return;
                }
                if (f == null) {
                    onSuccess.accept(r);
                } else {
                    onFailure.accept(f);
                }
            });
        });
        return handle;
    }

    @Override
    public void runOnUi(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @Override
    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyStringProperty currentTaskProperty() {
        return current.getReadOnlyProperty();
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }

    private static final class Handle implements TaskHandle {
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public boolean isDone() {
            return done.get();
        }
    }
}
