package org.speechwb.app.codebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import org.speechwb.app.charts.AppendOrRebuild;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * The Codebook screen's view: perplexities against their maximum G·V, and for every group the
 * sorted usage histogram next to the usage heatmap over training time. Usage pictures are
 * redrawn at most four times a second (the data changes per window of ten updates anyway).
 */
public final class CodebookView extends BorderPane {

    static final String CODE = "code perplexity";
    static final String PROB = "prob. perplexity";
    /** Drawn as a series rather than a marker so that the axis always includes it. */
    static final String MAX = "maximum G·V";

    private final CodebookViewModel vm;
    private final MetricChart perplexity = new MetricChart("Perplexity", "update", "perplexity");
    private final VBox groups = new VBox(10);
    private final List<UsageHistogram> histograms = new ArrayList<>();
    private final List<UsageHeatmap> heatmaps = new ArrayList<>();
    private final CheckBox sortRows = new CheckBox("Heatmap rows sorted by usage");
    private final RadioButton sinceStart = new RadioButton("since start");
    private final RadioButton latest = new RadioButton("latest window");
    private final PauseTransition redrawLater = new PauseTransition(Duration.millis(250));
    private boolean redrawPending;

    public CodebookView(CodebookViewModel vm) {
        this.vm = vm;
        setPadding(new Insets(12));
        setTop(buildHeader());
        perplexity.setId("codebook-perplexity");
        perplexity.runNameProperty().bind(vm.runTitleProperty());
        perplexity.getStyleClass().add("card");
        perplexity.setPrefHeight(260);
        perplexity.setMinHeight(220);
        groups.setId("codebook-groups");
        // a run without a codebook shows only the summary that says so
        perplexity.visibleProperty().bind(vm.hasCodebookProperty());
        perplexity.managedProperty().bind(perplexity.visibleProperty());
        groups.visibleProperty().bind(vm.hasCodebookProperty());
        groups.managedProperty().bind(groups.visibleProperty());
        VBox body = new VBox(10, perplexity, groups);
        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.setStyle("-fx-background-color: transparent; -fx-background: #f4f6f9;");
        setCenter(scroll);

        AppendOrRebuild.watch(vm.metrics(), this::append, this::resetChart);
        vm.maxPerplexityProperty().addListener((o, a, b) -> updateMaxLine(b.doubleValue()));
        vm.usageProperty().addListener((o, a, b) -> rebuildGroups());
        vm.usageRevisionProperty().addListener((o, a, b) -> scheduleRedraw());
        redrawLater.setOnFinished(e -> {
            redrawPending = false;
            redrawUsage();
        });
        sortRows.selectedProperty().addListener((o, a, b) -> redrawUsage());
        ToggleGroup t = new ToggleGroup();
        sinceStart.setToggleGroup(t);
        latest.setToggleGroup(t);
        sinceStart.setSelected(true);
        t.selectedToggleProperty().addListener((o, a, b) -> redrawUsage());
        resetChart();
        rebuildGroups();
    }

    public MetricChart perplexityChart() {
        return perplexity;
    }

    public List<UsageHistogram> histograms() {
        return histograms;
    }

    public List<UsageHeatmap> heatmaps() {
        return heatmaps;
    }

    /** The maximum perplexity line's value, NaN before the config is known. */
    public double maxLine() {
        return vm.maxPerplexityProperty().get();
    }

