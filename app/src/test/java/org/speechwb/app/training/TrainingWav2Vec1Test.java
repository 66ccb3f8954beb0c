package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.QuantizerSchedule;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.run.RunFolder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Training screen on real wav2vec 1.0 runs of the engine's tiny wav2vec1 config. */
@ExtendWith(ApplicationExtension.class)
class TrainingWav2Vec1Test {

    @TempDir
    Path tmp;
    private ScreenContext ctx;
    private TrainingScreen screen;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    private void open(FxRobot robot, ScreenContext context) {
        ctx = context;
        robot.interact(() -> {
            screen = new TrainingScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen.view(), 1260, 780));
            stage.show();
        });
    }

    @AfterEach
    void stopTraining() throws Exception {
        if (ctx != null && ctx.session().isTraining()) {
            ctx.session().activeRun().requestStop();
            ctx.session().trainerThreadDone().get(120, TimeUnit.SECONDS);
        }
    }

    private int points(String chart, String series) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> screen.trainingView().wav2vec1Chart(chart).pointCount(series)).get();
    }

    @Test
    void aLiveWav2Vec1RunDrawsPerStepAccuracyForEveryK(FxRobot robot) throws Exception {
        PretrainConfig cfg = ConfigOverrides.apply(TinyFixtures.tinyWav2Vec1(), List.of("run.maxUpdates=40"),
                PretrainConfig.class);
        open(robot, TestContexts.context(tmp, cfg, 24));
        TrainingViewModel vm = screen.viewModel();
        robot.clickOn("#training-start");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> points(TrainingView.STEP_ACCURACY, "k=4") >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        TrainingView view = screen.trainingView();
        assertThat(vm.shown().familyProperty().get()).isEqualTo("wav2vec1");
        MetricChart steps = view.wav2vec1Chart(TrainingView.STEP_ACCURACY);
        assertThat(steps.seriesKeys()).containsExactly("k=1", "k=2", "k=3", "k=4");
        // the points are the engine's per-step numbers, update by update
        var first = WaitForAsyncUtils.asyncFx(() -> vm.shown().metrics().get(0)).get();
        assertThat(first.stepAccuracy()).hasSize(4);
        assertThat(view.wav2vec1Chart(TrainingView.STEP_LOSS).seriesKeys()).hasSize(4);
        assertThat(points("w1-accuracy", "w1-accuracy")).isGreaterThanOrEqualTo(2);
        assertThat(points("w1-lr", "w1-lr")).isGreaterThanOrEqualTo(2);
        assertThat(points("w1-gradNorm", "w1-gradNorm")).isGreaterThanOrEqualTo(2);
        // the wav2vec 1.0 grid is on screen, without the charts of a quantizer it does not have
        assertThat(view.getCenter()).isNotNull();
        assertThat(view.shownWav2Vec1Charts()).containsExactly("w1-contrastive", "w1-accuracy",
                TrainingView.STEP_ACCURACY, TrainingView.STEP_LOSS, "w1-lr", "w1-gradNorm");
        assertThat(view.chart("contrastive").pointCount("contrastive")).isZero();
        // binary loss, 10 distractors: all candidates scored alike cost 4.83 bits
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.wav2vec1ChanceMarker() != null);
        assertThat(view.wav2vec1ChanceMarker().getValue()).isCloseTo(4.834, within(1e-3));
        // the redraw pump hands the curves to the renderer (FxThrottle, not a test hook)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> steps.displayedPointCount("k=1") > 0).get());
    }

    @Test
    void aFinishedWav2Vec1RunReopensWithItsCurves(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.wav2vec1Run();
        open(robot, TestContexts.context(run.dir().getParent(), tmp, TinyFixtures.tinyWav2Vec1(), 24, 0));
        robot.interact(() -> ctx.session().selectedRunProperty().set(run));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> points(TrainingView.STEP_ACCURACY, "k=1") == 3);
        WaitForAsyncUtils.waitForFxEvents();
        TrainingViewModel vm = screen.viewModel();
        assertThat(vm.shown().familyProperty().get()).isEqualTo("wav2vec1");
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(screen.trainingView().wav2vec1Chart(TrainingView.STEP_ACCURACY).seriesKeys()).hasSize(4);
        assertThat(vm.shown().checkpoints()).isNotEmpty();
    }

    @Test
    void aLiveGumbelVqWav2VecRunAddsPerplexityQuantizerLossAndTemperature(FxRobot robot) throws Exception {
        // overrides cannot add the quantizer section a Gumbel model needs: built from the records instead
        PretrainConfig t = TinyFixtures.tinyWav2Vec1();
        Wav2Vec1Config w = t.wav2vec1();
        Wav2Vec1Config gumbel = new Wav2Vec1Config(w.convLayers(), w.logCompression(), w.contextLayers(),
                w.contextSkipConnections(), w.residualScale(), w.contextBias(), w.activation(), w.normalization(),
                w.dropout(), w.featureDropout(), w.contextDropout(), w.predictionSteps(), w.offset(), w.objective(),
                Wav2Vec1Config.GUMBEL, 2, 16, 0, 1, false, w.vqGamma());
        PretrainConfig vq = ConfigOverrides.apply(new PretrainConfig(PretrainConfig.VQ_WAV2VEC, null, gumbel, null,
                new QuantizerSchedule(2.0, 0.5, 0.99), t.loss(), t.optimizer(), t.data(), t.run()),
                List.of("run.maxUpdates=40"), PretrainConfig.class);
        open(robot, TestContexts.context(tmp, vq, 24));
        robot.clickOn("#training-start");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> points(TrainingView.PERPLEXITY, "prob") >= 2
                && points("w1-temperature", "w1-temperature") >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        TrainingView view = screen.trainingView();
        assertThat(screen.viewModel().shown().familyProperty().get()).isEqualTo("vq-wav2vec");
        assertThat(view.shownWav2Vec1Charts()).containsExactly("w1-contrastive", "w1-accuracy",
                TrainingView.STEP_ACCURACY, TrainingView.STEP_LOSS, "w1-lr", "w1-gradNorm", TrainingView.PERPLEXITY,
                "w1-quantizer", "w1-temperature");
        assertThat(view.wav2vec1Chart(TrainingView.PERPLEXITY).seriesKeys()).containsExactly("code", "prob");
        // τ = max(2·0.99^u, 0.5): the plotted temperature falls from the start value
        var first = WaitForAsyncUtils.asyncFx(() -> screen.viewModel().shown().metrics().get(0)).get();
        assertThat(first.temperature()).isLessThanOrEqualTo(2.0).isGreaterThan(1.9);
    }

    @Test
    void longHorizonsShowASubsetOfSteps() {
        assertThat(TrainingView.shownSteps(4)).containsExactly(1, 2, 3, 4);
        assertThat(TrainingView.shownSteps(12)).containsExactly(1, 2, 4, 8, 12);
        assertThat(TrainingView.shownSteps(1)).containsExactly(1);
    }
}
