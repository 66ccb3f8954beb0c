package org.speechwb.engine.interop;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint from another toolkit that cannot be read or represented: corrupt or truncated
 * files, unsafe pickles, unsupported architectures. The message names the file and, where it
 * applies, the field and its value.
 */
public class InteropException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public InteropException(Path file, String message) {
        this(file, message, null);
    }

    public InteropException(Path file, String message, Throwable cause) {
        super((file == null ? "" : file + ": ") + message, cause);
        this.file = file;
    }

    /** The file the problem is in (may be null). */
    public Path file() {
        return file;
    }
}
