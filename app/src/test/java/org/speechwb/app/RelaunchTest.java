package org.speechwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.shell.LastRun;
import org.speechwb.app.shell.MainWindow;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.app.training.TrainingScreen;
import org.speechwb.app.training.TrainingViewModel;
import org.speechwb.engine.run.RunFolder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A relaunch opens where the user left off: the last dataset is scanned at once (not when
 * Datasets is first visited) and Training shows the last run, or the newest one.
 */
@ExtendWith(ApplicationExtension.class)
class RelaunchTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private Stage stage;
    private MainWindow window;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    /** What WorkbenchApp does at launch, on the Training screen as the preferences left it. */
    private void launch(FxRobot robot, ScreenContext ctx) {
        robot.interact(() -> {
            ctx.session().navigate(ScreenId.TRAINING);
            window = new MainWindow(ctx, Screens.defaultRegistry());
            LastRun.track(ctx);
            LastRun.restore(ctx);
            Scene scene = new Scene(window.root(), 1280, 800);
            scene.getStylesheets().add(Screens.stylesheet());
            stage.setScene(scene);
            stage.show();
        });
    }

    private TrainingViewModel training() {
        return ((TrainingScreen) window.screen(ScreenId.TRAINING)).viewModel();
    }

    @Test
    void reopensOnTheRememberedRunAndScansTheRememberedDatasetAtOnce(FxRobot robot) throws Exception {
        RunFolder done = TinyFixtures.trainedRun();
        ScreenContext ctx = TestContexts.create(tmp);
        Path realSpeech = TestContexts.home().resolve("datasets/real-speech");
        ctx.preferences().values().lastDataset = realSpeech.toString();
        ctx.preferences().values().lastRun = done.dir().toString();

        launch(robot, ctx);

        assertThat(window.shown()).isEqualTo(ScreenId.TRAINING);
        TestContexts.await(LONG, () -> ctx.session().dataset() != null);
        assertThat(ctx.session().dataset().root()).isEqualTo(realSpeech);
        assertThat(ctx.session().dataset().utterances()).hasSize(12);
        TrainingViewModel vm = training();
        TestContexts.await(LONG, () -> vm.shown().metrics().size() == 3);
        assertThat(vm.shown().runTitleProperty().get()).isEqualTo(done.id());
        assertThat(robot.lookup("#training-progress-text").queryLabeled().getText()).startsWith("update 3 / 3");
    }

    @Test
    void withoutARememberedRunTheNewestIsShownAndAPickedRunIsRemembered(FxRobot robot) throws Exception {
        RunFolder done = TinyFixtures.trainedRun();
        ScreenContext ctx = TestContexts.create(tmp);
        Path copy = ctx.paths().runs().resolve(done.dir().getFileName());
        copyTree(done.dir(), copy);
        ctx.preferences().values().lastRun = tmp.resolve("deleted-run").toString();

        launch(robot, ctx);

        TrainingViewModel vm = training();
        TestContexts.await(LONG, () -> vm.shown().metrics().size() == 3);
        assertThat(vm.shown().runTitleProperty().get()).isEqualTo(copy.getFileName().toString());
        assertThat(ctx.preferences().values().lastRun).isEqualTo(copy.toAbsolutePath().normalize().toString());
        // no remembered dataset: the bundled corpus, scanned although Datasets was never shown
        TestContexts.await(LONG, () -> ctx.session().dataset() != null);
        assertThat(ctx.session().dataset().utterances()).hasSize(547);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
