package org.speechwb.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.interop.handoff.Unmapped;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Experiment → Hand off…: the config being designed and the open dataset, written for a cluster engine. */
@ExtendWith(ApplicationExtension.class)
class HandoffTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private ExperimentScreen screen;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new ExperimentScreen(ctx);
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void theSmallPresetGoesToFairseqCleanlyAndToTransformersWithItsBlockersListed(FxRobot robot) throws Exception {
        HandoffViewModel vm = screen.handoffViewModel();
        assertThat(vm.blocker()).isEqualTo("Open a dataset on the Datasets screen");
        Dataset ds = DatasetLoader.open(TestContexts.home().resolve("datasets/speechocean762-sample"));
        robot.interact(() -> ctx.session().setDataset(ds, ds.summary(), SplitChoice.PREDEFINED_TRAIN, null));
        robot.clickOn("#handoff");
        WaitForAsyncUtils.waitForFxEvents();
        Path fs = tmp.resolve("fairseq");
        robot.interact(() -> vm.folderProperty().set(fs));
        robot.clickOn("#handoff-export");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.summaryProperty().get().startsWith("Wrote"));
        assertThat(Files.readString(fs.resolve("config/pretrain.yaml"))).contains("_name: wav2vec2");
        assertThat(Files.readAllLines(fs.resolve("manifests/train.tsv")).size()).isGreaterThan(100);
        assertThat(vm.unmapped()).noneMatch(Unmapped::blocker);

        Path hf = tmp.resolve("hf");
        @SuppressWarnings("unchecked")
        ChoiceBox<RunHandoff.Target> target = robot.lookup("#handoff-target").queryAs(ChoiceBox.class);
        robot.interact(() -> {
            target.setValue(RunHandoff.Target.HF);
            vm.folderProperty().set(hf);
        });
        robot.clickOn("#handoff-export");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.summaryProperty().get().startsWith("Wrote"));
        assertThat(Files.isRegularFile(hf.resolve("model/config.json"))).isTrue();
        assertThat(robot.lookup("#handoff-summary").queryAs(Label.class).getText())
                .contains("2 of them stop(s) the launch as written");
        TableView<?> table = robot.lookup("#handoff-unmapped").queryAs(TableView.class);
        assertThat(table.getItems()).hasSameSizeAs(vm.unmapped()).isNotEmpty();
        assertThat(vm.unmapped()).filteredOn(Unmapped::blocker).extracting(Unmapped::knob)
                .contains("data.normalize");
    }
}
