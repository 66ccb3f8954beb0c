package org.speechwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A long tooltip wraps at a readable width instead of running off the screen as one line. */
@ExtendWith(ApplicationExtension.class)
class ScreensTest {

    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
        stage.setScene(new Scene(new Label("owner"), 300, 100));
        stage.show();
    }

    @Test
    void longTooltipsWrapAtTheMaximumWidthAndOwnSettingsAreKept(FxRobot robot) {
        String text = "A sentence of explanation that is much longer than any tooltip should be wide. ".repeat(6);
        Tooltip[] tips = new Tooltip[2];
        robot.interact(() -> {
            Screens.wrapLongTooltips();
            Screens.wrapLongTooltips();
            tips[0] = new Tooltip(text);
            tips[1] = new Tooltip(text);
            tips[1].setWrapText(true);
            tips[1].setMaxWidth(200);
            tips[0].show(stage);
            tips[1].show(stage);
        });
        assertThat(tips[0].isWrapText()).isTrue();
        assertThat(tips[0].getWidth()).isLessThanOrEqualTo(Screens.TOOLTIP_MAX_WIDTH + 30).isGreaterThan(300);
        assertThat(tips[0].getHeight()).isGreaterThan(40);
        assertThat(tips[1].getMaxWidth()).isEqualTo(200);
        robot.interact(() -> {
            tips[0].hide();
            tips[1].hide();
        });
    }
}
