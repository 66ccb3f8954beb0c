package org.speechwb.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;

import org.controlsfx.control.CheckComboBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.ConfigDiff;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Two real tiny runs that differ in learning rate and mask probability, compared on the Runs screen. */
@ExtendWith(ApplicationExtension.class)
class RunsCompareTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    private static RunFolder train(Path root, String name, List<String> overrides, int updates) throws Exception {
        PretrainConfig cfg = ConfigOverrides.apply(TinyFixtures.tiny(), overrides, PretrainConfig.class);
        RunFolder run = TinyRuns.newRun(root, name, cfg, TinyFixtures.corpus(), 24);
        assertThat(new Pretrainer(run, TinyFixtures.train(24), null, updates).run()).isEqualTo(RunState.FINISHED);
        return run;
    }

    @Test
    void severalMetricsChartSideBySideAndTheConfigDiffListsWhatDiffers(FxRobot robot) throws Exception {
        Path root = tmp.resolve("runs");
        RunFolder a = train(root, "tiny-a", List.of(), 3);
        RunFolder b = train(root, "tiny-b", List.of("optimizer.lr=0.003", "masking.maskProb=0.5"), 3);
        ScreenContext ctx = TestContexts.context(root, tmp, TinyFixtures.tiny(), 24, 0);
        RunsScreen[] screen = new RunsScreen[1];
        robot.interact(() -> {
            screen[0] = new RunsScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1280, 800));
            stage.show();
            screen[0].onShown();
        });
        RunsViewModel vm = screen[0].viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.runs().size() == 2);
        robot.interact(() -> vm.runs().forEach(r -> r.compareProperty().set(true)));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.curves().size() == 2);

        @SuppressWarnings("unchecked")
        CheckComboBox<RunsViewModel.Metric> more = robot.lookup("#compare-more-metrics").queryAs(CheckComboBox.class);
        robot.interact(() -> {
            more.getCheckModel().check(RunsViewModel.Metric.ACCURACY);
            more.getCheckModel().check(RunsViewModel.Metric.CODE_PERPLEXITY);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Map<String, String> names = RunsViewModel.legendNames(List.of(a.id(), b.id()));
        assertThat(names.values()).containsExactlyInAnyOrder("tiny-a", "tiny-b");
        GridPane grid = robot.lookup("#compare-grid").queryAs(GridPane.class);
        MetricChart loss = screen[0].overlay();
        MetricChart acc = screen[0].compareChart(RunsViewModel.Metric.ACCURACY);
        MetricChart ppl = screen[0].compareChart(RunsViewModel.Metric.CODE_PERPLEXITY);
        assertThat(grid.getChildren()).containsExactly(loss, acc, ppl);
        // two columns: loss and accuracy side by side, perplexity under loss
        assertThat(GridPane.getColumnIndex(acc)).isEqualTo(1);
        assertThat(GridPane.getRowIndex(ppl)).isEqualTo(1);
        assertThat(acc.getLayoutX()).isGreaterThan(loss.getLayoutX() + loss.getWidth() - 1);
        assertThat(ppl.getLayoutY()).isGreaterThan(loss.getLayoutY() + loss.getHeight() - 1);
        for (MetricChart c : List.of(loss, acc, ppl)) {
            robot.interact(c::flush);
            assertThat(c.seriesKeys()).containsExactlyInAnyOrder("tiny-a", "tiny-b");
            assertThat(c.pointCount("tiny-a")).isEqualTo(3);
            assertThat(c.pointCount("tiny-b")).isEqualTo(3);
        }
        // one smoothing slider above the grid, for every chart, instead of one squeezed into each header
        javafx.scene.control.Slider smooth = robot.lookup("#compare-smoothing").queryAs(javafx.scene.control.Slider.class);
        assertThat(smooth.isVisible()).isTrue();
        robot.interact(() -> smooth.setValue(0.3));
        for (MetricChart c : List.of(loss, acc, ppl)) {
            assertThat(c.smoothingProperty().get()).isEqualTo(0.3);
        }
        assertThat(ctx.preferences().chartSmoothingProperty().get()).isEqualTo(0.3);
        // the charted values are the runs' own
        assertThat(acc.pointCount("tiny-b")).isEqualTo(b.metrics().size());

        // the main metric is not charted twice when it is also ticked below
        robot.interact(() -> vm.metricProperty().set(RunsViewModel.Metric.ACCURACY));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(grid.getChildren()).hasSize(2).contains(screen[0].overlay(),
                screen[0].compareChart(RunsViewModel.Metric.CODE_PERPLEXITY));
        robot.interact(() -> {
            more.getCheckModel().clearChecks();
            vm.metricProperty().set(RunsViewModel.Metric.LOSS);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(grid.getChildren()).containsExactly(screen[0].overlay());
        assertThat(GridPane.getColumnIndex(screen[0].overlay())).isZero();
        assertThat(smooth.isVisible()).as("alone, the main chart has its own slider again").isFalse();

        // the config diff: exactly the fields set differently, one column per run by its legend name
        TabPane tabs = robot.lookup("#compare-tabs").queryAs(TabPane.class);
        robot.clickOn(tabs.lookupAll(".tab").stream().filter(t -> t.lookup(".tab-label") != null
                && ((javafx.scene.control.Label) t.lookup(".tab-label")).getText().equals("Config diff")).findFirst()
                .orElseThrow());
        @SuppressWarnings("unchecked")
        TableView<ConfigDiff.Row> diff = robot.lookup("#config-diff").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !diff.getItems().isEmpty());
        assertThat(diff.isVisible()).isTrue();
        int ai = vm.compared().indexOf(a.id());
        int bi = vm.compared().indexOf(b.id());
        assertThat(diff.getColumns()).extracting(c -> c.getText())
                .containsExactly("Field", names.get(vm.compared().get(0)), names.get(vm.compared().get(1)));
        assertThat(diff.getItems()).extracting(ConfigDiff.Row::field)
                .containsExactlyInAnyOrder("masking.maskProb", "optimizer.lr");
        ConfigDiff.Row lr = diff.getItems().stream().filter(r -> r.field().equals("optimizer.lr")).findFirst()
                .orElseThrow();
        assertThat(lr.values().get(bi)).isEqualTo("0.003");
        assertThat(Double.parseDouble(lr.values().get(ai))).isEqualTo(a.config().optimizer().lr());
        assertThat(diff.getColumns().get(1 + bi).getCellData(diff.getItems().indexOf(lr))).isEqualTo("0.003");
        assertThat(robot.lookup("#config-diff-status").queryLabeled().getText()).startsWith("2 config field(s) differ");

        // one run left: nothing to compare, and the screen says so
        robot.interact(() -> vm.runs().get(0).compareProperty().set(false));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(diff.getItems()).isEmpty();
        assertThat(robot.lookup("#config-diff-status").queryLabeled().getText()).startsWith("Tick two or more runs");
    }
}
