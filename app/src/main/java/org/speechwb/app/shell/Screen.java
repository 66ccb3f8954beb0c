package org.speechwb.app.shell;

import javafx.scene.Node;

/** One screen of the main window: a view (built once) plus hooks for when it comes and goes. */
public interface Screen {

    Node view();

    /**
     * Called once on the FX thread when the main window is built, whichever screen is shown: for
     * what the whole workbench needs from the start (the last dataset), not only this screen.
     */
    default void onLaunch() {
    }

    /** Called on the FX thread each time the screen becomes the visible one. */
    default void onShown() {
    }

    default void onHidden() {
    }

    /** Called once when the window closes: stop timers, release listeners. */
    default void dispose() {
    }
}
