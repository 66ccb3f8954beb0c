package org.speechwb.app;

import javafx.application.Application;

import org.speechwb.engine.backend.Backends;

/**
 * Entry point. JavaFX refuses to start an {@link Application} subclass as the main class when
 * it is on the class path rather than the module path, so this plain class launches it. It
 * also chooses the ND4J BLAS before anything can touch ND4J.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Backends.init();
        Application.launch(WorkbenchApp.class, args);
    }
}