    private Region buildHeader() {
        Label title = new Label("Codebook");
        title.getStyleClass().add("screen-title");
        Label run = new Label();
        run.textProperty().bind(vm.runTitleProperty());
        run.getStyleClass().add("section-title");
        Label summary = new Label();
        summary.setId("codebook-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setStyle("-fx-text-fill: #4a5868;");
        Label error = new Label();
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setStyle("-fx-background-color: #fdecea; -fx-text-fill: #b71c1c; -fx-padding: 6 10;");
        error.setMaxWidth(Double.MAX_VALUE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        // the usage controls act on the histograms and heatmaps, which a run without a codebook lacks
        HBox usageControls = new HBox(10, new Label("Histogram:"), sinceStart, latest, sortRows);
        usageControls.setId("codebook-usage-controls");
        usageControls.setAlignment(Pos.CENTER_LEFT);
        usageControls.visibleProperty().bind(vm.hasCodebookProperty());
        usageControls.managedProperty().bind(usageControls.visibleProperty());
        HBox row = new HBox(10, title, run, grow, usageControls);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, row, summary, error);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private void resetChart() {
        perplexity.clear();
        append(vm.metrics());
    }

    private void append(List<? extends UpdateMetrics> batch) {
        double[] x = new double[batch.size()];
        double[] code = new double[batch.size()];
        double[] prob = new double[batch.size()];
        int n = 0;
        for (UpdateMetrics m : batch) {
            if (!m.skipped() && Double.isFinite(m.codePerplexity()) && Double.isFinite(m.probPerplexity())) {
                x[n] = m.update();
                code[n] = m.codePerplexity();
                prob[n] = m.probPerplexity();
                n++;
            }
        }
        // both series exist even when empty, so their colours never swap
        perplexity.appendAll(CODE, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(code, n));
        perplexity.appendAll(PROB, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(prob, n));
        updateMaxLine(vm.maxPerplexityProperty().get());
    }

    private void updateMaxLine(double max) {
        List<UpdateMetrics> m = vm.metrics();
        if (!Double.isFinite(max) || m.isEmpty()) {
            perplexity.removeSeries(MAX);
            return;
        }
        double first = m.get(0).update();
        double last = Math.max(first + 1, m.get(m.size() - 1).update());
        perplexity.setSeries(MAX, new double[] {first, last}, new double[] {max, max});
    }

    private void rebuildGroups() {
        groups.getChildren().clear();
        histograms.clear();
        heatmaps.clear();
        CodebookUsageModel m = vm.usageProperty().get();
        int g = m == null ? 0 : m.groups();
        for (int i = 0; i < g; i++) {
            UsageHistogram h = new UsageHistogram();
            h.setId("codebook-histogram-" + (i + 1));
            UsageHeatmap map = new UsageHeatmap();
            map.setId("codebook-heatmap-" + (i + 1));
            HBox row = new HBox(10, h, map);
            HBox.setHgrow(map, Priority.ALWAYS);
            h.setPrefWidth(380);
            h.setPrefHeight(200);
            map.setPrefHeight(200);
            row.getStyleClass().add("card");
            histograms.add(h);
            heatmaps.add(map);
            groups.getChildren().add(row);
        }
        if (g == 0) {
            Label none = new Label("Code usage appears here once a run has trained (or a run with code usage is"
                    + " chosen on the Runs screen).");
            none.setStyle("-fx-text-fill: #6b7785;");
            groups.getChildren().add(none);
        }
        redrawUsage();
    }

    private void scheduleRedraw() {
        if (!redrawPending) {
            redrawPending = true;
            redrawLater.playFromStart();
        }
    }

    /** Redraws histograms and heatmaps now (also used by tests and snapshots). */
    public void redrawUsage() {
        CodebookUsageModel m = vm.usageProperty().get();
        if (m == null) {
            return;
        }
        for (int g = 0; g < histograms.size(); g++) {
            boolean recent = latest.isSelected();
            double[] shares = m.isEmpty() ? new double[0] : recent ? m.sortedLatestShares(g) : m.sortedShares(g);
            String head = String.format(Locale.ROOT, "Group %d · %s · %d of %d entries ever used (%.1f %%)", g + 1,
                    recent ? "latest window" : "since start", m.usedEntries(g), m.entries(), 100 * m.usedShare(g));
            histograms.get(g).setData(shares, head);
            heatmaps.get(g).setData(m, g, sortRows.isSelected(), String.format(Locale.ROOT,
                    "Group %d · usage over training: share of each window's masked frames per entry (√ colour scale)", g + 1));
        }
    }
}
