package org.speechwb.app.codebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Codebook screen fed by a real tiny training run, live and then reopened from its files. */
@ExtendWith(ApplicationExtension.class)
class CodebookScreenTest {

    @TempDir
    Path tmp;
    private Stage stage;
    private ScreenContext ctx;

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

    /** A run pre-trained on MFCC cluster targets has no codebook: the screen says so instead of drawing one. */
    @Test
    void aClusterTargetRunIsExplainedNotDrawn(FxRobot robot) throws Exception {
        ctx = TestContexts.context(tmp, TinyFixtures.tiny(), 24);
        RunFolder run = TinyFixtures.clusterRun();
        CodebookScreen[] holder = new CodebookScreen[1];
        robot.interact(() -> {
            holder[0] = new CodebookScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) holder[0].view(), 1260, 780));
            stage.show();
            ctx.session().selectedRunProperty().set(run);
        });
        CodebookViewModel vm = holder[0].viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.summaryProperty().get().isEmpty()
                || !vm.errorProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.summaryProperty().get()).startsWith("This run has no quantizer: it predicts the MFCC cluster (of 8)");
        assertThat(vm.usageProperty().get()).isNull();
        assertThat(vm.metrics()).isEmpty();
        // no empty perplexity chart or "code usage appears here" hint under the explanation
        assertThat(vm.hasCodebookProperty().get()).isFalse();
        assertThat(robot.lookup("#codebook-perplexity").query().isVisible()).isFalse();
        assertThat(robot.lookup("#codebook-usage-controls").query().isVisible()).isFalse();
        assertThat(robot.lookup(".label").queryAllAs(javafx.scene.control.Label.class))
                .noneMatch(l -> l.isVisible() && l.getParent().isVisible() && l.getText().startsWith("Code usage appears"));
    }

    @Test
    void histogramHeatmapAndPerplexityReceiveLiveCodeUsageAndReopenFromFiles(FxRobot robot) throws Exception {
        ctx = TestContexts.context(tmp, TinyFixtures.tiny(), 24);
        CodebookScreen[] holder = new CodebookScreen[1];
        robot.interact(() -> {
            holder[0] = new CodebookScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) holder[0].view(), 1260, 780));
            stage.show();
        });
        CodebookScreen screen = holder[0];
        CodebookViewModel vm = screen.viewModel();
        RunFolder run = TinyRuns.newRun(tmp.resolve("runs"), "codebook", TinyFixtures.tiny(), TinyFixtures.corpus(), 24);
        ActiveRun[] active = new ActiveRun[1];
        robot.interact(() -> active[0] = ctx.session().startTraining(run, ctx.session().trainingUtterances(), 12));

        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> vm.usageProperty().get() != null
                && !vm.usageProperty().get().isEmpty() && vm.metrics().size() >= 3);
        WaitForAsyncUtils.waitForFxEvents();
        CodebookView view = screen.codebookView();
        robot.interact(view::redrawUsage);
        CodebookUsageModel usage = vm.usageProperty().get();
        assertThat(usage.groups()).isEqualTo(2);
        assertThat(usage.entries()).isEqualTo(16);
        assertThat(view.histograms()).hasSize(2);
        assertThat(robot.lookup("#codebook-usage-controls").query().isVisible()).isTrue();
        for (int g = 0; g < 2; g++) {
            double[] bars = view.histograms().get(g).bars();
            assertThat(bars).hasSize(16);
            assertThat(Arrays.stream(bars).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            for (int i = 1; i < bars.length; i++) {
                assertThat(bars[i]).isLessThanOrEqualTo(bars[i - 1]);
            }
            assertThat(view.histograms().get(g).title()).contains("entries ever used");
            assertThat(view.heatmaps().get(g).drawnColumns()).isGreaterThanOrEqualTo(1);
        }
        assertThat(view.maxLine()).isEqualTo(32);
        assertThat(WaitForAsyncUtils.asyncFx(() -> view.perplexityChart().pointCount(CodebookView.MAX)).get())
                .isEqualTo(2);
        int perplexityPoints = WaitForAsyncUtils.asyncFx(() -> view.perplexityChart().pointCount(CodebookView.CODE)).get();
        assertThat(perplexityPoints).isGreaterThanOrEqualTo(3);

        active[0].completion().get(180, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(active[0].state()).isEqualTo(RunState.FINISHED);
        // live: one closed window (updates 1-10) and the open one (11-12)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.usageProperty().get().columns() == 2);
        assertThat(vm.usageProperty().get().columnEnd(0)).isEqualTo(10);
        assertThat(vm.usageProperty().get().columnEnd(1)).isEqualTo(12);
        long[] liveWindow = vm.usageProperty().get().column(0, 0).clone();

        // reopened from codebook.jsonl in a new window: the closed window, with the same counts as seen live
        ScreenContext other = TestContexts.context(tmp.resolve("other"), TinyFixtures.tiny(), 24);
        robot.interact(() -> {
            holder[0] = new CodebookScreen(other);
            stage.setScene(new Scene((javafx.scene.Parent) holder[0].view(), 1260, 780));
            other.session().selectedRunProperty().set(new RunFolder(run.dir()));
        });
        CodebookViewModel reopened = holder[0].viewModel();
        CodebookView view2 = holder[0].codebookView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> reopened.usageProperty().get() != null
                && reopened.metrics().size() == 12);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(view2::redrawUsage);
        assertThat(reopened.usageProperty().get().columns()).isEqualTo(1);
        assertThat(reopened.usageProperty().get().column(0, 0)).containsExactly(liveWindow);
        assertThat(view2.heatmaps().get(0).drawnColumns()).isEqualTo(1);
        assertThat(view2.histograms().get(0).bars()).hasSize(16);
        assertThat(WaitForAsyncUtils.asyncFx(() -> view2.perplexityChart().pointCount(CodebookView.PROB)).get())
                .isEqualTo(12);
    }
}
