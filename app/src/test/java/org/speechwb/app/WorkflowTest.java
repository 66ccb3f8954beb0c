package org.speechwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.scene.Scene;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.experiment.ExperimentScreen;
import org.speechwb.app.runs.RunRow;
import org.speechwb.app.runs.RunsScreen;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.MainWindow;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ShutdownCoordinator;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window with the real engine: open the bundled corpus, set up a tiny experiment,
 * train it for real, find the runs on the Runs screen, overlay them, inspect a checkpoint,
 * close the window while training (stop with checkpoint) and resume.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowTest {

    private static final Duration TRAINING = Duration.ofMinutes(4);

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp);
        window = new MainWindow(ctx, Screens.defaultRegistry());
        Scene scene = new Scene(window.root(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private ExperimentScreen experiment() {
        return (ExperimentScreen) window.screen(ScreenId.EXPERIMENT);
    }

    private RunsScreen runs() {
        return (RunsScreen) window.screen(ScreenId.RUNS);
    }

    private void setField(FxRobot robot, String path, String text) {
        var pane = robot.lookup(".titled-pane").queryAllAs(javafx.scene.control.TitledPane.class).stream()
                .toList();
        robot.interact(() -> pane.forEach(p -> {
            p.setAnimated(false);
            p.setExpanded(true);
        }));
        TextField tf = robot.lookup("#field-" + path.replace('.', '-')).queryAs(TextField.class);
        // typing into fields is covered by ExperimentScreenTest; here the text goes in through the same editor
        robot.interact(() -> tf.setText(text));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Trains the tiny config for {@code updates} updates from the Experiment screen and waits for the end. */
    private ActiveRun trainFromExperiment(FxRobot robot, String name, int updates, String maskProb) throws Exception {
        TestContexts.await(Duration.ofSeconds(60), () -> ctx.session().splitsProperty().get() != null);
        robot.clickOn("#nav-experiment");
        robot.interact(() -> {
            try {
                experiment().viewModel().loadNow(TestContexts.tinyConfig());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        setField(robot, "optimizer.warmupUpdates", "1");
        setField(robot, "run.maxUpdates", Integer.toString(updates));
        setField(robot, "masking.maskProb", maskProb);
        robot.interact(() -> experiment().viewModel().runNameProperty().set(name));
        TestContexts.await(Duration.ofSeconds(30), () -> experiment().viewModel().canStartProperty().get(),
                () -> experiment().viewModel().startBlockerProperty().get() + " / "
                        + experiment().viewModel().errorProperty().get() + " / " + experiment().viewModel().fieldErrors());
        assertThat(experiment().viewModel().configProperty().get().run().maxUpdates()).isEqualTo(updates);
        robot.clickOn("#start-training");
        TestContexts.await(Duration.ofSeconds(60), () -> ctx.session().activeRun() != null
                && ctx.session().activeRun().run().id().endsWith(name));
        return ctx.session().activeRun();
    }

    @Test
    @Order(1)
    void trainTwoRunsThenCompareThemAndInspectACheckpoint(FxRobot robot) throws Exception {
        ActiveRun first = trainFromExperiment(robot, "first", 3, "0.65");
        assertThat(window.shown()).isEqualTo(ScreenId.TRAINING);
        assertThat(first.completion().get(TRAINING.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(RunState.FINISHED);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(first.metrics()).extracting(m -> m.update()).containsExactly(1, 2, 3);
        assertThat(first.run().provenance().split()).isEqualTo("train");
        assertThat(first.run().provenance().utterances()).isEqualTo(346);

        ActiveRun second = trainFromExperiment(robot, "second", 4, "0.5");
        assertThat(second.completion().get(TRAINING.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(RunState.FINISHED);
        assertThat(second.run().config().masking().maskProb()).isEqualTo(0.5);

        robot.clickOn("#nav-runs");
        var vm = runs().viewModel();
        TestContexts.await(Duration.ofSeconds(30), () -> vm.runs().size() == 2);
        RunRow newest = vm.runs().get(0);
        assertThat(newest.id()).endsWith("second");
        assertThat(newest.state()).isEqualTo(RunState.FINISHED);
        assertThat(newest.last().update()).isEqualTo(4);
        assertThat(vm.runs().get(1).last().update()).isEqualTo(3);

        robot.interact(() -> vm.runs().forEach(r -> r.compareProperty().set(true)));
        TestContexts.await(Duration.ofSeconds(30), () -> vm.curves().size() == 2);
        robot.interact(() -> runs().overlay().flush());
        // legends name runs as TensorBoard does: the run name, not the dated folder id
        var names = org.speechwb.app.runs.RunsViewModel.legendNames(List.of(newest.id(), vm.runs().get(1).id()));
        assertThat(names.get(newest.id())).isEqualTo("second");
        assertThat(runs().overlay().seriesKeys()).containsExactlyInAnyOrderElementsOf(names.values());
        assertThat(runs().overlay().pointCount("second")).isEqualTo(4);
        assertThat(runs().overlay().pointCount(names.get(vm.runs().get(1).id()))).isEqualTo(3);
        robot.interact(() -> vm.metricProperty().set(org.speechwb.app.runs.RunsViewModel.Metric.ACCURACY));
        assertThat(runs().overlay().seriesKeys()).hasSize(2);
        Path csv = tmp.resolve("overlay.csv");
        robot.interact(() -> {
            try {
                runs().overlay().exportCsv(csv);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Files.readAllLines(csv)).hasSize(1 + 4 + 3);

        robot.clickOn(robot.lookup("#runs-table .table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
        TestContexts.await(Duration.ofSeconds(30), () -> !vm.checkpoints().isEmpty()
                && ctx.tasks().runningProperty().get() == 0);
        assertThat(vm.configTextProperty().get()).contains("maskProb: 0.5");
        assertThat(vm.provenanceTextProperty().get()).contains("datasetFingerprint");
        var cps = robot.lookup("#run-checkpoints").queryAs(javafx.scene.control.TableView.class);
        robot.interact(() -> cps.getSelectionModel().select(0));
        assertThat(robot.lookup("#inspect-checkpoint").queryButton().isDisabled()).isFalse();
        robot.clickOn("#inspect-checkpoint");
        assertThat(window.shown()).isEqualTo(ScreenId.INSPECT);
        assertThat(ctx.session().selectedCheckpointProperty().get()).isEqualTo(vm.checkpoints().get(0).file());
        assertThat(ctx.session().selectedRunProperty().get().id()).isEqualTo(newest.id());
    }

    @Test
    @Order(2)
    void closingWhileTrainingStopsWithACheckpointAndTheRunResumes(FxRobot robot) throws Exception {
        ActiveRun run = trainFromExperiment(robot, "long", 500, "0.65");
        TestContexts.await(TRAINING, () -> run.metrics().size() >= 2);
        AtomicBoolean closed = new AtomicBoolean();
        AtomicBoolean asked = new AtomicBoolean();
        ShutdownCoordinator shutdown = new ShutdownCoordinator(ctx.session(), () -> closed.set(true), r -> {
            asked.set(true);
            return true;
        });
        boolean[] closeNow = new boolean[1];
        robot.interact(() -> closeNow[0] = shutdown.requestClose());
        assertThat(asked).isTrue();
        assertThat(closeNow[0]).isFalse();
        assertThat(run.completion().get(TRAINING.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(RunState.STOPPED);
        TestContexts.await(Duration.ofSeconds(30), closed::get);
        var onDisk = run.run().metrics();
        int stoppedAt = run.run().status().orElseThrow().update();
        assertThat(onDisk).isNotEmpty();
        assertThat(onDisk.get(onDisk.size() - 1).update()).isEqualTo(stoppedAt);
        assertThat(run.run().checkpoints()).anyMatch(p -> p.getFileName().toString().contains(
                String.format("%08d", stoppedAt)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(run.metrics()).hasSize(onDisk.size());

        // a stopped run resumes from the Runs screen, from its checkpoint
        robot.clickOn("#nav-runs");
        var vm = runs().viewModel();
        TestContexts.await(Duration.ofSeconds(30), () -> vm.runs().stream().anyMatch(r -> r.id().endsWith("long")
                && r.state() == RunState.STOPPED));
        RunRow row = vm.runs().stream().filter(r -> r.id().endsWith("long")).findFirst().orElseThrow();
        robot.interact(() -> vm.selectedProperty().set(row));
        robot.clickOn("#resume-run");
        TestContexts.await(Duration.ofSeconds(60), () -> ctx.session().activeRun() != run
                && ctx.session().activeRun() != null && ctx.session().activeRun().startedProperty().get() != null);
        ActiveRun resumed = ctx.session().activeRun();
        TrainingEvent.Started started = resumed.startedProperty().get();
        assertThat(started.resumedFrom()).isEqualTo(stoppedAt);
        assertThat(window.shown()).isEqualTo(ScreenId.TRAINING);
        // history before the resume is part of the active run's metrics
        TestContexts.await(TRAINING, () -> resumed.metrics().size() > stoppedAt);
        assertThat(resumed.metrics().get(0).update()).isEqualTo(1);
        resumed.requestStop();
        assertThat(resumed.completion().get(TRAINING.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(RunState.STOPPED);
    }
}
