package org.speechwb.app.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Issue 13: controls never cut, hover readout, x-axis choice, plain tick labels, exports that explain themselves. */
@ExtendWith(ApplicationExtension.class)
class ChartReadingTest {

    private Stage stage;
    private MetricChart chart;

    @Start
    void start(Stage primary) {
        stage = primary;
        chart = new MetricChart("Gradient norm (before clipping)", "update", "L2 norm");
        primary.setScene(new Scene(chart, 900, 400));
        primary.show();
    }

    private static double[] range(int n, double from, double step) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i * step;
        }
        return a;
    }

    @Test
    void logAndExportStayWholeInANarrowCardByMovingToASecondLine(FxRobot robot) {
        Node log = robot.lookup("#log-scale").query();
        Node export = robot.lookup("#chart-export").query();
        robot.interact(() -> chart.smoothingControlsVisibleProperty().set(false));
        assertThat(chart.toolbar().isWrapped()).isFalse();
        // half of a 1280 px window beside the navigation and the side panel
        robot.interact(() -> stage.setWidth(300));
        robot.interact(() -> chart.applyCss());
        robot.interact(() -> chart.layout());
        assertThat(chart.toolbar().isWrapped()).isTrue();
        for (Node n : new Node[] {log, export}) {
            Bounds b = n.localToScene(n.getBoundsInLocal());
            assertThat(n.isVisible()).isTrue();
            assertThat(b.getMinX()).isGreaterThanOrEqualTo(0);
            assertThat(b.getMaxX()).isLessThanOrEqualTo(chart.getScene().getWidth() + 0.5);
            assertThat(((javafx.scene.layout.Region) n).getWidth())
                    .isGreaterThanOrEqualTo(((javafx.scene.layout.Region) n).prefWidth(-1) - 0.5);
        }
        Bounds title = robot.lookup(".section-title").query().localToScene(
                robot.lookup(".section-title").query().getBoundsInLocal());
        assertThat(export.localToScene(export.getBoundsInLocal()).getMinY()).isGreaterThanOrEqualTo(title.getMaxY() - 1);
        assertThat(robot.lookup(".section-title").queryLabeled().getText()).isEqualTo("Gradient norm (before clipping)");
    }

    @Test
    void hoveringReadsOutTheNearestPointRawSmoothedAndWallTime(FxRobot robot) {
        double[] x = range(100, 1, 1);
        double[] y = range(100, 10, -0.05);
        double[] wall = range(100, 2, 2);
        double[] audio = range(100, 0.001, 0.001);
        robot.interact(() -> {
            chart.setSeries("loss", x, y, wall, audio);
            chart.flush();
        });
        String text = chart.readoutAt(50.2);
        assertThat(text).contains("update 50").contains("7.55").contains("smoothed ").contains("1:40")
                .contains("0.05 h audio");
        // through the mouse: a move over the middle of the plot shows it, leaving hides it
        robot.interact(() -> {
            var area = chart.viewer().getCanvas().getRenderingInfo().getPlotInfo().getDataArea();
            Event.fireEvent(chart.viewer(), new MouseEvent(MouseEvent.MOUSE_MOVED, area.getCenterX(), area.getCenterY(),
                    0, 0, MouseButton.NONE, 0, false, false, false, false, false, false, false, false, false, false, null));
        });
        assertThat(chart.readoutText()).startsWith("update 5").contains("smoothed");
        assertThat(robot.lookup("#chart-readout").query().isVisible()).isTrue();
        robot.interact(() -> Event.fireEvent(chart.viewer(), new MouseEvent(MouseEvent.MOUSE_EXITED, 0, 0, 0, 0,
                MouseButton.NONE, 0, false, false, false, false, false, false, false, false, false, false, null)));
        assertThat(chart.readoutText()).isEmpty();
    }

    @Test
    void theXAxisCountsUpdatesWallTimeOrAudioHours(FxRobot robot) {
        robot.interact(() -> {
            chart.setSeries("a", range(10, 1, 1), range(10, 1, 1), range(10, 60, 60), range(10, 0.5, 0.5));
            chart.setSeries("no-times", range(10, 1, 1), range(10, 2, 1));
            chart.flush();
        });
        var axis = chart.chart().getXYPlot().getDomainAxis();
        assertThat(axis.getUpperBound()).isBetween(10.0, 11.0);
        robot.interact(() -> {
            chart.xAxisProperty().set(MetricChart.XAxis.WALL_TIME);
            chart.flush();
        });
        assertThat(axis.getLabel()).contains("wall time");
        assertThat(axis.getUpperBound()).isBetween(600.0, 640.0);
        assertThat(chart.displayedPointCount("a")).isEqualTo(10);
        assertThat(chart.displayedPointCount("no-times")).isZero();
        assertThat(((org.jfree.chart.axis.NumberAxis) axis).getNumberFormatOverride().format(3725.0)).isEqualTo("1:02:05");
        robot.interact(() -> {
            chart.xAxisProperty().set(MetricChart.XAxis.AUDIO_HOURS);
            chart.flush();
        });
        assertThat(axis.getLabel()).isEqualTo("audio hours seen");
        assertThat(axis.getUpperBound()).isBetween(5.0, 5.5);
        assertThat(chart.readoutAt(2.5)).contains("a: update 5").contains("2.5 h audio");
    }

    @Test
    void tickLabelsArePlainNumbers(FxRobot robot, @TempDir Path dir) throws Exception {
        assertThat(AxisFormats.plain(0)).isEqualTo("0");
        assertThat(AxisFormats.plain(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(AxisFormats.plain(0.0004)).isEqualTo("0.0004");
        assertThat(AxisFormats.plain(2.5e-6)).isEqualTo("2.5e-6");
        assertThat(AxisFormats.plain(1.5e8)).isEqualTo("1.5e8");
        assertThat(AxisFormats.logTickValues(7.9, 11.5)).containsExactly(8.0, 9.0, 10.0, 11.0);
        assertThat(AxisFormats.logTickValues(0.01, 5)).contains(0.01, 0.1, 1.0, 0.02, 5.0);
        assertThat(AxisFormats.logTickValues(1e-9, 10)).containsExactly(1e-8, 1e-6, 1e-4, 0.01, 1.0);

        // a learning rate that sits at a few 1e-5 drew "0E0" and "1E-5"; a log axis within a decade "10^0.95"
        Path linear = dir.resolve("lin.svg");
        Path log = dir.resolve("log.svg");
        robot.interact(() -> {
            chart.setSeries("lr", range(50, 1, 1), range(50, 0, 4e-7));
            chart.smoothingEnabledProperty().set(false);
            try {
                chart.exportSvg(linear);
                chart.setSeries("lr", range(50, 1, 1), range(50, 8, 0.07));
                chart.logScaleProperty().set(true);
                chart.exportSvg(log);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String lin = Files.readString(linear);
        assertThat(lin).doesNotContain("0E0").doesNotContain("E-").contains(">0<").contains(">1e-5<");
        String lg = Files.readString(log);
        assertThat(lg).doesNotContain("10^").doesNotContain("^").contains(">9<").contains(">10<");
    }

    @Test
    void exportedPicturesCarryTitleAxisLabelsLegendAndRunName(FxRobot robot, @TempDir Path dir) throws Exception {
        Path svg = dir.resolve("g.svg");
        Path png = dir.resolve("g.png");
        robot.interact(() -> {
            chart.setLegendVisible(false);
            chart.runNameProperty().set("20261203-160730-tiny-a");
            chart.setSeries("gradNorm", range(20, 1, 1), range(20, 3, 0.1));
            try {
                chart.exportSvg(svg);
                chart.exportPng(png);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Files.readString(svg)).contains("Gradient norm (before clipping)").contains("L2 norm")
                .contains(">update<").contains(">gradNorm<").contains("run 20261203-160730-tiny-a");
        var img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(800);
        // the screen's chart is as it was: no title drawn into the canvas, legend still hidden
        assertThat(chart.chart().getTitle()).isNull();
        assertThat(chart.chart().getLegend().isVisible()).isFalse();
        assertThat(chart.chart().getSubtitleCount()).isEqualTo(1);
    }
}
