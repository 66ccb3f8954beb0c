package org.speechwb.app.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Slider;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;

import org.controlsfx.control.CheckComboBox;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.engine.run.ConfigDiff;

/**
 * The Runs screen's comparison of the ticked runs: a grid of charts, the main one (its metric
 * picked under Metric) and one per further metric ticked under "More metrics", each with every
 * ticked run as a series; and a table of the config fields that differ between them.
 */
final class CompareView extends TabPane {

    private final RunsViewModel vm;
    private final CompareViewModel compare;
    private final DoubleProperty smoothing;
    private final MetricChart overlay = new MetricChart("Compare runs", "update", "loss (bits)");
    private final Map<RunsViewModel.Metric, MetricChart> more = new LinkedHashMap<>();
    private final GridPane grid = new GridPane();
    private final BooleanProperty gridMode = new SimpleBooleanProperty(this, "gridMode");
    private final TableView<ConfigDiff.Row> diffTable = new TableView<>();

    CompareView(RunsViewModel vm, CompareViewModel compare, DoubleProperty smoothing) {
        this.vm = vm;
        this.compare = compare;
        this.smoothing = smoothing;
        setId("compare-tabs");
        setTabClosingPolicy(TabClosingPolicy.UNAVAILABLE);
        getTabs().setAll(new Tab("Curves", curves()), new Tab("Config diff", configDiff()));
        overlay.smoothingProperty().bindBidirectional(smoothing);
        compare.moreMetrics().addListener((ListChangeListener<RunsViewModel.Metric>) c -> layoutGrid());
        vm.metricProperty().addListener((o, a, b) -> layoutGrid());
        compare.diffProperty().addListener((o, a, d) -> showDiff(d));
        layoutGrid();
    }

    MetricChart overlay() {
        return overlay;
    }

    /** The chart of {@code m}: the main one or a grid chart; null when it is not charted. */
    MetricChart chart(RunsViewModel.Metric m) {
        return m == vm.metricProperty().get() ? overlay : more.get(m);
    }

    TableView<ConfigDiff.Row> diffTable() {
        return diffTable;
    }

    private VBox curves() {
        ComboBox<RunsViewModel.Metric> metric = new ComboBox<>(FXCollections.observableArrayList(
                RunsViewModel.Metric.values()));
        metric.setId("compare-metric");
        metric.valueProperty().bindBidirectional(vm.metricProperty());
        CheckComboBox<RunsViewModel.Metric> moreBox = new CheckComboBox<>(FXCollections.observableArrayList(
                RunsViewModel.Metric.values()));
        moreBox.setId("compare-more-metrics");
        moreBox.setTitle("More metrics");
        moreBox.setShowCheckedCount(true);
        moreBox.setTooltip(new Tooltip("Chart further metrics of the ticked runs beside the main one, one small chart each"));
        moreBox.getCheckModel().getCheckedItems().addListener((ListChangeListener<RunsViewModel.Metric>) c ->
                compare.moreMetrics().setAll(moreBox.getCheckModel().getCheckedItems()));
        overlay.setId("compare-chart");
        // above the grid rather than on the main chart's toolbar: there they squeezed its smoothing and export
        Label metricLabel = new Label("Metric");
        // in a grid each chart's header is too narrow for a slider: the one slider moves here
        Label smoothLabel = new Label("Smoothing");
        Slider smooth = new Slider(0, 0.99, smoothing.get());
        smooth.setId("compare-smoothing");
        smooth.setPrefWidth(90);
        smoothLabel.setMinWidth(Region.USE_PREF_SIZE);
        smooth.valueProperty().bindBidirectional(smoothing);
        for (Node n : new Node[] {smoothLabel, smooth}) {
            n.visibleProperty().bind(gridMode);
            n.managedProperty().bind(gridMode);
        }
        overlay.smoothingControlsVisibleProperty().bind(gridMode.not());
        HBox pickers = new HBox(8, metricLabel, metric, moreBox, smoothLabel, smooth);
        pickers.setAlignment(Pos.CENTER_LEFT);
        for (Region r : new Region[] {metricLabel, metric, moreBox}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        grid.setId("compare-grid");
        grid.setHgap(6);
        grid.setVgap(6);
        Label hint = new Label("Tick runs in the Compare column to overlay their curves.");
        hint.getStyleClass().add("muted");
        VBox box = new VBox(6, pickers, grid, hint);
        VBox.setVgrow(grid, Priority.ALWAYS);
        box.setPadding(new Insets(6, 0, 0, 0));
        return box;
    }

    /** Main chart alone across the pane; with more metrics, two columns of equal cells. */
    private void layoutGrid() {
        List<RunsViewModel.Metric> metrics = compare.chartedMetrics();
        more.keySet().retainAll(metrics.subList(1, metrics.size()));
        List<MetricChart> charts = new ArrayList<>();
        charts.add(overlay);
        for (RunsViewModel.Metric m : metrics.subList(1, metrics.size())) {
            charts.add(more.computeIfAbsent(m, this::smallChart));
        }
        gridMode.set(charts.size() > 1);
        int cols = charts.size() == 1 ? 1 : 2;
        int rows = (charts.size() + cols - 1) / cols;
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        grid.getRowConstraints().clear();
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < charts.size(); i++) {
            // a chart's own minimum (its whole toolbar on one line) would push the second column out of the pane
            charts.get(i).setMinWidth(0);
            grid.add(charts.get(i), i % cols, i / cols);
        }
        draw();
    }

