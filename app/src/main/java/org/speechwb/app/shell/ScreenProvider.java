package org.speechwb.app.shell;

/**
 * Supplies one screen. Built-in screens are registered in code; other modules or branches add
 * theirs without touching the shell by listing an implementation in
 * {@code META-INF/services/org.speechwb.app.shell.ScreenProvider} (a {@link java.util.ServiceLoader}
 * file), or by calling {@link ScreenRegistry#register}.
 */
public interface ScreenProvider {

    ScreenId id();

    /** Called on the FX thread once, when the main window is built. */
    Screen create(ScreenContext context);
}
