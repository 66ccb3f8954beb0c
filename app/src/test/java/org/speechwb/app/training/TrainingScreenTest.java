package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
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
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Training screen driving real training runs of the engine's tiny config. */
@ExtendWith(ApplicationExtension.class)
class TrainingScreenTest {

    @TempDir
    Path tmp;
    private ScreenContext ctx;
    private TrainingScreen screen;

    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    /** Monocle's headless screen is 1280×800: the window must fit in it. */
    private void open(FxRobot robot, PretrainConfig cfg) throws Exception {
        ctx = TestContexts.context(tmp, cfg, 24);
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

    private static void waitUntil(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private int points(String key) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> screen.trainingView().chart(key).pointCount(key)).get();
    }

    @Test
    void startPauseResumeStopARealRun(FxRobot robot) throws Exception {
        // long enough that the run is still going whenever the robot clicks; Stop ends it early
        open(robot, ConfigOverrides.apply(TinyFixtures.tiny(), List.of("run.maxUpdates=400"), PretrainConfig.class));
        TrainingViewModel vm = screen.viewModel();
        robot.clickOn("#training-start");
        waitUntil(180, () -> vm.shown().metrics().size() >= 2);
        // every chart receives the points, and draws them
        for (String key : screen.trainingView().charts().keySet()) {
            assertThat(points(key)).as(key).isGreaterThanOrEqualTo(2);
        }
        MetricChart loss = screen.trainingView().chart("loss");
        waitUntil(10, () -> loss.displayedPointCount("loss") >= 2);
        assertThat(screen.trainingView().chanceMarker()).isNotNull();
        assertThat(screen.trainingView().chanceMarker().getValue()).isEqualTo(Math.log(11) / Math.log(2));
        assertThat(robot.lookup("#training-progress-text").queryLabeled().getText()).contains("/ 400");

        robot.clickOn("#training-pause");
        waitUntil(60, () -> vm.shown().stateProperty().get() == RunState.PAUSED);
        int paused = points("loss");
        Thread.sleep(2500);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(points("loss")).as("no new points while paused").isEqualTo(paused);
        assertThat(vm.shown().metrics()).hasSize(paused);

        assertThat(robot.lookup("#training-pause").queryButton().getText()).isEqualTo("Resume");
        robot.clickOn("#training-pause");
        waitUntil(120, () -> vm.shown().metrics().size() > paused);
        assertThat(robot.lookup("#training-pause").queryButton().getText()).isEqualTo("Pause");
        assertThat(vm.shown().stateProperty().get()).isIn(RunState.RUNNING, RunState.FINISHED);

        robot.clickOn("#training-stop");
        waitUntil(120, () -> vm.shown().stateProperty().get() != null && vm.shown().stateProperty().get().terminal());
        RunFolder run = ctx.session().activeRun().run();
        int last = vm.shown().updateProperty().get();
        assertThat(vm.shown().stateProperty().get()).isEqualTo(RunState.STOPPED);
        assertThat(Files.exists(run.checkpointFile(last))).as("checkpoint at the stop update " + last).isTrue();
        waitUntil(10, () -> vm.shown().checkpoints().stream().anyMatch(c -> c.update() == last));
        assertThat(points("loss")).isEqualTo(last);
        assertThat(robot.lookup("#training-stop").queryButton().isDisabled()).isTrue();
        // the stopped run goes on from its checkpoint, with its earlier curve
        {
            waitUntil(30, () -> "Resume run".equals(robot.lookup("#training-start").queryButton().getText())
                    && !robot.lookup("#training-start").queryButton().isDisabled());
            // one way to go on, not "Resume run" beside a disabled "Resume"
            assertThat(robot.lookup(".button").queryAllAs(javafx.scene.control.Button.class).stream()
                    .filter(javafx.scene.Node::isVisible).map(javafx.scene.control.Button::getText)
                    .filter(t -> t != null && t.startsWith("Resume"))).containsExactly("Resume run");
            robot.clickOn("#training-start");
            waitUntil(180, () -> vm.shown().liveProperty().get() && vm.shown().metrics().size() > last + 1);
            assertThat(ctx.session().activeRun().run().dir()).isEqualTo(run.dir());
            for (int i = 0; i < vm.shown().metrics().size(); i++) {
                assertThat(vm.shown().metrics().get(i).update()).isEqualTo(i + 1);
            }
            assertThat(ctx.session().activeRun().startedProperty().get().resumedFrom()).isEqualTo(last);
        }
    }

