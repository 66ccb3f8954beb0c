package org.speechwb.engine.data;

import java.nio.file.Path;

/**
 * Loading a batch failed for a reason other than a bad audio file (which would just be skipped):
 * an I/O error, a bug in a decoder. Thrown to the consumer of a {@link BatchStream}, naming the
 * file and the batch, so that a failure on the prefetch thread is never lost or anonymous.
 */
public final class BatchLoadException extends RuntimeException {

    private final Path file;
    private final BatchPosition position;

    public BatchLoadException(Path file, BatchPosition position, Throwable cause) {
        super((file == null ? "loading " : "loading " + file + " for ") + position + " failed: " + cause, cause);
        this.file = file;
        this.position = position;
    }

    /** The file being loaded, or null when the failure was not tied to one file. */
    public Path file() {
        return file;
    }

    public BatchPosition position() {
        return position;
    }
}
