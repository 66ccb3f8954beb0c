package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.codebook.CodebookScreen;
import org.speechwb.app.shell.MainWindow;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.app.training.TrainingScreen;
import org.speechwb.app.training.TrainingViewModel;
import org.speechwb.engine.run.FolderLock;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A past run opens as its full dashboard from the Runs screen, and a finished run can be extended there. */
@ExtendWith(ApplicationExtension.class)
class RunsOpenExtendTest {

    private static final Duration LONG = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    private Stage stage;
    private ScreenContext ctx;
    private MainWindow window;
    private Path copy;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @AfterEach
    void stopTraining() throws Exception {
        if (ctx != null && ctx.session().isTraining()) {
            ctx.session().activeRun().requestStop();
            ctx.session().trainerThreadDone().get(120, TimeUnit.SECONDS);
        }
    }

    /** The main window on Runs, listing a private copy of the 3-update fixture run (finished). */
    private void openOnRuns(FxRobot robot) throws Exception {
        RunFolder done = TinyFixtures.trainedRun();
        ctx = TestContexts.create(tmp);
        copy = ctx.paths().runs().resolve(done.dir().getFileName());
        try (var files = Files.walk(done.dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(done.dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        robot.interact(() -> {
            window = new MainWindow(ctx, Screens.defaultRegistry());
            Scene scene = new Scene(window.root(), 1280, 800);
            scene.getStylesheets().add(Screens.stylesheet());
            stage.setScene(scene);
            stage.show();
            ctx.session().navigate(ScreenId.RUNS);
        });
        RunsViewModel runs = ((RunsScreen) window.screen(ScreenId.RUNS)).viewModel();
        TestContexts.await(LONG, () -> runs.runs().size() == 1 && runs.selectedProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private TrainingViewModel training() {
        return ((TrainingScreen) window.screen(ScreenId.TRAINING)).viewModel();
    }

    @Test
    void doubleClickingARunShowsItOnTrainingAndCodebook(FxRobot robot) throws Exception {
        openOnRuns(robot);
        Node row = robot.lookup("#runs-table .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> !r.isEmpty()).findFirst().orElseThrow();
        robot.doubleClickOn(row);
        TestContexts.await(LONG, () -> window.shown() == ScreenId.TRAINING);
        TrainingViewModel vm = training();
        TestContexts.await(LONG, () -> vm.shown().metrics().size() == 3 && vm.shown().stateProperty().get() == RunState.FINISHED);
        assertThat(vm.shown().runTitleProperty().get()).isEqualTo(copy.getFileName().toString());
        assertThat(vm.shown().checkpoints()).isNotEmpty();
        var codebook = ((CodebookScreen) window.screen(ScreenId.CODEBOOK)).viewModel();
        TestContexts.await(LONG, () -> codebook.metrics().size() == 3);
        assertThat(codebook.runTitleProperty().get()).contains(copy.getFileName().toString());

        // the Open button does the same after the user went elsewhere
        robot.interact(() -> ctx.session().navigate(ScreenId.RUNS));
        robot.clickOn("#runs-open");
        TestContexts.await(LONG, () -> window.shown() == ScreenId.TRAINING);
    }

    @Test
    void aFinishedRunIsExtendedToMoreUpdatesFromTheRunsScreen(FxRobot robot) throws Exception {
        openOnRuns(robot);
        RunsViewModel runs = ((RunsScreen) window.screen(ScreenId.RUNS)).viewModel();
        assertThat(runs.extendBlocker(runs.selectedProperty().get(), 3)).contains("3 updates already");
        assertThat(robot.lookup("#runs-extend").queryButton().isDisabled()).isFalse();

        robot.clickOn("#runs-extend");
        WaitForAsyncUtils.waitForFxEvents();
        TextField field = robot.lookup("#extend-updates").queryAs(TextField.class);
        assertThat(field.getText()).isEqualTo("6");
        robot.interact(() -> field.setText("5"));
        Button ok = robot.lookup(".dialog-pane .button").queryAllAs(Button.class).stream()
                .filter(b -> "OK".equals(b.getText())).findFirst().orElseThrow();
        robot.clickOn(ok);

        TestContexts.await(LONG, () -> window.shown() == ScreenId.TRAINING && ctx.session().activeRun() != null);
        assertThat(ctx.session().activeRun().run().dir()).isEqualTo(copy);
        TrainingViewModel vm = training();
        TestContexts.await(LONG, () -> vm.shown().stateProperty().get() == RunState.FINISHED && vm.shown().metrics().size() == 5);
        for (int i = 0; i < 5; i++) {
            assertThat(vm.shown().metrics().get(i).update()).isEqualTo(i + 1);
        }
        assertThat(vm.shown().liveProperty().get()).isTrue();
        assertThat(new RunFolder(copy).status().orElseThrow().update()).isEqualTo(5);
    }

    /**
     * A run another job is training (a command-line run) cannot be resumed or extended here, and a
     * run whose status still says "running" with no training holding it shows as interrupted.
     */
    @Test
    void aRunTrainedElsewhereIsNotResumedAndAnAbandonedOneShowsAsInterrupted(FxRobot robot) throws Exception {
        openOnRuns(robot);
        RunsViewModel runs = ((RunsScreen) window.screen(ScreenId.RUNS)).viewModel();
        RunFolder run = new RunFolder(copy);
        // as a trainer killed with kill -9 leaves it
        run.writeStatus(new RunStatus(RunState.RUNNING, 2, 3, Provenance.now(), "running"));
        robot.interact(() -> runs.refresh(copy.getFileName().toString()));
        TestContexts.await(LONG, () -> runs.selectedProperty().get() != null
                && runs.selectedProperty().get().state() == RunState.RUNNING);
        RunRow abandoned = runs.selectedProperty().get();
        assertThat(abandoned.stateText()).isEqualTo("interrupted");
        assertThat(runs.resumeBlocker(abandoned)).isEmpty();

        try (FolderLock other = FolderLock.acquire(copy, "a training of run " + run.id())) {
            assertThat(run.isTraining()).isTrue();
            assertThat(runs.resumeBlocker(abandoned)).isEqualTo(RunsViewModel.TRAINED_ELSEWHERE);
            assertThat(runs.extendBlocker(abandoned, 6)).isEqualTo(RunsViewModel.TRAINED_ELSEWHERE);
            robot.interact(() -> runs.refresh(copy.getFileName().toString()));
            TestContexts.await(LONG, () -> runs.selectedProperty().get() != null && runs.selectedProperty().get() != abandoned);
            assertThat(runs.selectedProperty().get().stateText()).isEqualTo("running");
        }
        assertThat(run.isTraining()).isFalse();
        assertThat(runs.resumeBlocker(abandoned)).isEmpty();
    }
}
