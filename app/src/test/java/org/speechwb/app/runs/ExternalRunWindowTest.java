package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.ScreenContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Runs → External run…: a fairseq log's curves, following the file as the cluster run writes it. */
@ExtendWith(ApplicationExtension.class)
class ExternalRunWindowTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private RunsScreen screen;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new RunsScreen(ctx);
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private static String line(int update, double loss, double acc) {
        return String.format(java.util.Locale.ROOT, "[2026-12-03 10:00:00,000][train_inner][INFO] - {\"epoch\": 1,"
                + " \"loss\": \"%.3f\", \"loss_0\": \"%.3f\", \"accuracy\": \"%.3f\", \"code_perplexity\": \"40.1\","
                + " \"temp\": \"1.9\", \"lr\": \"5e-05\", \"gnorm\": \"1.2\", \"num_updates\": \"%d\"}%n",
                loss, loss - 0.1, acc, update);
    }

    @Test
    void theCurvesGrowWithTheLogAndClosingStopsFollowing(FxRobot robot) throws Exception {
        Path log = tmp.resolve("hydra_train.log");
        Files.writeString(log, line(100, 6.5, 0.02) + line(200, 6.1, 0.05));
        AtomicReference<ExternalRunWindow> w = new AtomicReference<>();
        robot.interact(() -> w.set(screen.watchExternal(log)));
        TestContexts.await(Duration.ofSeconds(20), () -> w.get().charts().get("Loss").pointCount("run") == 2);
        assertThat(w.get().charts().get("Accuracy").pointCount("run")).isEqualTo(2);
        assertThat(w.get().charts().get("Prob perplexity").getParent()).isNull();   // not logged: not shown

        // the cluster writes more, the last record only half-way
        Files.writeString(log, line(300, 5.8, 0.09) + "[2026-12-03 10:05:00,000][train_inner][INFO] - {\"epoch\": 1,",
                StandardOpenOption.APPEND);
        TestContexts.await(Duration.ofSeconds(20), () -> w.get().charts().get("Loss").pointCount("run") == 3);
        assertThat(robot.lookup("#external-status").queryLabeled().getText())
                .contains("3 training points up to update 300");

        robot.interact(() -> w.get().stage().close());
        Files.writeString(log, line(400, 5.5, 0.12), StandardOpenOption.APPEND);
        Thread.sleep(2 * ExternalRunViewModel.POLL.toMillis() + 500);
        assertThat(w.get().charts().get("Loss").pointCount("run")).isEqualTo(3);
    }
}
