package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import javafx.scene.Scene;
import javafx.scene.control.MenuButton;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.ScreenContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Runs → Import checkpoint…: a Hugging Face folder becomes a listed, selected run; a bad one is refused cleanly. */
@ExtendWith(ApplicationExtension.class)
class RunsImportTest {

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private RunsScreen screen;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new RunsScreen(ctx);
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aHuggingFaceFolderBecomesASelectedImportedRunAndABadOneLeavesNothing(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#runs-import").queryAs(MenuButton.class).getItems()).hasSize(2);
        ImportCheckpointViewModel vm = screen.importViewModel();
        Path fixture = TestContexts.home().resolve("engine/src/test/resources/interop/base-ctc");
        robot.interact(() -> vm.importCheckpoint(fixture));
        TestContexts.await(Duration.ofSeconds(60), () -> !vm.busyProperty().get()
                && screen.viewModel().selectedProperty().get() != null
                && screen.viewModel().selectedProperty().get().id().endsWith("-base-ctc-imported"));
        assertThat(vm.progressProperty().get()).startsWith("Imported base-ctc (hf-safetensors,");
        assertThat(screen.viewModel().selectedProperty().get().kind()).isEqualTo("fine-tune");
        assertThat(Files.isRegularFile(screen.viewModel().selectedProperty().get().run().dir().resolve("import.json")))
                .isTrue();

        // a truncated weights file: a message naming it, and no run folder left behind
        Path bad = Files.createDirectories(tmp.resolve("not-a-model"));
        Files.copy(fixture.resolve("config.json"), bad.resolve("config.json"));
        Files.copy(fixture.resolve("vocab.json"), bad.resolve("vocab.json"));
        byte[] weights = Files.readAllBytes(fixture.resolve("model.safetensors"));
        Files.write(bad.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        robot.interact(() -> vm.importCheckpoint(bad));
        TestContexts.await(Duration.ofSeconds(60), () -> vm.progressProperty().get().startsWith("Import failed"));
        assertThat(vm.progressProperty().get()).contains("model.safetensors");
        try (Stream<Path> s = Files.list(ctx.paths().runs())) {
            assertThat(s.filter(p -> p.getFileName().toString().contains("not-a-model")).toList()).isEmpty();
        }
    }
}
