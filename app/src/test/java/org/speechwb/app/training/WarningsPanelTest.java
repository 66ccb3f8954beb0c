package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.UpdateMetrics;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The warnings panel with no warning listed says where the run stands, judged against the run's
 * own config: nothing before the first update, "not yet" during the small preset's documented
 * chance-level plateau, "below chance" only when the loss is.
 */
@ExtendWith(ApplicationExtension.class)
class WarningsPanelTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    /** A run of the stock small preset whose metrics.jsonl holds {@code updates} updates at {@code bits}. */
    private RunFolder smallPresetRun(int updates, double bits, double accuracy) throws Exception {
        RunFolder run = new RunStore(tmp.resolve("runs")).create("small", Presets.pretrain("wav2vec2-small-cpu"), null);
        try (MetricsLog<UpdateMetrics> log = new MetricsLog<>(run.metricsFile(), UpdateMetrics.class)) {
            for (int u = 1; u <= updates; u++) {
                log.append(new UpdateMetrics(u, 0, bits, bits, 0, 0, accuracy, 100, 100, 1, 1e-4, 1, 0.5, 10, 1000,
                        0.5, u * 0.5, false, 4, 2));
            }
        }
        run.writeStatus(new RunStatus(RunState.STOPPED, updates, 600, "2026-01-01T00:00:00Z", "stopped"));
        return run;
    }

    private String panelText(FxRobot robot, ScreenContext ctx, RunFolder run, int updates) throws Exception {
        robot.interact(() -> ctx.session().selectedRunProperty().set(run));
        TrainingViewModel vm = screen.viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.shown().metrics().size() == updates
                && vm.shown().chanceLevelProperty().get() > 0 && vm.shown().stateProperty().get() == RunState.STOPPED);
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#training-health").queryAs(Label.class).getText();
    }

    private TrainingScreen screen;

    @Test
    void saysNothingConclusiveBeforeTheFirstUpdateAndNotYetDuringThePlateau(FxRobot robot) throws Exception {
        ScreenContext ctx = TestContexts.context(tmp, TinyFixtures.tiny(), 4);
        robot.interact(() -> {
            screen = new TrainingScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen.view(), 1260, 780));
            stage.show();
        });
        assertThat(robot.lookup("#training-health").queryAs(Label.class).getText())
                .isEqualTo(HealthSummary.NO_UPDATES);

        assertThat(panelText(robot, ctx, smallPresetRun(0, 0, 0), 0)).isEqualTo(HealthSummary.NO_UPDATES);

        // update 200 of the small preset, at chance (log2 21 = 4.39 bits): expected, and said so
        String plateau = panelText(robot, ctx, smallPresetRun(200, 4.39, 1.0 / 21), 200);
        assertThat(plateau).startsWith("Not learning yet").contains("at update 200").contains("until update 400")
                .doesNotContain("below chance");
        assertThat(screen.viewModel().shown().warnings()).isEmpty();

        String past = panelText(robot, ctx, smallPresetRun(450, 4.39, 1.0 / 21), 450);
        assertThat(past).startsWith("Still at chance level").doesNotContain("below chance");

        String learning = panelText(robot, ctx, smallPresetRun(450, 4.0, 0.2), 450);
        assertThat(learning).startsWith("No warnings: loss below chance").contains("codebook in use");
    }
}
