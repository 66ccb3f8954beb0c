package org.speechwb.engine.run;

import java.nio.file.Path;

/** A checkpoint that cannot be used; the message names the file and what is wrong with it. */
public final class CheckpointException extends Exception {

    private final Path file;

    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
