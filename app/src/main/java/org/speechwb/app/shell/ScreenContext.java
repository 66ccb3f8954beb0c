package org.speechwb.app.shell;

import java.util.Objects;
import java.util.function.Supplier;

import javafx.stage.Window;

import org.speechwb.app.AppPaths;

/**
 * What every screen gets: the shared session, the way to run work off the FX thread, the way
 * to tell the user something, the preferences and the well-known folders.
 *
 * @param window the main window once shown (owner for dialogs and choosers; may give null in tests)
 */
public record ScreenContext(WorkbenchSession session, BackgroundTasks tasks, Notifier notifier,
                            AppPreferences preferences, AppPaths paths, Supplier<Window> window) {

    public ScreenContext {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(notifier, "notifier");
        Objects.requireNonNull(preferences, "preferences");
        Objects.requireNonNull(paths, "paths");
        window = window == null ? () -> null : window;
    }

    public Window owner() {
        return window.get();
    }
}
