package org.speechwb.app.shell;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

import javafx.beans.property.ReadOnlyIntegerProperty;

/**
 * Runs engine work off the FX thread and hands results back to it. View models depend on this
 * interface only, so tests can swap in {@link SameThreadBackgroundTasks} and get results
 * synchronously.
 */
public interface BackgroundTasks {

    /**
     * Runs {@code work} in the background; exactly one of the callbacks is then called on the UI
     * thread, unless the returned handle was cancelled first (then neither is).
     *
     * @param name shown in the status bar and the log
     */
    <T> TaskHandle submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                          Consumer<? super Throwable> onFailure);

    /** Runs {@code r} on the UI thread (later, or now when already there in tests). */
    void runOnUi(Runnable r);

    /** Tasks submitted and not finished; maintained on the UI thread. */
    ReadOnlyIntegerProperty runningProperty();

    /** Name of the task submitted most recently that is still running, or "" (UI thread). */
    javafx.beans.property.ReadOnlyStringProperty currentTaskProperty();

    void shutdown();

    /** A running task as its submitter sees it. */
    interface TaskHandle {
        /** Suppresses the callbacks; the work itself stops only if it watches its own token. */
        void cancel();

        boolean isCancelled();

        boolean isDone();
    }
}
