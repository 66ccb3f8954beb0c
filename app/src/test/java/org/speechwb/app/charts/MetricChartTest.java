package org.speechwb.app.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class MetricChartTest {

    private MetricChart chart;

    @Start
    void start(Stage stage) {
        chart = new MetricChart("Loss", "update", "bits");
        stage.setScene(new Scene(chart, 900, 500));
        stage.show();
    }

    @Test
    void longCurvesAreThinnedToThePixelColumnsAndExportsWork(FxRobot robot, @TempDir Path dir) throws Exception {
        int n = 200_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = 5 * Math.exp(-i / 40_000.0) + 0.5 * Math.sin(i * 0.37);
        }
        robot.interact(() -> {
            chart.setSeries("run-a", x, y);
            chart.append("run-b", 1, 3);
            chart.append("run-b", 2, 2.5);
            chart.flush();
        });
        assertThat(chart.pointCount("run-a")).isEqualTo(n);
        double width = chart.viewer().getWidth();
        assertThat(chart.displayedPointCount("run-a")).isLessThanOrEqualTo(4 * (int) Math.ceil(width) + 4)
                .isGreaterThan(100);
        assertThat(chart.displayedPointCount("run-b")).isEqualTo(2);
        assertThat(chart.seriesKeys()).containsExactly("run-a", "run-b");

        Path png = dir.resolve("c.png");
        Path svg = dir.resolve("c.svg");
        Path csv = dir.resolve("c.csv");
        robot.interact(() -> {
            try {
                chart.exportPng(png);
                chart.exportSvg(svg);
                chart.exportCsv(csv);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(Files.readString(svg)).contains("<svg").contains("run-a");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + n + 2);
        assertThat(lines.get(0)).isEqualTo("series,x,y,smoothed");
        assertThat(lines.get(1)).startsWith("run-a,1.0,5.0,");
        assertThat(lines.get(lines.size() - 1)).startsWith("run-b,2.0,2.5,");
    }

    @Test
    void logScaleSwapsTheAxisAndDropsNonPositiveValues(FxRobot robot) {
        robot.interact(() -> {
            chart.setSeries("lr", new double[] {1, 2, 3, 4}, new double[] {0, 1e-4, 1e-3, 1e-2});
            chart.smoothingEnabledProperty().set(false);
            chart.flush();
        });
        assertThat(chart.rangeAxis()).isInstanceOf(NumberAxis.class);
        assertThat(chart.displayedPointCount("lr")).isEqualTo(4);
        robot.clickOn("#log-scale");
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(chart::flush);
        assertThat(chart.rangeAxis()).isInstanceOf(LogAxis.class);
        assertThat(chart.displayedPointCount("lr")).isEqualTo(3);
    }

    @Test
    void smoothingSliderDrivesTheSmoothedSeries(FxRobot robot) {
        robot.interact(() -> {
            chart.setSeries("loss", new double[] {1, 2, 3}, new double[] {3, 1, 2});
            chart.smoothingProperty().set(0);
            chart.flush();
        });
        assertThat(chart.chart().getXYPlot().getDataset().getItemCount(1)).isZero();
        robot.interact(() -> {
            chart.smoothingProperty().set(0.8);
            chart.flush();
        });
        assertThat(chart.chart().getXYPlot().getDataset().getItemCount(1)).isEqualTo(3);
        assertThat(chart.chart().getXYPlot().getDataset().getYValue(1, 0)).isEqualTo(3.0);
    }

    private static double[] range(double from, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i;
        }
        return v;
    }

    @Test
    void aZoomEndsWithItsRunAndOnADoubleClick(FxRobot robot) {
        var plot = chart.chart().getXYPlot();
        robot.interact(() -> {
            chart.setSeries("run-1", range(1, 100), range(0, 100));
            chart.flush();
            // what a drag across the chart does: JFreeChart pins both axes to the dragged rectangle
            plot.getDomainAxis().setRange(10, 20);
            plot.getRangeAxis().setRange(10, 20);
        });
        robot.interact(() -> {
            chart.clear();
            chart.setSeries("run-2", range(500, 100), range(1000, 100));
            chart.flush();
        });
        assertThat(plot.getDomainAxis().getRange().contains(500)).as("x %s", plot.getDomainAxis().getRange()).isTrue();
        assertThat(plot.getDomainAxis().getRange().contains(599)).isTrue();
        assertThat(plot.getRangeAxis().getRange().contains(1000)).as("y %s", plot.getRangeAxis().getRange()).isTrue();
        assertThat(plot.getRangeAxis().getRange().contains(1099)).isTrue();

        robot.interact(() -> plot.getDomainAxis().setRange(550, 560));
        robot.doubleClickOn(chart.viewer(), javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(plot.getDomainAxis().getRange().contains(500)).as("x %s", plot.getDomainAxis().getRange()).isTrue();
        assertThat(plot.getDomainAxis().getRange().contains(599)).isTrue();
    }
}
