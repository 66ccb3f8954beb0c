package org.speechwb.app;

import javafx.application.Application;

import org.speechwb.engine.backend.Backends;

/**
 * Entry point. JavaFX refuses to start an {@link Application} subclass as the main class when
 * it is on the class path rather than the module path, so this plain class launches it. It
 * also makes AWT headless and chooses the ND4J BLAS before anything can touch either.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        // AWT only draws off screen here (JFreeChart into FX canvases, PNG export), so it needs no
        // display. Without this it starts its own X toolkit beside JavaFX's GTK one; one launch
        // under Xvfb (2026-12-03) hung before its window appeared with every thread waiting and an
        // AWT-XAWT thread running, the pattern of the known AWT/JavaFX start-up races on Linux.
        // The tests have always run AWT headless. A user's -Djava.awt.headless=false still wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Backends.init();
        Application.launch(WorkbenchApp.class, args);
    }
}
