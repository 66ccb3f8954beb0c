package org.speechwb.app.runs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.jfree.chart.plot.ValueMarker;
import org.speechwb.app.Screens;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.training.TrainingView;
import org.speechwb.engine.interop.logs.ExternalRunLogs;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/** A window with the live curves of a run made elsewhere; closing it stops following the files. */
final class ExternalRunWindow {

    private record Curve(String title, String unit, ToDoubleFunction<UpdateMetrics> value) {
    }

    private static final List<Curve> CURVES = List.of(
            new Curve("Loss", "bits", UpdateMetrics::loss),
            new Curve("Contrastive loss", "bits", UpdateMetrics::contrastive),
            new Curve("Accuracy", "fraction", UpdateMetrics::accuracy),
            new Curve("Code perplexity", "codes", UpdateMetrics::codePerplexity),
            new Curve("Prob perplexity", "codes", UpdateMetrics::probPerplexity),
            new Curve("Gumbel temperature", "τ", UpdateMetrics::temperature),
            new Curve("Learning rate", "lr", UpdateMetrics::lr),
            new Curve("Gradient norm", "‖g‖", UpdateMetrics::gradNorm));

    private final Stage stage = new Stage();
    private final Map<String, MetricChart> charts = new LinkedHashMap<>();
    private final GridPane grid = new GridPane();
    private ValueMarker chanceMarker;

    ExternalRunWindow(ExternalRunViewModel vm, Path source, Window owner) {
        stage.initOwner(owner);
        stage.setTitle("External run: " + source);
        for (Curve c : CURVES) {
            charts.put(c.title(), chart(c.title(), c.unit()));
        }
        charts.put("Validation WER", chart("Validation WER", "WER"));
        Label status = new Label();
        status.setId("external-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        Label health = new Label();
        health.setId("external-health");
        health.setWrapText(true);
        // without this the VBox squeezes the label to one line and cuts the warning off
        health.setMinHeight(Region.USE_PREF_SIZE);
        vm.healthProperty().addListener((o, a, h) -> {
            health.setText(h.text());
            health.getStyleClass().remove("warning-text");
            if (h.warning()) {
                health.getStyleClass().add("warning-text");
            }
            chanceLine(h.chanceBits());
        });
        grid.setHgap(8);
        grid.setVgap(8);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        VBox root = new VBox(8, status, health, scroll);
        root.setPadding(new Insets(10));
        VBox.setVgrow(scroll, Priority.ALWAYS);
        Scene scene = new Scene(root, 1100, 760);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        vm.logsProperty().addListener((o, a, r) -> show(r));
        stage.setOnHidden(e -> vm.close());
    }

    /** The chance level on the contrastive chart, as on the Training screen; none while it is unknown. */
    private void chanceLine(double bits) {
        chanceMarker = TrainingView.replaceLine(charts.get("Contrastive loss"), chanceMarker, bits,
                String.format(Locale.ROOT, "chance: log2(K+1) = %.2f bits", bits));
    }

    /** The chance line, or null; for tests. */
    ValueMarker chanceMarker() {
        return chanceMarker;
    }

    private static MetricChart chart(String title, String unit) {
        MetricChart m = new MetricChart(title, "update", unit);
        m.setPrefSize(520, 240);
        return m;
    }

    /** Charts with data, two per row; the others are left out rather than drawn empty. */
    private void show(ExternalRunLogs.Result r) {
        List<UpdateMetrics> u = r.updates();
        List<MetricChart> shown = new ArrayList<>();
        for (Curve c : CURVES) {
            List<double[]> pts = new ArrayList<>();
            for (UpdateMetrics m : u) {
                double y = c.value().applyAsDouble(m);
                if (Double.isFinite(y)) {
                    pts.add(new double[] {m.update(), y});
                }
            }
            if (set(charts.get(c.title()), pts)) {
                shown.add(charts.get(c.title()));
            }
        }
        List<double[]> wer = new ArrayList<>();
        for (ValidationResult v : r.validations()) {
            if (Double.isFinite(v.wer())) {
                wer.add(new double[] {v.update(), v.wer()});
            }
        }
        if (set(charts.get("Validation WER"), wer)) {
            shown.add(charts.get("Validation WER"));
        }
        grid.getChildren().clear();
        for (int i = 0; i < shown.size(); i++) {
            grid.add(shown.get(i), i % 2, i / 2);
            GridPane.setHgrow(shown.get(i), Priority.ALWAYS);
        }
    }

    private static boolean set(MetricChart chart, List<double[]> pts) {
        if (pts.isEmpty()) {
            return false;
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        chart.setSeries("run", x, y);
        return true;
    }

    /** The charts by title, for tests. */
    Map<String, MetricChart> charts() {
        return charts;
    }

    Stage stage() {
        return stage;
    }

    void show() {
        stage.show();
    }
}
