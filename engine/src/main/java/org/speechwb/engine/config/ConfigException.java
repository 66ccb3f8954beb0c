package org.speechwb.engine.config;

import java.nio.file.Path;

/** A config file that cannot be read or is invalid; the message names the file and the field. */
public final class ConfigException extends Exception {

    private final Path file;

    public ConfigException(Path file, String message, Throwable cause) {
        super((file == null ? "" : file + ": ") + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
