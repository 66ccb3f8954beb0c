package org.speechwb.engine.data;

import java.util.concurrent.CancellationException;

/**
 * Lets another thread (a UI's Cancel button) stop a long scan. The scan checks the token between
 * files and ends with a {@link CancellationException}, so a cancelled scan never returns a partial
 * dataset that could be mistaken for a complete one.
 */
public final class CancellationToken {

    private volatile boolean cancelled;

    /** A token that is never cancelled. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** @throws CancellationException if {@link #cancel()} was called */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancellationException("dataset scan cancelled");
        }
    }
}
