package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.interop.handoff.Unmapped;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Training → Hand off… beside "Start fine-tuning": the fine-tuning choice written for a cluster engine. */
@ExtendWith(ApplicationExtension.class)
class FinetuneHandoffTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @Test
    void theFineTuningChoiceGoesToBothEnginesAndSaysItNeedsAPreTrainedModel(FxRobot robot) throws Exception {
        ScreenContext ctx = TestContexts.context(tmp.resolve("runs"), tmp, TinyFixtures.tiny(), 6, 3);
        TrainingScreen[] screen = new TrainingScreen[1];
        robot.interact(() -> {
            screen[0] = new TrainingScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
        });
        HandoffViewModel vm = screen[0].viewModel().finetuneHandoff();
        assertThat(vm.label(RunHandoff.Target.HF)).contains("run_speech_recognition_ctc.py");
        robot.clickOn("#finetune-handoff");
        WaitForAsyncUtils.waitForFxEvents();
        Path fs = tmp.resolve("fairseq");
        robot.interact(() -> vm.folderProperty().set(fs));
        robot.clickOn("#handoff-export");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.summaryProperty().get().startsWith("Wrote"));
        assertThat(Files.readString(fs.resolve("config/finetune.yaml"))).contains("_name: wav2vec_ctc")
                .contains("w2v_path: ???");
        assertThat(Files.readAllLines(fs.resolve("manifests/train.ltr"))).hasSize(6);
        // from scratch: neither engine has a model to start from, and the hand-off says so
        assertThat(vm.unmapped()).filteredOn(Unmapped::blocker).extracting(Unmapped::knob).contains("pretrained");

        Path hf = tmp.resolve("hf");
        robot.interact(() -> {
            vm.targetProperty().set(RunHandoff.Target.HF);
            vm.folderProperty().set(hf);
        });
        robot.clickOn("#handoff-export");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.summaryProperty().get().startsWith("Wrote")
                && Files.isRegularFile(hf.resolve("args.txt")));
        assertThat(Files.readString(hf.resolve("args.txt"))).contains("--model_name_or_path ???");
        assertThat(Files.readAllLines(hf.resolve("data/train/metadata.csv"))).hasSize(7);
        assertThat(Files.readAllLines(hf.resolve("data/validation/metadata.csv"))).hasSize(4);
        assertThat(vm.unmapped()).filteredOn(Unmapped::blocker).extracting(Unmapped::knob).contains("pretrained");
    }
}
