package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.shell.FinetuneHistory;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.ValidationResult;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Runs screen lists a real fine-tuning run beside its pre-training run, with kind and WER. */
@ExtendWith(ApplicationExtension.class)
class RunsFinetuneTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @Test
    void aFineTuningRunListsWithItsKindLossAndBestWerAndOverlaysItsWerCurve(FxRobot robot) throws Exception {
        RunFolder ft = TinyFixtures.finetunedRun();
        ScreenContext ctx = TestContexts.context(ft.dir().getParent(), tmp, TinyFixtures.tiny(), 24, 0);
        RunsScreen[] screen = new RunsScreen[1];
        robot.interact(() -> {
            screen[0] = new RunsScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
            screen[0].onShown();
        });
        RunsViewModel vm = screen[0].viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.runs().size() >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        RunRow row = vm.runs().stream().filter(r -> r.id().equals(ft.id())).findFirst().orElseThrow();
        ValidationResult best = FinetuneHistory.read(ft).best();
        assertThat(row.isFinetune()).isTrue();
        assertThat(row.bestValidation()).isEqualTo(best);
        assertThat(row.configSummary()).startsWith("CTC english-letters")
                .endsWith("from " + TinyFixtures.trainedRun().id() + "@3");
        String preId = TinyFixtures.trainedRun().id();
        RunRow pre = vm.runs().stream().filter(r -> r.id().equals(preId)).findFirst()
                .orElseThrow();
        assertThat(pre.kind()).isEqualTo("pre-train");

        // what the table shows in the fine-tuning run's row
        Set<TableRow> rows = robot.lookup("#runs-table .table-row-cell").queryAllAs(TableRow.class);
        TableRow<?> shown = rows.stream().filter(r -> r.getItem() == row).findFirst().orElseThrow();
        var cells = robot.from(shown).lookup(".table-cell").queryAllAs(javafx.scene.control.Labeled.class);
        var texts = cells.stream().map(javafx.scene.control.Labeled::getText).toList();
        assertThat(texts).contains("fine-tune", "finished",
                String.format(Locale.ROOT, "%.1f%%", 100 * best.wer()),
                String.format(Locale.ROOT, "%.1f%%", 100 * best.cer()));
        assertThat(texts).anyMatch(t -> t != null && t.endsWith(" CTC"));

        // overlay its WER curve: select the row, tick it, pick the metric
        robot.interact(() -> {
            vm.selectedProperty().set(row);
            row.compareProperty().set(true);
            vm.metricProperty().set(RunsViewModel.Metric.WER);
        });
        String ftName = RunsViewModel.legendNames(List.of(ft.id(), pre.id())).get(ft.id());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> screen[0].overlay().pointCount(ftName) == 2);
        // the pre-training run has no WER: it is left out of the overlay, not drawn empty
        assertThat(screen[0].overlay().seriesKeys()).containsExactly(ftName);
        assertThat(vm.resumeBlocker(row)).startsWith("Finished");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.checkpoints().stream()
                .anyMatch(c -> c.file().getFileName().toString().equals("best.ckpt")));
    }
}
