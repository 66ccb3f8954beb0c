package org.speechwb.engine.corpus;

import java.io.IOException;

/**
 * A text-to-speech program is missing, failed, timed out or produced nothing. The message names
 * the program and, when it is missing, how to install it.
 */
public final class TtsException extends IOException {

    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
