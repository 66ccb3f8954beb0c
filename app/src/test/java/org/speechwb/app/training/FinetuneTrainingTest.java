package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** CTC fine-tuning launched from the Training screen: a real tiny run, its curves, its errors. */
@ExtendWith(ApplicationExtension.class)
class FinetuneTrainingTest {

    @TempDir
    Path tmp;
    private ScreenContext ctx;
    private TrainingScreen screen;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    private void open(FxRobot robot) throws Exception {
        ctx = TestContexts.context(tmp.resolve("runs"), tmp, TinyFixtures.tiny(), 24, 6);
        robot.interact(() -> {
            screen = new TrainingScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen.view(), 1260, 780));
            stage.show();
            screen.onShown();
        });
    }

    @AfterEach
    void stopTraining() throws Exception {
        if (ctx != null && ctx.session().isTraining()) {
            ctx.session().activeRun().requestStop();
            ctx.session().trainerThreadDone().get(120, TimeUnit.SECONDS);
        }
    }

    private static void waitUntil(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private void chooseConfig(FxRobot robot, String config) {
        ComboBox<String> preset = robot.lookup("#finetune-config").queryAs(ComboBox.class);
        robot.interact(() -> preset.setValue(config));
    }

    @Test
    void aTinyFineTuningRunDrawsItsCtcLossAndValidationPoints(FxRobot robot) throws Exception {
        open(robot);
        TrainingViewModel vm = screen.viewModel();
        assertThat(robot.lookup("#finetune-config").queryAs(ComboBox.class).getValue()).isEqualTo("ctc-small-cpu");
        chooseConfig(robot, TinyRuns.TINY_FINETUNE_CONFIG);
        robot.clickOn("#finetune-start");
        waitUntil(240, () -> vm.shown().stateProperty().get() == RunState.FINISHED);
        assertThat(vm.shown().finetuneProperty().get()).isTrue();
        assertThat(vm.shown().finetuneMetrics()).hasSize(12);
        var ctc = screen.trainingView().finetuneChart("ctc");
        waitUntil(10, () -> ctc.displayedPointCount("ctc") >= 2);
        assertThat(ctc.pointCount("ctc")).isEqualTo(12);
        assertThat(ctc.isVisible() && ctc.getScene() != null).as("the fine-tuning charts are showing").isTrue();
        assertThat(screen.trainingView().chart("loss").getScene()).as("pre-training charts are not").isNull();
        // validation every 6 updates: WER and CER points at 6 and 12
        var val = screen.trainingView().finetuneChart(TrainingView.VALIDATION);
        assertThat(vm.shown().validations()).extracting(v -> v.update()).containsExactly(6, 12);
        assertThat(val.pointCount(TrainingView.WER)).isEqualTo(2);
        assertThat(val.pointCount(TrainingView.CER)).isEqualTo(2);
        assertThat(screen.trainingView().freezeMarker().getValue()).isEqualTo(4);
        assertThat(robot.lookup("#training-stage").queryLabeled().getText()).contains("full fine-tuning");
        assertThat(robot.lookup("#training-validation").queryLabeled().getText()).contains("WER").contains("update 12");
        RunFolder run = ctx.session().activeRun().run();
        assertThat(run.isFinetune()).isTrue();
        assertThat(run.dir().getFileName().toString()).contains("ctc-scratch");
        assertThat(Files.isRegularFile(run.bestCheckpointFile())).isTrue();
        // the summary's best is the validation the trainer flagged, whose weights best.ckpt holds
        var kept = vm.shown().validations().stream().filter(v -> v.best()).reduce((a, b) -> b).orElseThrow();
        assertThat(robot.lookup("#training-validation").queryLabeled().getText())
                .contains("best checkpoint: update " + kept.update() + ", WER ");
    }

    @Test
    void aVocabularyThatCannotSpellTheTranscriptsIsRefusedWithTheUtteranceNamed(FxRobot robot) throws Exception {
        Path vocab = tmp.resolve("no-e.txt");
        StringBuilder sb = new StringBuilder("<blank>\n|\n'\n");
        for (char c = 'A'; c <= 'Z'; c++) {
            if (c != 'E') {
                sb.append(c).append('\n');
            }
        }
        Files.writeString(vocab, sb);
        Path cfg = tmp.resolve("no-e.yaml");
        Files.writeString(cfg, Files.readString(TinyRuns.home().resolve(TinyRuns.TINY_FINETUNE_CONFIG))
                .replace("vocabulary: english-letters", "vocabulary: " + vocab));
        open(robot);
        chooseConfig(robot, cfg.toString());
        robot.clickOn("#finetune-start");
        waitUntil(60, () -> !screen.viewModel().errorProperty().get().isEmpty());
        String error = robot.lookup("#training-error").queryLabeled().getText();
        assertThat(error).startsWith("Could not start fine-tuning: utterance ").contains("'E'")
                .contains("cannot spell");
        assertThat(robot.lookup("#training-error").query().isVisible()).isTrue();
        assertThat(ctx.session().activeRun()).isNull();
    }
}
