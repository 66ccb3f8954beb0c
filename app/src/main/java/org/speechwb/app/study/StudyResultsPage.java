package org.speechwb.app.study;

import java.util.List;
import java.util.function.Function;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.controlsfx.control.SegmentedButton;
import org.speechwb.app.charts.MetricChart;

/**
 * Part 3 of the Study wizard: a table per test set (mean [min–max] over seeds) with the relative
 * reductions, then the settings chosen on validation, the validation curves of the first seed
 * and the layer probes.
 */
public final class StudyResultsPage {

    private static final double ROW = 26;

    private final BorderPane root = new BorderPane();
    private final VBox tables = new VBox(10);
    private final Label summary = new Label();
    /** A pre-training that ended at chance level: said apart from the summary, so that it is not missed. */
    private final Label warnings = new Label();
    private final TableView<StudyResults.GridRow> grid = new TableView<>();
    private final TableView<StudyResults.ProbeRow> probes = new TableView<>();
    private final MetricChart curves = new MetricChart("Validation WER", "update", "validation WER (%)");
    private final Tab probesTab;
    private final StudyViewModel vm;

    StudyResultsPage(StudyViewModel vm, Runnable openResults) {
        this.vm = vm;
        root.setId("study-results");
        summary.setId("study-summary");
        summary.setWrapText(true);
        warnings.setId("study-warnings");
        warnings.getStyleClass().add("warning-text");
        warnings.setWrapText(true);
        warnings.visibleProperty().bind(warnings.textProperty().isNotEmpty());
        warnings.managedProperty().bind(warnings.visibleProperty());
        Label message = new Label();
        message.setId("study-results-message");
        message.getStyleClass().add("error-text");
        message.setWrapText(true);
        message.textProperty().bind(vm.results().messageProperty());
        message.visibleProperty().bind(message.textProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        Button open = new Button("Open results…");
        open.setId("study-open-results-2");
        open.setMinWidth(Region.USE_PREF_SIZE);
        open.setOnAction(e -> openResults.run());
        HBox.setHgrow(summary, Priority.ALWAYS);
        summary.setMaxWidth(Double.MAX_VALUE);
        Button edit = new Button("Continue or rerun…");
        edit.setId("study-edit-settings");
        edit.setMinWidth(Region.USE_PREF_SIZE);
        edit.setTooltip(new Tooltip("Put this experiment's settings (seeds, arms, grids, pre-training seed, …) into"
                + " Settings: Start then continues it, reusing every finished stage, or reruns it with your changes"));
        edit.disableProperty().bind(vm.shownSettingsAvailableProperty().not());
        edit.setOnAction(e -> vm.editShownSettings());
        HBox head = new HBox(10, summary, edit, open);
        head.setAlignment(Pos.TOP_LEFT);
        VBox top = new VBox(6, head, warnings, message);
        top.setPadding(new Insets(0, 0, 8, 0));

        ScrollPane scroll = new ScrollPane(tables);
        scroll.setFitToWidth(true);
        tables.setPadding(new Insets(0, 8, 8, 0));
        tables.setId("study-test-tables");

        grid.setId("study-grid");
        // candidates of one arm often share a long prefix (the fourth wav2vec 2.0 one differs from the third
        // only at its end): cut settings in the middle, whole in the tooltip
        grid.getColumns().setAll(List.of(
                col("Arm", 265, StudyResults.GridRow::arm),
                elided(col("Setting", 400, StudyResults.GridRow::setting)),
                col("Judged on seeds", 130, StudyResults.GridRow::seeds),
                col("Valid WER %", 100, StudyResults.GridRow::validWer),
                col("Valid CER %", 100, StudyResults.GridRow::validCer),
                col("Chosen", 90, r -> r.chosen() ? "✓ chosen" : "")));
        grid.setPlaceholder(new Label("No grid results yet"));
        probes.setId("study-probes");
        probes.setPlaceholder(new Label("No layer probes in these results (probe updates 0, or not run yet)"));
        curves.setId("study-curves");
        curves.smoothingEnabledProperty().set(false);
        curves.setPointsVisible(true);
        // the point markers of the legend lines would otherwise touch the next item's text
        curves.chart().getLegend().setItemLabelPadding(new org.jfree.chart.ui.RectangleInsets(2, 2, 2, 14));
        if (curves.rangeAxis() instanceof org.jfree.chart.axis.NumberAxis y) {
            // error rates from 0; a flat curve (a model stuck at 100 %) would otherwise get a degenerate axis
            y.setAutoRangeIncludesZero(true);
            y.setAutoRangeMinimumSize(10);
        }

        ToggleButton wer = new ToggleButton("WER");
        ToggleButton cer = new ToggleButton("CER");
        wer.setId("study-curves-wer");
        cer.setId("study-curves-cer");
        wer.setTooltip(new Tooltip("Validation word error rate per update"));
        cer.setTooltip(new Tooltip("Validation character error rate per update: what ranks models while every WER is"
                + " 95 % or more"));
        SegmentedButton metric = new SegmentedButton(wer, cer);
        BooleanProperty showCer = vm.results().curvesShowCerProperty();
        (showCer.get() ? cer : wer).setSelected(true);
        showCer.addListener((o, a, b) -> {
            (b ? cer : wer).setSelected(true);
            drawCurves(vm.results().resultsProperty().get());
        });
        metric.getToggleGroup().selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                ((ToggleButton) a).setSelected(true); // one of the two is always shown
            } else {
                showCer.set(b == cer);
            }
        });
        curves.toolbar().controls().add(0, metric);
        TabPane tabs = new TabPane(new Tab("Validation curves", curves),
                new Tab("Settings chosen on validation", grid));
        probesTab = new Tab("Layer probes", probes);
        tabs.getTabs().add(probesTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("study-result-tabs");

        SplitPane split = new SplitPane(scroll, tabs);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        root.setTop(top);
        root.setCenter(split);
        vm.results().resultsProperty().addListener((o, a, b) -> show(b));
        show(vm.results().resultsProperty().get());
    }

    Node view() {
        return root;
    }

    public MetricChart curves() {
        return curves;
    }

    /** The first seed's validation curves, WER or CER as the view model says. */
    private void drawCurves(StudyResults r) {
        curves.clear();
        if (r == null) {
            return;
        }
        boolean cer = vm.results().curvesShowCerProperty().get();
        String metric = cer ? "CER" : "WER";
        long seed = r.curves().isEmpty() ? 1 : r.curves().get(0).seed();
        curves.setTitle("Validation " + metric + " during training, seed " + seed + " (the setting chosen per arm)");
        curves.rangeAxis().setLabel("validation " + metric + " (%)");
        for (StudyResults.Curve c : r.curves()) {
            curves.setSeries(c.title(), c.updates(), cer ? c.cer() : c.wer());
        }
    }

    private void show(StudyResults r) {
        tables.getChildren().clear();
        curves.clear();
        if (r == null) {
            summary.setText("No results yet: start an experiment, or open an experiment folder.");
            warnings.setText("");
            grid.getItems().clear();
            probes.getItems().clear();
            return;
        }
        summary.setText(r.folder() + "\n" + r.summary());
        warnings.setText(r.warnings().stream().map(w -> "Warning: " + w).collect(java.util.stream.Collectors.joining("\n")));
        tables.getChildren().add(new Label("Error rates in %, mean over seeds [min–max]; relative reduction ="
                + " (baseline − model) / baseline, positive is better."));
        tables.getChildren().get(0).getStyleClass().add("muted");
        for (StudyResults.TestSetTable t : r.testSets()) {
            Label title = new Label(t.title());
            title.getStyleClass().add("section-title");
            TableView<StudyResults.ArmRow> table = new TableView<>(FXCollections.observableArrayList(t.rows()));
            table.setId("study-table-" + t.name());
            table.getColumns().setAll(List.of(
                    col("Arm", 260, StudyResults.ArmRow::title),
                    col("Greedy WER", 165, StudyResults.ArmRow::greedyWer),
                    col("Greedy CER", 165, StudyResults.ArmRow::greedyCer),
                    col("LM WER", 165, StudyResults.ArmRow::lmWer),
                    col("LM CER", 165, StudyResults.ArmRow::lmCer)));
            fit(table, t.rows().size());
            tables.getChildren().addAll(title, table);
            if (!t.reductions().isEmpty()) {
                TableView<StudyResults.Reduction> red = new TableView<>(FXCollections.observableArrayList(t.reductions()));
                red.setId("study-reductions-" + t.name());
                // narrow enough to fit beside the arm table's columns at 1280 px; the header's tooltip says the rest
                TableColumn<StudyResults.Reduction, String> seeds = col("", 140, StudyResults.Reduction::seeds);
                Label seedsHeader = new Label("Compared on");
                seedsHeader.setTooltip(new Tooltip("The seeds both arms have scored. While an experiment runs, one arm"
                        + " may have scored a seed the other has not: only the shared seeds are compared, marked"
                        + " \"so far\"."));
                seeds.setGraphic(seedsHeader);
                red.getColumns().setAll(List.of(
                        col("Relative reduction", 260, StudyResults.Reduction::title),
                        col("Greedy WER", 165, StudyResults.Reduction::greedyWer),
                        col("Greedy CER", 165, StudyResults.Reduction::greedyCer),
                        col("LM WER", 165, StudyResults.Reduction::lmWer),
                        col("LM CER", 165, StudyResults.Reduction::lmCer), seeds));
                fit(red, t.reductions().size());
                tables.getChildren().add(red);
            }
        }
        if (r.testSets().isEmpty()) {
            tables.getChildren().add(new Label("No test results yet."));
        }
        grid.getItems().setAll(r.grid());
        drawCurves(r);
        probes.getColumns().clear();
        probes.getColumns().add(col("Representation", 220, StudyResults.ProbeRow::layer));
        for (int i = 0; i < r.probeModels().size(); i++) {
            int k = i;
            // "pre-training seed 1: checkpoint-00005000.ckpt (update 5000)" on two lines: a wrapping header
            // label would not make the header row taller, explicit lines do
            probes.getColumns().add(col(r.probeModels().get(i).replace(": ", ":\n") + "\nCER %", 330,
                    p -> p.cer().get(k)));
        }
        probes.getItems().setAll(r.probes());
        probesTab.setText(r.probes().isEmpty() ? "Layer probes (none)" : "Layer probes");
    }

    private static void fit(TableView<?> t, int rows) {
        t.setFixedCellSize(ROW);
        double h = ROW * (rows + 1) + 6;
        t.setPrefHeight(h);
        t.setMinHeight(h);
        t.setMaxHeight(h);
        t.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
    }

    /** Cells cut in the middle rather than at the end, with the whole text as a tooltip. */
    private static <T> TableColumn<T, String> elided(TableColumn<T, String> c) {
        c.setCellFactory(x -> new TableCell<>() {
            {
                setTextOverrun(OverrunStyle.CENTER_WORD_ELLIPSIS);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        });
        return c;
    }

    private static <T> TableColumn<T, String> col(String title, double width, Function<T, String> f) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }
}
