package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Dataset metadata that cannot be used as a whole (a wrong header, label files that do not line up
 * with the manifest). Unlike a single bad audio file, which is skipped, these make every
 * utterance's labels or paths doubtful, so loading stops and the message names the file and line.
 */
public final class DatasetFormatException extends IOException {

    private final Path file;
    private final int line;

    public DatasetFormatException(Path file, int line, String message) {
        super(file + (line > 0 ? " line " + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public DatasetFormatException(Path file, String message) {
        this(file, 0, message);
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }
}
