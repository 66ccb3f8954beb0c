package org.speechwb.app.shell;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Stands in for a screen whose provider is not on the class path (yet). */
final class PlaceholderScreen implements Screen {

    private final VBox view;

    PlaceholderScreen(ScreenId id) {
        Label title = new Label(id.title());
        title.getStyleClass().add("screen-title");
        Label text = new Label(id.description() + "\n\nThis screen is not part of this build.");
        text.setWrapText(true);
        view = new VBox(12, title, text);
        view.setAlignment(Pos.CENTER);
        view.getStyleClass().add("placeholder-screen");
        view.setId("placeholder-" + id.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Node view() {
        return view;
    }
}
