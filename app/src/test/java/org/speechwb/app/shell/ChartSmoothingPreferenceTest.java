package org.speechwb.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import javafx.scene.Scene;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.codebook.CodebookScreen;
import org.speechwb.app.runs.RunsScreen;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.app.training.TrainingScreen;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Issue 13, item 19: "Smoothing (all charts)" smooths Codebook and Runs too, and is remembered. */
@ExtendWith(ApplicationExtension.class)
class ChartSmoothingPreferenceTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @Test
    void theTrainingSliderDrivesCodebookAndRunsChartsAndIsSavedAsSet(FxRobot robot) throws Exception {
        ScreenContext ctx = TestContexts.context(tmp, TinyFixtures.tiny(), 4);
        Object[] s = new Object[3];
        robot.interact(() -> {
            s[0] = new TrainingScreen(ctx);
            s[1] = new CodebookScreen(ctx);
            s[2] = new RunsScreen(ctx);
            stage.setScene(new Scene(new HBox(((TrainingScreen) s[0]).view()), 1280, 800));
            stage.show();
        });
        TrainingScreen training = (TrainingScreen) s[0];
        CodebookScreen codebook = (CodebookScreen) s[1];
        RunsScreen runs = (RunsScreen) s[2];
        assertThat(codebook.codebookView().perplexityChart().smoothingProperty().get()).isEqualTo(0.6);

        Slider slider = robot.lookup("#training-smoothing").queryAs(Slider.class);
        robot.interact(() -> slider.setValue(0.85));
        assertThat(codebook.codebookView().perplexityChart().smoothingProperty().get()).isEqualTo(0.85);
        assertThat(runs.overlay().smoothingProperty().get()).isEqualTo(0.85);
        assertThat(training.trainingView().chart("loss").smoothingProperty().get()).isEqualTo(0.85);
        // and back: the Codebook chart's own slider moves the Training charts
        robot.interact(() -> codebook.codebookView().perplexityChart().smoothingProperty().set(0.3));
        assertThat(slider.getValue()).isEqualTo(0.3);

        // saved as set, without closing the window: a crash or a kill keeps it too
        WaitForAsyncUtils.sleep(900, java.util.concurrent.TimeUnit.MILLISECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(AppPreferences.load(ctx.paths().configDir()).values().chartSmoothing).isEqualTo(0.3);
        ctx.tasks().shutdown();
    }
}