    private MetricChart smallChart(RunsViewModel.Metric m) {
        MetricChart c = new MetricChart(m.label(), "update", m.label());
        c.setId("compare-chart-" + m.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        c.smoothingProperty().bindBidirectional(smoothing);
        // the one slider above the grid sets smoothing for all: a slider on every small chart would crowd its header
        c.smoothingControlsVisibleProperty().set(false);
        return c;
    }

    /** Redraws every chart from the loaded curves of the ticked runs. */
    void draw() {
        Map<String, String> names = RunsViewModel.legendNames(vm.compared());
        List<RunsViewModel.Metric> metrics = compare.chartedMetrics();
        for (RunsViewModel.Metric m : metrics) {
            MetricChart chart = chart(m);
            chart.clear();
            chart.setAxisLabels("update", m.label());
            chart.setTitle(chart == overlay ? "Compare runs: " + m.label() : m.label());
            for (String id : vm.compared()) {
                RunsViewModel.RunCurves c = vm.curves().get(id);
                if (c == null) {
                    continue;
                }
                double[][] xy = c.points(m);
                // a run of the other kind has no such curve: leave it out rather than show an empty legend entry
                if (xy[0].length > 0) {
                    chart.setSeries(names.get(id), xy[0], xy[1]);
                }
            }
        }
    }

    private VBox configDiff() {
        diffTable.setId("config-diff");
        diffTable.setPlaceholder(new Label("No differing fields"));
        diffTable.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Label status = new Label();
        status.setId("config-diff-status");
        status.getStyleClass().add("muted");
        status.setWrapText(true);
        status.textProperty().bind(compare.diffStatusProperty());
        VBox box = new VBox(6, status, diffTable);
        VBox.setVgrow(diffTable, Priority.ALWAYS);
        box.setPadding(new Insets(6, 0, 0, 0));
        return box;
    }

    private void showDiff(ConfigDiff d) {
        diffTable.getColumns().clear();
        if (d == null) {
            diffTable.getItems().clear();
            return;
        }
        TableColumn<ConfigDiff.Row, String> field = new TableColumn<>("Field");
        field.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().field()));
        field.setPrefWidth(210);
        diffTable.getColumns().add(field);
        for (int i = 0; i < d.runs().size(); i++) {
            int run = i;
            TableColumn<ConfigDiff.Row, String> col = new TableColumn<>(d.runs().get(i));
            // a field the run does not have at all reads differently from an empty value
            col.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().values().get(run) == null ? "—"
                    : c.getValue().values().get(run)));
            col.setPrefWidth(130);
            diffTable.getColumns().add(col);
        }
        diffTable.getItems().setAll(d.rows());
    }
}