    @Test
    void engineWarningsStayInTheListWithTheirUpdate(FxRobot robot) throws Exception {
        // crops of at least 2.25 s: the corpus' shorter sentences are dropped, which the engine reports
        PretrainConfig cfg = ConfigOverrides.apply(TinyFixtures.tiny(),
                List.of("data.minSampleSize=36000", "data.maxSampleSize=48000"), PretrainConfig.class);
        open(robot, cfg);
        TrainingViewModel vm = screen.viewModel();
        robot.clickOn("#training-start");
        waitUntil(180, () -> !vm.shown().warnings().isEmpty());
        WarningItem w = vm.shown().warnings().get(0);
        assertThat(w.kind()).isEqualTo(TrainingEvent.Warning.Kind.DATA);
        assertThat(w.message()).contains("shorter than data.minSampleSize");
        assertThat(w.update()).isZero();
        assertThat(robot.lookup("#training-warnings").queryListView().getItems()).contains(w);
        assertThat(robot.lookup("#training-warning-banner").query().isVisible()).isTrue();
        assertThat(robot.lookup("#training-warning-banner-text").queryLabeled().getText())
                .contains("update 0").contains("shorter than data.minSampleSize");
        waitUntil(180, () -> vm.shown().metrics().size() >= 1);
        assertThat(vm.shown().warnings()).contains(w);
    }

    @Test
    void reopeningAFinishedRunShowsItsCurvesFromItsFiles(FxRobot robot) throws Exception {
        RunFolder done = TinyFixtures.trainedRun();
        open(robot, TinyFixtures.tiny());
        robot.interact(() -> ctx.session().selectedRunProperty().set(done));
        TrainingViewModel vm = screen.viewModel();
        waitUntil(30, () -> vm.shown().metrics().size() == 3 && vm.shown().stateProperty().get() == RunState.FINISHED);
        assertThat(points("contrastive")).isEqualTo(3);
        assertThat(vm.shown().liveProperty().get()).isFalse();
        assertThat(robot.lookup("#training-pause").queryButton().isDisabled()).isTrue();
        waitUntil(10, () -> vm.shown().checkpoints().size() == 1);
        assertThat(robot.lookup("#training-progress-text").queryLabeled().getText()).startsWith("update 3 / 3");
    }

    /** A run pre-trained on MFCC cluster targets: no quantizer charts, the chance level of its clusters. */
    @Test
    void aClusterTargetRunShowsItsPredictionLossAgainstLog2OfTheClusters(FxRobot robot) throws Exception {
        open(robot, TinyFixtures.tiny());
        TrainingView view = screen.trainingView();
        org.speechwb.engine.run.RunFolder clusters = TinyFixtures.clusterRun();
        org.speechwb.engine.run.RunFolder plain = TinyFixtures.trainedRun();
        robot.interact(() -> ctx.session().selectedRunProperty().set(clusters));
        waitUntil(60, () -> view.chanceMarker() != null && screen.viewModel().shown().clusterTargetsProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.chanceMarker().getValue()).isCloseTo(3.0, within(1e-9));
        assertThat(view.chanceMarker().getLabel()).contains("log2(clusters)");
        assertThat(view.shownPretrainCharts()).doesNotContain("diversity", "temperature").contains("contrastive", "accuracy");
        assertThat(view.chart("contrastive").titleText()).isEqualTo("Cluster prediction loss");
        // a quantizer run shown next gets its charts back
        robot.interact(() -> ctx.session().selectedRunProperty().set(plain));
        waitUntil(60, () -> view.shownPretrainCharts().contains("diversity"));
        assertThat(view.chart("contrastive").titleText()).isEqualTo("Contrastive loss");
    }
}
