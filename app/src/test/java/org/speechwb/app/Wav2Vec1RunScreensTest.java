package org.speechwb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.codebook.CodebookScreen;
import org.speechwb.app.codebook.CodebookViewModel;
import org.speechwb.app.inspect.InspectView;
import org.speechwb.app.inspect.InspectViewModel;
import org.speechwb.app.runs.RunRow;
import org.speechwb.app.runs.RunsScreen;
import org.speechwb.app.runs.RunsViewModel;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.RunFolder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Runs, Codebook and Inspect on real wav2vec 1.0 and vq-wav2vec runs: listed, explained, never thrown at. */
@ExtendWith(ApplicationExtension.class)
class Wav2Vec1RunScreensTest {

    @TempDir
    Path tmp;
    private Stage stage;
    private ScreenContext ctx;
    private ExecutorService worker;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @AfterEach
    void stop() throws Exception {
        if (ctx != null && ctx.session().isTraining()) {
            ctx.session().activeRun().requestStop();
            ctx.session().trainerThreadDone().get(120, TimeUnit.SECONDS);
        }
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    @Test
    void runsListsAWav2Vec1RunWithItsFamilyAndShape(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.wav2vec1Run();
        ctx = TestContexts.context(run.dir().getParent(), tmp, TinyFixtures.tinyWav2Vec1(), 24, 0);
        RunsScreen[] screen = new RunsScreen[1];
        robot.interact(() -> {
            screen[0] = new RunsScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
            screen[0].onShown();
        });
        RunsViewModel vm = screen[0].viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.runs().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        RunRow row = vm.runs().stream().filter(r -> r.id().equals(run.id())).findFirst().orElseThrow();
        assertThat(row.family()).isEqualTo("wav2vec 1.0");
        // tiny-wav2vec1.yaml: 5 encoder layers of 16, 2 context layers of 16 (kernel 3: 5 frames = 69 ms), K = 4
        assertThat(row.configSummary()).isEqualTo("enc 5×16, ctx 2×16 (69 ms), K=4 binary, lr 2.0e-03, 20 upd");
        TableRow<?> shown = robot.lookup("#runs-table .table-row-cell").queryAllAs(TableRow.class).stream()
                .filter(r -> r.getItem() == row).findFirst().orElseThrow();
        var texts = robot.from(shown).lookup(".table-cell").queryAllAs(javafx.scene.control.Labeled.class).stream()
                .map(javafx.scene.control.Labeled::getText).toList();
        assertThat(texts).contains("pre-train", "wav2vec 1.0", "finished", row.configSummary());
        robot.interact(() -> vm.selectedProperty().set(row));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.checkpoints().isEmpty());
    }

    @Test
    void codebookSaysPlainWav2Vec1HasNoQuantizer(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.wav2vec1Run();
        ctx = TestContexts.context(run.dir().getParent(), tmp, TinyFixtures.tinyWav2Vec1(), 24, 0);
        CodebookScreen[] screen = new CodebookScreen[1];
        robot.interact(() -> {
            screen[0] = new CodebookScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
            ctx.session().selectedRunProperty().set(run);
        });
        CodebookViewModel vm = screen[0].viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.summaryProperty().get().isEmpty()
                || !vm.errorProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(robot.lookup("#codebook-summary").queryAs(Label.class).getText())
                .startsWith("This run has no quantizer");
        assertThat(vm.usageProperty().get()).isNull();
        assertThat(vm.metrics()).isEmpty();
    }

    @Test
    void codebookShowsTheCodeUsageOfALiveVqWav2VecRun(FxRobot robot) throws Exception {
        // the tiny wav2vec 1.0 with a k-means quantizer of 2 groups × 16 entries (loss weight 1, as the recipe)
        PretrainConfig vq = ConfigOverrides.apply(TinyFixtures.tinyWav2Vec1(), List.of("family=vq-wav2vec",
                "wav2vec1.quantizer=kmeans", "wav2vec1.vqEntries=16", "loss.diversityWeight=1.0"), PretrainConfig.class);
        ctx = TestContexts.context(tmp, vq, 24);
        CodebookScreen[] screen = new CodebookScreen[1];
        robot.interact(() -> {
            screen[0] = new CodebookScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
        });
        CodebookViewModel vm = screen[0].viewModel();
        RunFolder run = TinyRuns.newRun(tmp.resolve("runs"), "vq", vq, TinyFixtures.corpus(), 24);
        robot.interact(() -> ctx.session().startTraining(run, ctx.session().trainingUtterances(), 12));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.usageProperty().get() != null
                && !vm.usageProperty().get().isEmpty() && vm.metrics().size() >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.usageProperty().get().groups()).isEqualTo(2);
        assertThat(vm.usageProperty().get().entries()).isEqualTo(16);
        assertThat(vm.maxPerplexityProperty().get()).isEqualTo(32);
        assertThat(vm.summaryProperty().get()).startsWith("2 groups × 16 entries");
    }

    @Test
    void inspectExplainsThatAWav2Vec1CheckpointHasNoMasksToShow(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.wav2vec1Run();
        worker = Executors.newSingleThreadExecutor();
        InspectViewModel vm = new InspectViewModel(worker);
        Path ckpt = run.checkpoints().get(0);
        robot.interact(() -> {
            InspectView view = new InspectView(vm);
            try {
                vm.utterances().setAll(TinyFixtures.train(4));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            stage.setScene(new Scene(view, 1200, 720));
            stage.show();
            vm.selectCheckpoint(ckpt, run.id());
            vm.utteranceProperty().set(vm.utterances().get(0));
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.statusProperty().get().contains("wav2vec 1.0")
                || !vm.errorProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.statusProperty().get()).startsWith("This is a wav2vec 1.0 checkpoint (update 3)")
                .contains("for wav2vec 2.0 checkpoints");
        assertThat(vm.inspectionProperty().get()).isNull();
    }
}
