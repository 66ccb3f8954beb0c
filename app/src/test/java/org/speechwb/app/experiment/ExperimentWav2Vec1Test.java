package org.speechwb.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.config.PretrainConfig;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Experiment screen with the wav2vec 1.0 and vq-wav2vec families. */
@ExtendWith(ApplicationExtension.class)
class ExperimentWav2Vec1Test {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private ExperimentScreen screen;
    private ExperimentViewModel vm;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new ExperimentScreen(ctx);
        vm = screen.viewModel();
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stopTraining() throws Exception {
        if (ctx != null && ctx.session().isTraining()) {
            ctx.session().activeRun().requestStop();
            ctx.session().trainerThreadDone().get(120, TimeUnit.SECONDS);
        }
    }

    private void type(FxRobot robot, String fieldId, String text) {
        TextField tf = robot.lookup("#" + fieldId).queryAs(TextField.class);
        robot.interact(() -> tf.requestFocus());
        robot.interact(tf::selectAll);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void showCategory(FxRobot robot, String category) {
        var pane = robot.lookup(".titled-pane").queryAllAs(javafx.scene.control.TitledPane.class).stream()
                .filter(t -> category.equals(t.getText())).findFirst().orElseThrow();
        robot.interact(() -> {
            pane.setAnimated(false);
            pane.setExpanded(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void chooseFamily(FxRobot robot, String label) {
        robot.clickOn("#family");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".list-cell").queryAllAs(javafx.scene.control.ListCell.class).stream()
                .filter(c -> label.equals(c.getText()) && c.isVisible() && c.getScene() != screen.view().getScene())
                .findFirst().orElseThrow(() -> new AssertionError("no list cell " + label)));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void choosingWav2Vec1SwapsPresetsAndKnobsAndValidatesAsYouType(FxRobot robot) {
        assertThat(robot.lookup("#field-wav2vec1-predictionSteps").tryQuery()).isEmpty();
        chooseFamily(robot, "wav2vec 1.0");

        assertThat(vm.familyProperty().get()).isEqualTo("wav2vec1");
        assertThat(vm.presetProperty().get()).isEqualTo("wav2vec1-small-cpu");
        @SuppressWarnings("unchecked")
        ComboBox<String> preset = robot.lookup("#preset").queryAs(ComboBox.class);
        assertThat(preset.getItems()).containsExactly("wav2vec1-small-cpu", "wav2vec1-paper", "wav2vec1-large");
        assertThat(preset.getValue()).isEqualTo("wav2vec1-small-cpu");
        assertThat(vm.configProperty().get().family()).isEqualTo("wav2vec1");
        // wav2vec 1.0's knobs are on the sheet, wav2vec 2.0's and the masking section are not
        showCategory(robot, "Model");
        assertThat(robot.lookup("#field-wav2vec1-predictionSteps").tryQuery()).isPresent();
        assertThat(robot.lookup("#field-wav2vec1-objective").tryQuery()).isPresent();
        assertThat(robot.lookup("#field-wav2vec1-contextLayers").tryQuery()).isPresent();
        assertThat(robot.lookup("#field-wav2vec2-modelDim").tryQuery()).isEmpty();
        assertThat(robot.lookup("#field-masking-maskProb").tryQuery()).isEmpty();
        assertThat(robot.lookup("#field-wav2vec1-vqEntries").tryQuery()).isEmpty();
        Node maskCard = robot.lookup("#mask-waveform").query().getParent();
        assertThat(maskCard.isVisible()).isFalse();

        type(robot, "field-wav2vec1-predictionSteps", "0");
        Label err = robot.lookup("#field-wav2vec1-predictionSteps-error").queryAs(Label.class);
        assertThat(err.isVisible()).isTrue();
        assertThat(err.getText()).contains("predictionSteps must be at least 1");
        assertThat(vm.configProperty().get()).isNull();
        assertThat(robot.lookup("#save-config").queryAs(Button.class).isDisabled()).isTrue();

        type(robot, "field-wav2vec1-predictionSteps", "8");
        assertThat(err.isVisible()).isFalse();
        assertThat(vm.configProperty().get().wav2vec1().predictionSteps()).isEqualTo(8);
        assertThat(ctx.session().configProperty().get().wav2vec1().predictionSteps()).isEqualTo(8);
        assertThat(vm.diff()).extracting(DiffRow::path).containsExactly("wav2vec1.predictionSteps");
        assertThat(robot.lookup("#model-size").queryAs(Label.class).getText()).contains("Predicts K = 8 steps");

        // back to wav2vec 2.0: its knobs return, the edit is dropped with the preset
        chooseFamily(robot, "wav2vec 2.0");
        assertThat(vm.presetProperty().get()).isEqualTo("wav2vec2-small-cpu");
        assertThat(vm.configProperty().get().wav2vec2()).isNotNull();
        assertThat(robot.lookup("#field-wav2vec1-predictionSteps").tryQuery()).isEmpty();
        assertThat(maskCard.isVisible()).isTrue();
    }

    @Test
    void thePaperPresetShowsItsReceptiveFieldAndHop(FxRobot robot) {
        robot.interact(() -> vm.usePreset("wav2vec1-paper"));
        assertThat(vm.familyProperty().get()).isEqualTo("wav2vec1");
        String text = robot.lookup("#model-size").queryAs(Label.class).getText();
        assertThat(text).contains("receptive field 465 samples = 29.1 ms", "hop 160 samples = 10.0 ms",
                "100 frames per second", "Context vector: 19 frames = 209 ms", "Predicts K = 12 steps",
                "binary logistic", String.format(java.util.Locale.ROOT, "%,d parameters", 15_491_072L));
    }

    @Test
    void vqWav2VecShowsQuantizerKnobsAndTheTemperatureSchedule(FxRobot robot) {
        chooseFamily(robot, "vq-wav2vec");
        assertThat(vm.presetProperty().get()).isEqualTo("vq-wav2vec-small-cpu");
        showCategory(robot, "Model");
        assertThat(robot.lookup("#field-wav2vec1-vqEntries").tryQuery()).isPresent();
        assertThat(robot.lookup("#field-wav2vec1-vqDepth").tryQuery()).isPresent();
        showCategory(robot, "Quantizer");
        assertThat(robot.lookup("#field-quantizer-startTemperature").tryQuery()).isPresent();
        assertThat(robot.lookup("#temperature-chart").query().isVisible()).isTrue();
        assertThat(robot.lookup("#model-size").queryAs(Label.class).getText()).contains("G = 2 groups × V = 64");

        robot.interact(() -> vm.usePreset("vq-wav2vec-kmeans"));
        // k-means has no temperature: no schedule section, no chart, no Gumbel depth
        assertThat(robot.lookup("#field-quantizer-startTemperature").tryQuery()).isEmpty();
        assertThat(robot.lookup("#field-wav2vec1-vqDepth").tryQuery()).isEmpty();
        assertThat(robot.lookup("#temperature-chart").query().isVisible()).isFalse();
        assertThat(vm.configProperty().get()).isNotNull();
    }

    @Test
    void aSavedWav2Vec1ConfigLoadsBackWithItsFamily(FxRobot robot) throws Exception {
        robot.interact(() -> vm.usePreset("wav2vec1-paper"));
        showCategory(robot, "Model");
        @SuppressWarnings("unchecked")
        ComboBox<String> objective = robot.lookup("#field-wav2vec1-objective").queryAs(ComboBox.class);
        assertThat(objective.getItems()).containsExactly("binary", "infonce");
        robot.interact(() -> objective.setValue("infonce"));
        PretrainConfig edited = vm.configProperty().get();
        assertThat(edited.wav2vec1().objective()).isEqualTo("infonce");
        Path yaml = tmp.resolve("w2v1-" + System.nanoTime() + ".yaml");
        robot.interact(() -> {
            try {
                vm.save(yaml);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        robot.interact(() -> vm.usePreset("wav2vec2-small-cpu"));
        assertThat(vm.familyProperty().get()).isEqualTo("wav2vec2");
        robot.interact(() -> {
            try {
                vm.loadNow(yaml);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(vm.configProperty().get()).isEqualTo(edited);
        assertThat(vm.familyProperty().get()).isEqualTo("wav2vec1");
        // the diff baseline follows the family: the first wav2vec 1.0 preset
        assertThat(vm.presetProperty().get()).isEqualTo("wav2vec1-small-cpu");
        assertThat(robot.lookup("#field-wav2vec1-predictionSteps").tryQuery()).isPresent();
    }

    @Test
    void theFamilyPresetAndEditsComeBackInTheNextSession(FxRobot robot) {
        robot.interact(() -> {
            vm.usePreset("wav2vec1-paper");
            vm.edit("wav2vec1.predictionSteps", "8");
        });
        ExperimentViewModel[] next = new ExperimentViewModel[1];
        robot.interact(() -> next[0] = new ExperimentViewModel(ctx));
        assertThat(next[0].familyProperty().get()).isEqualTo("wav2vec1");
        assertThat(next[0].presetProperty().get()).isEqualTo("wav2vec1-paper");
        assertThat(next[0].presetNames()).containsExactly("wav2vec1-small-cpu", "wav2vec1-paper", "wav2vec1-large");
        assertThat(next[0].configProperty().get().wav2vec1().predictionSteps()).isEqualTo(8);
        assertThat(next[0].visibleFields()).extracting(ConfigField::path).contains("wav2vec1.predictionSteps")
                .doesNotContain("masking.maskProb", "wav2vec2.modelDim", "loss.penaltyWeight", "loss.levelPool",
                        "loss.mfccClusters", "loss.mfccCmvn", "data.gainJitterDb");
    }

    @Test
    void startLaunchesARealWav2Vec1Run(FxRobot robot) throws Exception {
        TestContexts.loadBundled(ctx);
        Path tiny = TestContexts.home().resolve("engine/src/test/resources/tiny-wav2vec1.yaml");
        robot.interact(() -> {
            try {
                vm.loadNow(tiny);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(vm.familyProperty().get()).isEqualTo("wav2vec1");
        TestContexts.await(LONG, () -> vm.canStartProperty().get(), () -> vm.startBlockerProperty().get());
        robot.clickOn("#start-training");
        TestContexts.await(LONG, () -> ctx.session().activeRun() != null
                && !ctx.session().activeRun().metrics().isEmpty());
        var m = WaitForAsyncUtils.asyncFx(() -> ctx.session().activeRun().metrics().get(0)).get();
        assertThat(m.stepAccuracy()).hasSize(4);
        assertThat(ctx.session().activeRun().run().config().family()).isEqualTo("wav2vec1");
    }
}
