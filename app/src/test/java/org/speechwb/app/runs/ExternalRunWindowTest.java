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
import org.speechwb.engine.interop.logs.ExternalRunHealth;
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

    @Test
    void aRunStuckAtChanceWithACollapsedCodebookIsFlaggedFromItsOwnConfig(FxRobot robot) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("stuck"));
        StringBuilder log = new StringBuilder("[2026-12-03 09:59:00,000][fairseq_cli.train][INFO] - {'_name': None,"
                + " 'model': {'_name': 'wav2vec2', 'latent_vars': 320, 'latent_groups': 2, 'num_negatives': 100},"
                + " 'lr_scheduler': {'_name': 'polynomial_decay', 'warmup_updates': 500}}\n");
        for (int u = 100; u <= 1500; u += 100) {
            // log2(101) = 6.66 bits is chance for 100 distractors; the helper logs loss_0 = loss - 0.1
            log.append(line(u, 6.76, 0.005).replace("\"40.1\"", "\"3.0\""));
        }
        Files.writeString(dir.resolve("hydra_train.log"), log);
        AtomicReference<ExternalRunWindow> w = new AtomicReference<>();
        robot.interact(() -> w.set(screen.watchExternal(dir.resolve("hydra_train.log"))));
        TestContexts.await(Duration.ofSeconds(20), () -> w.get().chanceMarker() != null);
        String text = robot.lookup("#external-health").queryLabeled().getText();
        assertThat(text).contains("still at chance level").contains("codebook collapse").contains("K = 100");
        assertThat(robot.lookup("#external-health").queryLabeled().getStyleClass()).contains("warning-text");
        assertThat(w.get().chanceMarker().getValue()).isCloseTo(Math.log(101) / Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
        robot.interact(() -> w.get().stage().close());
    }

    @Test
    void withoutAConfigTheWindowSaysWhatItNeeds(FxRobot robot) throws Exception {
        // deep enough that the search (the folder and two above it) stays inside the test's folder
        Path dir = Files.createDirectories(tmp.resolve("bare/run/logs"));
        Files.writeString(dir.resolve("train.log"), line(100, 6.5, 0.02));
        AtomicReference<ExternalRunWindow> w = new AtomicReference<>();
        robot.interact(() -> w.set(screen.watchExternal(dir.resolve("train.log"))));
        TestContexts.await(Duration.ofSeconds(20), () -> !robot.lookup("#external-health").queryLabeled().getText().isEmpty());
        assertThat(robot.lookup("#external-health").queryLabeled().getText()).isEqualTo(ExternalRunHealth.NO_CONFIG);
        assertThat(w.get().chanceMarker()).isNull();
        robot.interact(() -> w.get().stage().close());
    }
}
