package org.speechwb.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A screen registered from outside the shell replaces the placeholder; navigation follows the session. */
@ExtendWith(ApplicationExtension.class)
class ScreenRegistryTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp);
        ScreenRegistry registry = Screens.defaultRegistry();
        assertThat(registry.has(ScreenId.DATASETS)).isTrue();
        registry.register(ScreenId.CODEBOOK, c -> {
            Label l = new Label("plugged-in codebook");
            l.setId("plugged");
            return () -> l;
        });
        window = new MainWindow(ctx, registry);
        stage.setScene(new Scene(window.root(), 1280, 800));
        stage.show();
    }

    @Test
    void pluggedScreensShowAndMissingOnesArePlaceholders(FxRobot robot) {
        robot.clickOn("#nav-codebook");
        assertThat(window.shown()).isEqualTo(ScreenId.CODEBOOK);
        assertThat(ctx.session().screenProperty().get()).isEqualTo(ScreenId.CODEBOOK);
        assertThat(robot.lookup("#plugged").tryQuery()).isPresent();
        if (!Screens.defaultRegistry().has(ScreenId.INSPECT)) {
            robot.clickOn("#nav-inspect");
            assertThat(robot.lookup("#placeholder-inspect").tryQuery()).isPresent();
        }
        robot.interact(() -> ctx.session().navigate(ScreenId.RUNS));
        assertThat(window.shown()).isEqualTo(ScreenId.RUNS);
        assertThat(robot.lookup("#nav-runs").queryAs(javafx.scene.control.ToggleButton.class).isSelected()).isTrue();
    }
}
