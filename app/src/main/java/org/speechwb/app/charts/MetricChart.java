package org.speechwb.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javafx.animation.AnimationTimer;
import java.awt.geom.Rectangle2D;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Line;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line chart for training curves on JFreeChart-FX: several named series, each drawn raw
 * (faint) and smoothed (TensorBoard-style bias-corrected EMA, weight on a slider), a log-scale
 * toggle, and export of the picture (PNG, SVG) and of the data behind it (CSV).
 *
 * <p>Performance rules (see the GUI notes): data changes are only recorded; a redraw happens at
 * most 20 times a second from an animation pulse, thins every curve to at most four points per
 * pixel column ({@link CurveThinning}) and replaces the plot's data with one change event.
 * Use from the FX thread only.
 */
public final class MetricChart extends BorderPane {

    private static final Logger LOG = LoggerFactory.getLogger(MetricChart.class);
    private static final long MIN_REDRAW_NANOS = 50_000_000L;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)};

    /** Growable raw data of one series. */
    private static final class Data {
        double[] x = new double[64];
        double[] y = new double[64];
        double[] wall = new double[64];
        double[] audio = new double[64];
        int n;
        Color color;
        /** The smoothed values of the last redraw (all points), for the hover readout. */
        double[] smoothed = new double[0];

        void add(double xv, double yv, double wallSeconds, double audioHours) {
            if (n == x.length) {
                x = Arrays.copyOf(x, n * 2);
                y = Arrays.copyOf(y, n * 2);
                wall = Arrays.copyOf(wall, n * 2);
                audio = Arrays.copyOf(audio, n * 2);
            }
            x[n] = xv;
            y[n] = yv;
            wall[n] = wallSeconds;
            audio[n] = audioHours;
            n++;
        }

        double[] xs(XAxis axis) {
            return switch (axis) {
                case UPDATE -> x;
                case WALL_TIME -> wall;
                case AUDIO_HOURS -> audio;
            };
        }
    }

    /**
     * What the horizontal axis counts, as TensorBoard's "step / relative / wall" choice: the
     * update, the wall time since the run started, or the hours of audio the run has seen.
     * Points recorded without a time or an audio figure are left out under those choices.
     */
    public enum XAxis {
        UPDATE("update"), WALL_TIME("wall time"), AUDIO_HOURS("audio hours seen");

        private final String label;

        XAxis(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Map<String, Data> series = new LinkedHashMap<>();
    private final Map<String, Integer> shownPoints = new LinkedHashMap<>();
    private final CurveDataset dataset = new CurveDataset();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    private final NumberAxis xAxis;
    private final NumberAxis linearY;
    private final LogAxis logY;
    private final ObjectProperty<XAxis> xAxisChoice = new SimpleObjectProperty<>(this, "xAxis", XAxis.UPDATE);
    private final StringProperty runName = new SimpleStringProperty(this, "runName", "");
    private final Label readout = new Label();
    private final Line hoverLine = new Line();
    private String updateLabel;
    private double hoverX = Double.NaN;
    private final XYPlot plot;
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final DoubleProperty smoothing = new SimpleDoubleProperty(this, "smoothing", 0.6);
    private final BooleanProperty logScale = new SimpleBooleanProperty(this, "logScale", false);
    private final BooleanProperty smoothingEnabled = new SimpleBooleanProperty(this, "smoothingEnabled", true);
    private final BooleanProperty smoothingControlsVisible =
            new SimpleBooleanProperty(this, "smoothingControlsVisible", true);
    private final Label title = new Label();
    private final ChartToolbar toolbar;
    private boolean dirty;
    private long lastRedraw;
    private int colorIndex;
    private final AnimationTimer pump = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (dirty && now - lastRedraw >= MIN_REDRAW_NANOS && PulseBudget.allows(now)) {
                long t0 = System.nanoTime();
                redraw();
                PulseBudget.spend(System.nanoTime() - t0);
                lastRedraw = now;
            }
        }
    };

    /**
     * FX time that chart redraws may take in one pulse, shared by every chart. A screen's charts
     * all turn dirty from the same batch of metrics; redrawing eight of them in one pulse
     * stalled the FX thread for 50 ms and more. Over budget, the rest wait for the next pulse,
     * where the charts just drawn are not due yet (MIN_REDRAW_NANOS), so they take turns. The
     * first chart of a pulse always draws, so none starves. FX thread only.
     */
    private static final class PulseBudget {
        private static final long BUDGET_NANOS = 12_000_000;
        private static long pulse = Long.MIN_VALUE;
        private static long spent;

        static boolean allows(long now) {
            if (now != pulse) {
                pulse = now;
                spent = 0;
            }
            return spent < BUDGET_NANOS;
        }

        static void spend(long nanos) {
            spent += nanos;
        }
    }

    public MetricChart(String titleText, String xLabel, String yLabel) {
        getStyleClass().add("metric-chart");
        updateLabel = xLabel;
        xAxis = new NumberAxis(xLabel);
        xAxis.setAutoRangeIncludesZero(false);
        xAxis.setNumberFormatOverride(AxisFormats.plainFormat());
        linearY = new NumberAxis(yLabel);
        linearY.setAutoRangeIncludesZero(false);
        linearY.setNumberFormatOverride(AxisFormats.plainFormat());
        logY = new AxisFormats.PlainLogAxis(yLabel);
        logY.setSmallestValue(1e-12);
        logY.setAutoRange(true);
        plot = new XYPlot(dataset, xAxis, linearY, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);
        chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 12), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setFrame(new org.jfree.chart.block.BlockBorder(Color.WHITE));
        viewer = new ChartViewer(chart);
        viewer.setMinSize(200, 120);
        viewer.setPrefSize(600, 320);
        viewer.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == javafx.scene.input.MouseButton.PRIMARY && e.getClickCount() == 2) {
                resetZoom();
            }
        });

        title.setText(titleText);
        title.getStyleClass().add("section-title");
        title.setMinWidth(0);
        Slider slider = new Slider(0, 0.99, smoothing.get());
        slider.setPrefWidth(110);
        slider.valueProperty().bindBidirectional(smoothing);
        slider.setId("smoothing-slider");
        Label sliderValue = new Label();
        sliderValue.textProperty().bind(smoothing.asString(Locale.ROOT, "%.2f"));
        sliderValue.setMinWidth(32);
        Label sliderLabel = new Label("Smoothing");
        sliderLabel.setMinWidth(Region.USE_PREF_SIZE);
        sliderLabel.setTooltip(new Tooltip("Exponential moving average with bias correction (as TensorBoard);"
                + " the raw curve stays visible, faint."));
        for (var n : List.of(slider, sliderValue, sliderLabel)) {
            // hidden controls give their room to Log and Export (a half-width card at 1280 px needs it)
            n.visibleProperty().bind(smoothingEnabled.and(smoothingControlsVisible));
            n.managedProperty().bind(n.visibleProperty());
        }
        CheckBox log = new CheckBox("Log");
        log.setTooltip(new Tooltip("Logarithmic y axis (values ≤ 0 are left out)"));
        log.selectedProperty().bindBidirectional(logScale);
        log.setId("log-scale");
        MenuButton export = new MenuButton("Export");
        export.setId("chart-export");
        MenuItem png = new MenuItem("Picture as PNG…");
        png.setOnAction(e -> chooseAndExport("PNG image", "*.png", this::exportPng));
        MenuItem svg = new MenuItem("Picture as SVG…");
        svg.setOnAction(e -> chooseAndExport("SVG image", "*.svg", this::exportSvg));
        MenuItem csv = new MenuItem("Data as CSV…");
        csv.setOnAction(e -> chooseAndExport("CSV", "*.csv", this::exportCsv));
        export.getItems().addAll(png, svg, csv);
        export.setMinWidth(Region.USE_PREF_SIZE);
        log.setMinWidth(Region.USE_PREF_SIZE);
        for (var n : List.of(slider, sliderValue)) {
            n.setMinWidth(Region.USE_PREF_SIZE);
        }
        toolbar = new ChartToolbar(title);
        toolbar.controls().addAll(sliderLabel, slider, sliderValue, log, export);
        setTop(toolbar);
        setCenter(buildPlotArea());

        smoothing.addListener((o, a, b) -> markDirty());
        xAxisChoice.addListener((o, a, b) -> {
            xAxis.setLabel(b == XAxis.UPDATE ? updateLabel : b == XAxis.WALL_TIME
                    ? "wall time since start (h:mm:ss)" : "audio hours seen");
            xAxis.setNumberFormatOverride(b == XAxis.WALL_TIME ? AxisFormats.elapsedFormat() : AxisFormats.plainFormat());
            resetZoom();
        });
        smoothingEnabled.addListener((o, a, b) -> markDirty());
        logScale.addListener((o, a, b) -> {
            plot.setRangeAxis(b ? logY : linearY);
            markDirty();
        });
        viewer.widthProperty().addListener((o, a, b) -> markDirty());
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                pump.start();
            } else {
                pump.stop();
            }
        });
    }

    /**
     * The chart with the hover readout over it: a thin line at the pointer and a box with the
     * nearest point of every series (update, raw and smoothed value, wall time), as
     * TensorBoard's tooltip. JavaFX nodes over the canvas, so moving the pointer never
     * redraws the chart.
     */
    private Region buildPlotArea() {
        readout.setId("chart-readout");
        readout.getStyleClass().add("chart-readout");
        readout.setStyle("-fx-background-color: rgba(255,255,255,0.92); -fx-border-color: #b0b8c4;"
                + " -fx-padding: 3 6; -fx-font-size: 11px;");
        readout.setMouseTransparent(true);
        readout.setManaged(false);
        readout.setVisible(false);
        hoverLine.setStroke(javafx.scene.paint.Color.web("#7f8c9a"));
        hoverLine.getStrokeDashArray().setAll(3.0, 3.0);
        hoverLine.setMouseTransparent(true);
        hoverLine.setManaged(false);
        hoverLine.setVisible(false);
        Pane overlay = new Pane(hoverLine, readout);
        overlay.setMouseTransparent(true);
        StackPane stack = new StackPane(viewer, overlay);
        stack.setMinSize(0, 0);
        viewer.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(e.getX(), e.getY()));
        viewer.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hideReadout());
        return stack;
    }

    private Rectangle2D dataArea() {
        var info = viewer.getCanvas().getRenderingInfo();
        return info == null ? null : info.getPlotInfo().getDataArea();
    }

    private void hover(double mx, double my) {
        Rectangle2D area = dataArea();
        if (area == null || area.getWidth() <= 0 || !area.contains(mx, Math.min(my, area.getMaxY() - 1))
                || series.isEmpty()) {
            hideReadout();
            return;
        }
        hoverX = xAxis.java2DToValue(mx, area, plot.getDomainAxisEdge());
        String text = readoutAt(hoverX);
        if (text.isEmpty()) {
            hideReadout();
            return;
        }
        readout.setText(text);
        readout.setVisible(true);
        readout.autosize();
        double w = readout.prefWidth(-1);
        double h = readout.prefHeight(w);
        readout.resize(w, h);
        // beside the pointer, flipped to the other side near the right edge
        double x = mx + 12 + w > viewer.getWidth() ? mx - 12 - w : mx + 12;
        readout.relocate(Math.max(0, x), Math.max(0, Math.min(my + 12, viewer.getHeight() - h)));
        hoverLine.setStartX(mx);
        hoverLine.setEndX(mx);
        hoverLine.setStartY(area.getMinY());
        hoverLine.setEndY(area.getMaxY());
        hoverLine.setVisible(true);
    }

    private void hideReadout() {
        readout.setVisible(false);
        hoverLine.setVisible(false);
        hoverX = Double.NaN;
    }

    /**
     * What the readout shows for the x value {@code x} (in the units of the current x axis):
     * per series the point nearest to it, with its update, raw and (when smoothing) smoothed
     * value, and where known the wall time and the audio seen. Empty when no series has points.
     */
    public String readoutAt(double x) {
        StringBuilder sb = new StringBuilder();
        XAxis axis = xAxisChoice.get();
        boolean smooth = smoothingEnabled.get() && smoothing.get() > 0;
        boolean several = series.size() > 1;
        for (Map.Entry<String, Data> e : series.entrySet()) {
            Data d = e.getValue();
            int i = nearest(d.xs(axis), d.n, x);
            if (i < 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (several) {
                sb.append(e.getKey()).append(": ");
            }
            sb.append(updateLabel).append(' ').append(AxisFormats.plain(d.x[i]));
            sb.append(" · ").append(AxisFormats.plain(d.y[i]));
            if (smooth && i < d.smoothed.length) {
                sb.append(" (smoothed ").append(AxisFormats.plain(d.smoothed[i])).append(')');
            }
            if (Double.isFinite(d.wall[i])) {
                sb.append(" · ").append(AxisFormats.elapsed(d.wall[i]));
            }
            if (Double.isFinite(d.audio[i])) {
                sb.append(" · ").append(AxisFormats.plain(Math.round(d.audio[i] * 1e4) / 1e4)).append(" h audio");
            }
        }
        return sb.toString();
    }

    /** Index of the finite point nearest to {@code v} in ascending {@code xs}, or -1. */
    private static int nearest(double[] xs, int n, double v) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = Math.max(0, lo - 2); i < Math.min(n, lo + 2); i++) {
            double dist = Math.abs(xs[i] - v);
            if (Double.isFinite(xs[i]) && dist < bestD) {
                bestD = dist;
                best = i;
            }
        }
        return best;
    }

    // ---- data -----------------------------------------------------------------------------

    /** Appends one point (x ascending within a series); creates the series on first use. */
    public void append(String key, double x, double y) {
        append(key, x, y, Double.NaN, Double.NaN);
    }

    /**
     * Appends one point with its wall time (seconds since the run started) and the hours of
     * audio the run had seen by then, for the other x-axis choices and the hover readout.
     */
    public void append(String key, double x, double y, double wallSeconds, double audioHours) {
        data(key).add(x, y, wallSeconds, audioHours);
        markDirty();
    }

    /** Appends many points at once. */
    public void appendAll(String key, double[] x, double[] y) {
        appendAll(key, x, y, null, null);
    }

    /** Appends many points at once; {@code wall} and {@code audio} may be null (not known). */
    public void appendAll(String key, double[] x, double[] y, double[] wall, double[] audio) {
        Data d = data(key);
        for (int i = 0; i < x.length; i++) {
            d.add(x[i], y[i], wall == null ? Double.NaN : wall[i], audio == null ? Double.NaN : audio[i]);
        }
        markDirty();
    }

    /** Replaces a series' points. */
    public void setSeries(String key, double[] x, double[] y) {
        setSeries(key, x, y, null, null);
    }

    /** Replaces a series' points; {@code wall} and {@code audio} may be null (not known). */
    public void setSeries(String key, double[] x, double[] y, double[] wall, double[] audio) {
        data(key).n = 0;
        appendAll(key, x, y, wall, audio);
    }

    public void removeSeries(String key) {
        if (series.remove(key) != null) {
            markDirty();
        }
    }

    /** Drops every series and any zoom: what comes next (another run) must not hide outside the old view. */
    public void clear() {
        series.clear();
        colorIndex = 0;
        resetZoom();
    }

    /** Back to axes that fit the data, after a drag-zoom (a double-click on the chart does this too). */
    public void resetZoom() {
        xAxis.setAutoRange(true);
        linearY.setAutoRange(true);
        logY.setAutoRange(true);
        markDirty();
    }

    public List<String> seriesKeys() {
        return List.copyOf(series.keySet());
    }

    /** Points stored for a series (all of them, not the thinned ones). */
    public int pointCount(String key) {
        Data d = series.get(key);
        return d == null ? 0 : d.n;
    }

    /** Points of a series handed to the renderer at the last redraw (after thinning). */
    public int displayedPointCount(String key) {
        return shownPoints.getOrDefault(key, 0);
    }

    private Data data(String key) {
        return series.computeIfAbsent(key, k -> {
            Data d = new Data();
            d.color = PALETTE[colorIndex++ % PALETTE.length];
            return d;
        });
    }

    // ---- appearance -----------------------------------------------------------------------

    public DoubleProperty smoothingProperty() {
        return smoothing;
    }

    public BooleanProperty logScaleProperty() {
        return logScale;
    }

    /** What the x axis counts; screens bind one choice to all their charts. */
    public ObjectProperty<XAxis> xAxisProperty() {
        return xAxisChoice;
    }

    /** The run the curves belong to (one run), written under the title of exported pictures. */
    public StringProperty runNameProperty() {
        return runName;
    }

    /** The hover readout's text (empty when the pointer is not over the plot). */
    public String readoutText() {
        return readout.isVisible() ? readout.getText() : "";
    }

    /** Off for noiseless curves (schedules): hides the slider and draws the raw line only. */
    public BooleanProperty smoothingEnabledProperty() {
        return smoothingEnabled;
    }

    /**
     * False hides this chart's smoothing slider while smoothing stays on: for screens with many
     * small charts that share one smoothing control (bind {@link #smoothingProperty()} to it).
     */
    public BooleanProperty smoothingControlsVisibleProperty() {
        return smoothingControlsVisible;
    }

    public void setTitle(String text) {
        title.setText(text);
    }

    public String titleText() {
        return title.getText();
    }

    public void setAxisLabels(String x, String y) {
        xAxis.setLabel(x);
        linearY.setLabel(y);
        logY.setLabel(y);
    }

    /**
     * Marks every point with a shape: for sparse series (a validation every few hundred
     * updates), where a single point would otherwise draw nothing.
     */
    public void setPointsVisible(boolean visible) {
        renderer.setDefaultShapesVisible(visible);
        renderer.setDefaultShapesFilled(true);
        markDirty();
    }

    public void setLegendVisible(boolean visible) {
        chart.getLegend().setVisible(visible);
    }

    public ChartToolbar toolbar() {
        return toolbar;
    }

    public JFreeChart chart() {
        return chart;
    }

    public ChartViewer viewer() {
        return viewer;
    }

    // ---- drawing --------------------------------------------------------------------------

    private void markDirty() {
        dirty = true;
    }

    /** Redraws now instead of at the next pulse (tests, exports). */
    public void flush() {
        redraw();
    }

    private int columns() {
        double w = viewer.getWidth();
        return Math.max(100, (int) Math.ceil(w > 0 ? w : 800));
    }

    private void redraw() {
        dirty = false;
        int columns = columns();
        boolean smooth = smoothingEnabled.get() && smoothing.get() > 0;
        boolean log = logScale.get();
        List<String> keys = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        shownPoints.clear();
        int i = 0;
        XAxis axis = xAxisChoice.get();
        for (Map.Entry<String, Data> e : series.entrySet()) {
            Data d = e.getValue();
            double[] y0 = log ? positiveOnly(d.y, d.n) : d.y;
            d.smoothed = smooth ? Smoothing.debiasedEma(y0, d.n, smoothing.get()) : Arrays.copyOf(y0, d.n);
            // the same points on another x: those recorded without that figure are left out
            double[][] onX = finiteX(d.xs(axis), y0, d.smoothed, d.n);
            double[] x = onX[0];
            double[] y = onX[1];
            int n = x.length;
            CurveThinning.Curve raw = CurveThinning.minMax(x, y, n, columns);
            shownPoints.put(e.getKey(), raw.size());
            // the legend shows whichever of the two is the curve: without smoothing that is the raw one
            keys.add(smooth ? e.getKey() + " (raw)" : e.getKey());
            xs.add(raw.x());
            ys.add(raw.y());
            CurveThinning.Curve sm = smooth
                    ? CurveThinning.minMax(x, onX[2], n, columns)
                    : new CurveThinning.Curve(new double[0], new double[0]);
            keys.add(smooth ? e.getKey() : e.getKey() + " (smoothed)");
            xs.add(sm.x());
            ys.add(sm.y());
            Color c = d.color;
            renderer.setSeriesPaint(2 * i, smooth ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 70) : c);
            renderer.setSeriesStroke(2 * i, new BasicStroke(smooth ? 1.0f : 1.6f));
            renderer.setSeriesVisibleInLegend(2 * i, !smooth);
            renderer.setSeriesPaint(2 * i + 1, c);
            renderer.setSeriesStroke(2 * i + 1, new BasicStroke(1.8f));
            renderer.setSeriesVisibleInLegend(2 * i + 1, smooth);
            i++;
        }
        dataset.set(keys, xs, ys);
        dataset.changed();
    }

    private static double[][] finiteX(double[] x, double[] y, double[] sm, int n) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i])) {
                k++;
            }
        }
        if (k == n) {
            return new double[][] {Arrays.copyOf(x, n), y, sm};
        }
        double[][] out = new double[3][k];
        k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i])) {
                out[0][k] = x[i];
                out[1][k] = y[i];
                out[2][k] = sm[i];
                k++;
            }
        }
        return out;
    }

    private static double[] positiveOnly(double[] y, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = y[i] > 0 ? y[i] : Double.NaN;
        }
        return out;
    }

    // ---- export ---------------------------------------------------------------------------

    /** A picture of the chart as a reader of a paper needs it: title, run name, axis labels, legend. */
    public void exportPng(Path file) throws IOException {
        flush();
        asExported(() -> ChartUtils.saveChartAsPNG(file.toFile(), chart, exportWidth(), exportHeight()));
    }

    public void exportSvg(Path file) throws IOException {
        flush();
        int w = exportWidth();
        int h = exportHeight();
        SVGGraphics2D g2 = new SVGGraphics2D(w, h);
        // rotated labels (the y axis) as text, not glyph outlines: searchable and editable in the file
        boolean workaround = TextUtils.isUseDrawRotatedStringWorkaround();
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        try {
            asExported(() -> chart.draw(g2, new Rectangle(0, 0, w, h)));
        } finally {
            TextUtils.setUseDrawRotatedStringWorkaround(workaround);
        }
        SVGUtils.writeToSVG(file.toFile(), g2.getSVGElement());
    }

    /**
     * Runs {@code draw} with the chart dressed for a file: on screen the title is a JavaFX
     * label and small cards hide the legend, so the picture alone would not say what it shows.
     * Notification is off meanwhile, so the screen's chart does not flash; restored after.
     */
    private void asExported(Exporter.Draw draw) throws IOException {
        LegendTitle legend = chart.getLegend();
        boolean legendWas = legend.isVisible();
        chart.setNotify(false);
        TextTitle sub = null;
        try {
            chart.setTitle(new TextTitle(title.getText(), new Font("SansSerif", Font.BOLD, 15)));
            if (!runName.get().isBlank()) {
                sub = new TextTitle("run " + runName.get(), new Font("SansSerif", Font.PLAIN, 12));
                sub.setPaint(new Color(0x555555));
                chart.addSubtitle(0, sub);
            }
            legend.setVisible(true);
            draw.run();
        } finally {
            chart.setTitle((TextTitle) null);
            if (sub != null) {
                chart.removeSubtitle(sub);
            }
            legend.setVisible(legendWas);
            chart.setNotify(true);
        }
    }

    /** Every stored point (not the thinned ones) with its smoothed value: {@code series,x,y,smoothed}. */
    public void exportCsv(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("series,x,y,smoothed\n");
            for (Map.Entry<String, Data> e : series.entrySet()) {
                Data d = e.getValue();
                double[] sm = Smoothing.debiasedEma(d.y, d.n, smoothingEnabled.get() ? smoothing.get() : 0);
                String key = csvQuote(e.getKey());
                for (int i = 0; i < d.n; i++) {
                    w.write(key + "," + num(d.x[i]) + "," + num(d.y[i]) + "," + num(sm[i]) + "\n");
                }
            }
        }
    }

    private int exportWidth() {
        return Math.max(800, (int) viewer.getWidth());
    }

    private int exportHeight() {
        return Math.max(450, (int) viewer.getHeight());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String csvQuote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private interface Exporter {
        void export(Path p) throws IOException;

        interface Draw {
            void run() throws IOException;
        }
    }

    private void chooseAndExport(String what, String pattern, Exporter exporter) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export " + title.getText());
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, pattern));
        fc.setInitialFileName(title.getText().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                + pattern.substring(1));
        var f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f == null) {
            return;
        }
        try {
            exporter.export(f.toPath());
        } catch (IOException | RuntimeException ex) {
            LOG.error("Export to {} failed", f, ex);
            javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                    "Could not write " + f + ": " + ex.getMessage());
            a.setHeaderText("Export failed");
            a.show();
        }
    }

    /** The range axis in use (linear or log). */
    public ValueAxis rangeAxis() {
        return plot.getRangeAxis();
    }
}
