package org.speechwb.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class StatusBarTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        StatusBar bar = new StatusBar(ctx);
        BorderPane root = new BorderPane(new Label("screen"));
        root.setBottom(bar.view());
        Scene scene = new Scene(root, 900, 600);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.setX(100);
        stage.setY(80);
        stage.show();
    }

    @Test
    void theMessagesPopUpOpensInsideTheWindowNextToItsButton(FxRobot robot) {
        robot.interact(() -> ctx.notifier().error("Could not open dataset x", "no such file or folder", null));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#status-messages");
        WaitForAsyncUtils.waitForFxEvents();
        Window pop = Window.getWindows().stream().filter(w -> w instanceof PopupWindow && w.isShowing())
                .findFirst().orElseThrow(() -> new AssertionError("no pop-up is showing"));
        // what one sees of the pop-up: its box (the window around it also holds the box's shadow)
        Node content = pop.getScene().getRoot().lookup("#messages-popup");
        Bounds c = content.localToScreen(content.getLayoutBounds());
        Rectangle2D popup = new Rectangle2D(c.getMinX(), c.getMinY(), c.getWidth(), c.getHeight());
        Node root = stage.getScene().getRoot();
        Bounds window = root.localToScreen(root.getBoundsInLocal());
        Bounds button = robot.lookup("#status-messages").query().localToScreen(
                robot.lookup("#status-messages").query().getBoundsInLocal());
        String where = "pop-up " + popup + ", window " + window + ", button " + button;
        assertThat(popup.getWidth()).as(where).isGreaterThan(200);
        assertThat(popup.getMinX()).as(where).isGreaterThanOrEqualTo(window.getMinX());
        assertThat(popup.getMinY()).as(where).isGreaterThanOrEqualTo(window.getMinY());
        assertThat(popup.getMaxX()).as(where).isLessThanOrEqualTo(window.getMaxX());
        assertThat(popup.getMaxY()).as(where).isLessThanOrEqualTo(window.getMaxY());
        // just above the button, right edges aligned
        assertThat(popup.getMaxY()).as(where).isLessThanOrEqualTo(button.getMinY())
                .isGreaterThan(button.getMinY() - 30);
        assertThat(Math.abs(popup.getMaxX() - button.getMaxX())).as(where).isLessThan(30);

        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(pop.isShowing()).as("Escape closes the pop-up").isFalse();
    }
}
