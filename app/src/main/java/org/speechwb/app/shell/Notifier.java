package org.speechwb.app.shell;

import java.time.Instant;

import javafx.collections.ObservableList;

/**
 * Tells the user something without a stack trace: the cause goes to the log, a readable
 * message to the screen. Every notice is also kept in {@link #history()} (the status bar's
 * message list), so nothing shown briefly is lost.
 */
public interface Notifier {

    enum Level { INFO, WARNING, ERROR }

    record Notice(Instant time, Level level, String title, String message) {
    }

    void info(String title, String message);

    void warning(String title, String message);

    /** Logs {@code cause} (may be null) and shows {@code title} with a readable description of it. */
    void error(String title, String message, Throwable cause);

    /** As {@link #error(String, String, Throwable)} with the message made from the cause. */
    default void error(String title, Throwable cause) {
        error(title, ErrorMessages.describe(cause), cause);
    }

    /** All notices of this session, oldest first (UI thread). */
    ObservableList<Notice> history();
}
