package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.codebook.CodebookScreen;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.training.TrainingScreen;
import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Runs → External run…: a fairseq run's curves on the Training and Codebook screens, following
 * the log as the cluster run writes it, with the health checks of our own runs.
 */
@ExtendWith(ApplicationExtension.class)
class ExternalRunScreensTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private RunsScreen runs;
    private TrainingScreen training;
    private CodebookScreen codebook;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        runs = new RunsScreen(ctx);
        training = new TrainingScreen(ctx);
        codebook = new CodebookScreen(ctx);
        Scene scene = new Scene((javafx.scene.Parent) training.view(), 1260, 780);
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

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private int trainingPoints(String key) throws Exception {
        return fx(() -> training.trainingView().chart(key).pointCount(key));
    }

    @Test
    void theCurvesGrowWithTheLogOnTrainingAndCodebook(FxRobot robot) throws Exception {
        Path log = tmp.resolve("hydra_train.log");
        Files.writeString(log, line(100, 6.5, 0.02) + line(200, 6.1, 0.05));
        AtomicReference<ExternalRun> ext = new AtomicReference<>();
        robot.interact(() -> ext.set(runs.watchExternal(log)));
        assertThat(ctx.session().screenProperty().get()).isEqualTo(ScreenId.TRAINING);
        TestContexts.await(Duration.ofSeconds(20), () -> training.viewModel().shown().metrics().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(trainingPoints("loss")).isEqualTo(2);
        assertThat(trainingPoints("accuracy")).isEqualTo(2);
        assertThat(robot.lookup("#training-run").queryLabeled().getText()).contains("external: ").contains("hydra_train.log");
        assertThat(codebook.viewModel().metrics()).hasSize(2);
        assertThat(codebook.viewModel().metrics().get(1).codePerplexity()).isEqualTo(40.1);

        // the cluster writes more, the last record only half-way
        Files.writeString(log, line(300, 5.8, 0.09) + "[2026-12-03 10:05:00,000][train_inner][INFO] - {\"epoch\": 1,",
                StandardOpenOption.APPEND);
        TestContexts.await(Duration.ofSeconds(20), () -> training.viewModel().shown().metrics().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(trainingPoints("loss")).isEqualTo(3);
        assertThat(codebook.viewModel().metrics()).hasSize(3);
        assertThat(robot.lookup("#training-message").queryLabeled().getText())
                .contains("3 training points up to update 300");
        // read-only: nothing to pause or stop
        assertThat(training.viewModel().canPauseProperty().get()).isFalse();
        assertThat(training.viewModel().canStopProperty().get()).isFalse();

        // another external run replaces it, and the first is no longer followed
        Path other = Files.createDirectories(tmp.resolve("other")).resolve("train.log");
        Files.writeString(other, line(50, 7.0, 0.01));
        robot.interact(() -> runs.watchExternal(other));
        TestContexts.await(Duration.ofSeconds(20), () -> training.viewModel().shown().metrics().size() == 1);
        Files.writeString(log, line(400, 5.5, 0.12), StandardOpenOption.APPEND);
        Thread.sleep(2 * ExternalRun.POLL.toMillis() + 500);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ext.get().metrics()).hasSize(3);
        assertThat(training.viewModel().shown().metrics()).hasSize(1);
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
        robot.interact(() -> runs.watchExternal(dir.resolve("hydra_train.log")));
        TestContexts.await(Duration.ofSeconds(20), () -> !training.viewModel().shown().warnings().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        String warning = training.viewModel().shown().warnings().get(0).message();
        assertThat(warning).contains("still at chance level").contains("codebook collapse").contains("K = 100");
        assertThat(robot.lookup("#training-health").queryLabeled().getText()).contains("Still at chance level");
        assertThat(fx(() -> training.trainingView().chanceMarker().getValue()))
                .isCloseTo(Math.log(101) / Math.log(2), Offset.offset(1e-9));
        assertThat(codebook.viewModel().maxPerplexityProperty().get()).isEqualTo(640);
        assertThat(codebook.viewModel().summaryProperty().get()).contains("2 groups × 320 entries");
    }

    @Test
    void withoutAConfigTheScreensSayWhatTheyNeed(FxRobot robot) throws Exception {
        // deep enough that the search (the folder and two above it) stays inside the test's folder
        Path dir = Files.createDirectories(tmp.resolve("bare/run/logs"));
        Files.writeString(dir.resolve("train.log"), line(100, 6.5, 0.02));
        AtomicReference<ExternalRun> ext = new AtomicReference<>();
        robot.interact(() -> ext.set(runs.watchExternal(dir.resolve("train.log"))));
        TestContexts.await(Duration.ofSeconds(20), () -> training.viewModel().shown().metrics().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(ext.get().healthProperty().get().text()).isEqualTo(ExternalRunHealth.NO_CONFIG);
        assertThat(fx(() -> training.trainingView().chanceMarker())).isNull();
        assertThat(training.viewModel().shown().warnings()).isEmpty();
        assertThat(codebook.viewModel().summaryProperty().get()).contains("no config found");
    }

    @Test
    void aFineTuningLogShowsItsCtcLossAndValidationWer(FxRobot robot) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ft/run/logs"));
        String train = "[2026-12-03 10:00:00,000][train_inner][INFO] - {\"epoch\": 1, \"loss\": \"%s\","
                + " \"lr\": \"3e-05\", \"gnorm\": \"80.1\", \"num_updates\": \"%d\"}%n";
        String valid = "[2026-12-03 10:00:00,000][valid][INFO] - {\"epoch\": 1, \"valid_loss\": \"300.5\","
                + " \"valid_wer\": \"%s\", \"valid_num_updates\": \"%d\"}%n";
        Files.writeString(dir.resolve("hydra_train.log"), String.format(java.util.Locale.ROOT, train, "420.5", 100)
                + String.format(java.util.Locale.ROOT, train, "310.2", 200)
                + String.format(java.util.Locale.ROOT, valid, "97.5", 200));
        robot.interact(() -> runs.watchExternal(dir.resolve("hydra_train.log")));
        TestContexts.await(Duration.ofSeconds(20), () -> training.viewModel().shown().finetuneMetrics().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(training.viewModel().shown().finetuneProperty().get()).isTrue();
        assertThat(training.viewModel().shown().metrics()).isEmpty();
        assertThat(training.viewModel().shown().finetuneMetrics().get(1).loss()).isEqualTo(310.2);
        assertThat(training.viewModel().shown().validations()).hasSize(1);
        assertThat(training.viewModel().shown().validationSummaryProperty().get()).contains("WER 97.5 %").doesNotContain("CER");
        // no run length from the log: the progress line says where it is, not a share of another run's length
        assertThat(training.viewModel().shown().progressTextProperty().get()).startsWith("update 200").doesNotContain("/");
    }
}
