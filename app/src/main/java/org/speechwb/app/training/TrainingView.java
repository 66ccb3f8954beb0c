package org.speechwb.app.training;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.speechwb.app.handoff.HandoffDialog;
import org.speechwb.app.charts.AppendOrRebuild;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * The Training screen's view: run controls and progress on top, a warning banner that stays
 * until dismissed, eight live curves in the middle (four for a CTC fine-tuning run: CTC loss,
 * learning rate, gradient norm, validation WER/CER), warnings and checkpoints on the right.
 * Charts are fed from the view model's metrics list; MetricChart itself redraws at ≤ 20 Hz
 * however often points arrive.
 */
public final class TrainingView extends BorderPane {

    /** One chart: title, y label, value of an update, whether smoothing makes sense. */
    private record Curve(String key, String title, String yLabel, ToDoubleFunction<UpdateMetrics> value,
                         boolean smooth) {
    }

    static final List<Curve> CURVES = List.of(
            new Curve("loss", "Total loss", "bits", UpdateMetrics::loss, true),
            new Curve("contrastive", "Contrastive loss", "bits", UpdateMetrics::contrastive, true),
            new Curve("diversity", "Diversity loss", "1 − prob. ppl / G·V", UpdateMetrics::diversity, true),
            new Curve("penalty", "Feature penalty", "mean squared feature", UpdateMetrics::penalty, true),
            new Curve("accuracy", "Accuracy (masked frames)", "share right", UpdateMetrics::accuracy, true),
            new Curve("lr", "Learning rate", "lr", UpdateMetrics::lr, false),
            new Curve("temperature", "Gumbel temperature", "τ", UpdateMetrics::temperature, false),
            new Curve("gradNorm", "Gradient norm (before clipping)", "L2 norm", UpdateMetrics::gradNorm, true));

    /** wav2vec 1.0 / vq-wav2vec charts with one value per update (the per-step charts are built apart). */
    static final List<Curve> W1_CURVES = List.of(
            new Curve("w1-contrastive", "Contrastive loss (all steps)", "bits per target", UpdateMetrics::contrastive, true),
            new Curve("w1-accuracy", "Accuracy (all steps)", "share above every distractor", UpdateMetrics::accuracy,
                    true),
            new Curve("w1-lr", "Learning rate", "lr", UpdateMetrics::lr, false),
            new Curve("w1-gradNorm", "Gradient norm (before clipping)", "L2 norm", UpdateMetrics::gradNorm, true),
            new Curve("w1-quantizer", "Quantizer loss", "loss", UpdateMetrics::quantizerLoss, true),
            new Curve("w1-temperature", "Gumbel temperature", "τ", UpdateMetrics::temperature, false));
    /** The per-prediction-step charts and the perplexity chart of vq-wav2vec. */
    public static final String STEP_ACCURACY = "w1-stepAccuracy";
    public static final String STEP_LOSS = "w1-stepLoss";
    public static final String PERPLEXITY = "w1-perplexity";

    /** A fine-tuning chart: title, y label, value of an update. */
    private record FtCurve(String key, String title, String yLabel, ToDoubleFunction<FinetuneMetrics> value,
                           boolean smooth) {
    }

    static final List<FtCurve> FT_CURVES = List.of(
            new FtCurve("ctc", "CTC loss", "nats per utterance", FinetuneMetrics::loss, true),
            new FtCurve("ft-lr", "Learning rate", "lr", FinetuneMetrics::lr, false),
            new FtCurve("ft-gradNorm", "Gradient norm (before clipping)", "L2 norm", FinetuneMetrics::gradNorm, true));
    /** The validation chart and its two series. */
    public static final String VALIDATION = "validation";
    public static final String WER = "WER %";
    public static final String CER = "CER %";

    private final TrainingViewModel vm;
    private final ShownRun shown;
    private final Map<String, MetricChart> charts = new LinkedHashMap<>();
    private final GridPane pretrainGridPane = new GridPane();
    private final Map<String, MetricChart> ftCharts = new LinkedHashMap<>();
    private final Map<String, MetricChart> w1Charts = new LinkedHashMap<>();
    private final GridPane w1GridPane = new GridPane();
    private Region w1Grid;
    private ValueMarker w1ChanceMarker;
    private ValueMarker w1ClipMarker;
    private Region pretrainGrid;
    private Region finetuneGrid;
    private ValueMarker freezeMarker;
    private ValueMarker ftClipMarker;
    private final DoubleProperty smoothing;
    /** One x-axis choice for every chart of the screen, as TensorBoard's. */
    private final ObjectProperty<MetricChart.XAxis> xAxis = new SimpleObjectProperty<>(MetricChart.XAxis.UPDATE);
    private final RunClock clock = new RunClock();
    private final RunClock ftClock = new RunClock();
    private ValueMarker chanceMarker;
    private ValueMarker clipMarker;

    public TrainingView(TrainingViewModel vm) {
        this.vm = vm;
        this.shown = vm.shown();
        this.smoothing = vm.chartSmoothingProperty();
        getStyleClass().add("training-view");
        setPadding(new Insets(12));
        setTop(buildHeader());
        pretrainGrid = buildCharts();
        finetuneGrid = buildFinetuneCharts();
        w1Grid = buildWav2Vec1Charts();
        chooseGrid();
        shown.finetuneProperty().addListener((o, a, b) -> chooseGrid());
        shown.familyProperty().addListener((o, a, b) -> chooseGrid());
        shown.gumbelProperty().addListener((o, a, b) -> layoutWav2Vec1Charts());
        shown.clusterTargetsProperty().addListener((o, a, b) -> {
            layoutPretrainCharts();
            updateChanceLine(shown.chanceLevelProperty().get());
        });
        setRight(buildSidePanel());
        AppendOrRebuild.watch(shown.metrics(), this::append, this::rebuildCharts);
        AppendOrRebuild.watch(shown.finetuneMetrics(), this::appendFinetune, this::rebuildFinetuneCharts);
        AppendOrRebuild.watch(shown.validations(), this::appendValidations, this::rebuildValidations);
        shown.chanceLevelProperty().addListener((o, a, b) -> updateChanceLine(b.doubleValue()));
        shown.clipNormProperty().addListener((o, a, b) -> updateClipLine(b.doubleValue()));
        shown.freezeUpdatesProperty().addListener((o, a, b) -> updateFreezeLine(b.intValue()));
        rebuildCharts();
        rebuildFinetuneCharts();
    }

    /** The chart grid for the shown run: fine-tuning, wav2vec 1.0 / vq-wav2vec, or wav2vec 2.0. */
    private void chooseGrid() {
        String f = shown.familyProperty().get();
        boolean w1 = f.equals(org.speechwb.engine.config.PretrainConfig.WAV2VEC1)
                || f.equals(org.speechwb.engine.config.PretrainConfig.VQ_WAV2VEC);
        if (w1) {
            layoutWav2Vec1Charts();
        }
        setCenter(shown.finetuneProperty().get() ? finetuneGrid : w1 ? w1Grid : pretrainGrid);
    }

    /** A wav2vec 1.0 chart: a key of {@link #W1_CURVES}, {@link #STEP_ACCURACY}, {@link #STEP_LOSS} or {@link #PERPLEXITY}. */
    public MetricChart wav2vec1Chart(String key) {
        return w1Charts.get(key);
    }

    /** The wav2vec 1.0 charts on screen now (vq-wav2vec adds perplexity, quantizer loss and, for Gumbel, τ). */
    public List<String> shownWav2Vec1Charts() {
        return keysShown(w1GridPane, w1Charts);
    }

    /** The keys, in {@code charts}, of the charts {@code grid} holds now, in its order. */
    private static List<String> keysShown(GridPane grid, Map<String, MetricChart> charts) {
        return grid.getChildren().stream().map(n -> charts.entrySet().stream()
                .filter(e -> e.getValue() == n).map(Map.Entry::getKey).findFirst().orElse("")).toList();
    }

    /** The chance-level line on the wav2vec 1.0 contrastive chart, or null before the config is known. */
    public ValueMarker wav2vec1ChanceMarker() {
        return w1ChanceMarker;
    }

    /** A fine-tuning chart: "ctc", "ft-lr", "ft-gradNorm" or {@link #VALIDATION}. */
    public MetricChart finetuneChart(String key) {
        return ftCharts.get(key);
    }

    public Map<String, MetricChart> finetuneCharts() {
        return ftCharts;
    }

    /** The line where the fine-tuning run switches from the CTC head alone to the full model, or null. */
    public ValueMarker freezeMarker() {
        return freezeMarker;
    }

    /** The chart of a curve key ("loss", "contrastive", "diversity", …). */
    public MetricChart chart(String key) {
        return charts.get(key);
    }

    public Map<String, MetricChart> charts() {
        return charts;
    }

    /** The chance-level line on the contrastive chart, or null before the config is known. */
    public ValueMarker chanceMarker() {
        return chanceMarker;
    }

    private Region buildHeader() {
        Label title = new Label("Training");
        title.getStyleClass().add("screen-title");
        Label run = new Label();
        run.setId("training-run");
        run.textProperty().bind(shown.runTitleProperty());
        run.getStyleClass().add("section-title");
        Label state = new Label();
        state.setId("training-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> shown.stateProperty().get() == null ? ""
                : shown.stateProperty().get().name(), shown.stateProperty()));
        state.getStyleClass().add("state-chip");
        state.styleProperty().bind(Bindings.createStringBinding(() -> "-fx-background-color: "
                + stateColour(shown.stateProperty().get()) + "; -fx-text-fill: white; -fx-padding: 2 8;"
                + " -fx-background-radius: 10; -fx-font-weight: bold;", shown.stateProperty()));
        Label message = new Label();
        message.setId("training-message");
        message.textProperty().bind(shown.stateMessageProperty());

        Button start = new Button();
        start.setId("training-start");
        start.textProperty().bind(vm.startLabelProperty());
        start.disableProperty().bind(vm.canStartProperty().not());
        start.setOnAction(e -> vm.start());
        start.getStyleClass().add("accent");
        Tooltip startTip = new Tooltip();
        startTip.textProperty().bind(Bindings.createStringBinding(() -> vm.startBlockedProperty().get().isEmpty()
                ? "Resume the shown stopped run, or start a new run of the Experiment screen's config"
                : vm.startBlockedProperty().get(), vm.startBlockedProperty()));
        start.setTooltip(startTip);
        // one button pauses and resumes a live run: beside "Resume run" (going on from a stopped
        // run's checkpoint) a second, disabled "Resume" only made people wonder which one to press
        Button pause = new Button();
        pause.setId("training-pause");
        pause.textProperty().bind(Bindings.when(vm.canResumeProperty()).then("Resume").otherwise("Pause"));
        pause.setMinWidth(Region.USE_PREF_SIZE);
        pause.disableProperty().bind(vm.canPauseProperty().not().and(vm.canResumeProperty().not()));
        pause.setOnAction(e -> {
            if (vm.canResumeProperty().get()) {
                vm.resume();
            } else {
                vm.pause();
            }
        });
        Tooltip pauseTip = new Tooltip();
        pauseTip.textProperty().bind(Bindings.when(vm.canResumeProperty())
                .then("Go on training from where the run was held")
                .otherwise("Hold the run after the current update (memory stays allocated)"));
        pause.setTooltip(pauseTip);
        Button stop = new Button("Stop");
        stop.setId("training-stop");
        stop.disableProperty().bind(vm.canStopProperty().not());
        stop.setOnAction(e -> vm.stop());
        stop.setTooltip(new Tooltip("Stop after the current update; a checkpoint is written so the run can be resumed"));
        Button toLive = new Button("Show live run");
        toLive.setId("training-show-live");
        toLive.setOnAction(e -> vm.focus().showLive());
        toLive.visibleProperty().bind(shown.liveProperty().not());
        toLive.managedProperty().bind(toLive.visibleProperty());
        Label blocked = new Label();
        blocked.textProperty().bind(vm.startBlockedProperty());
        blocked.getStyleClass().add("muted");
        blocked.setStyle("-fx-text-fill: #6b7785;");

        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        // the buttons and the run keep their width; the state message and the reason Start is
        // blocked go to the lines below, which have room or wrap (at 1280 px all of it was cut)
        for (Region r : List.of(title, state, start, pause, stop, toLive, run)) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        message.setMinWidth(Region.USE_PREF_SIZE);
        blocked.setWrapText(true);
        blocked.setMinWidth(0);
        blocked.setMaxWidth(Double.MAX_VALUE);
        blocked.setMinHeight(Region.USE_PREF_SIZE);
        blocked.visibleProperty().bind(vm.startBlockedProperty().isNotEmpty());
        blocked.managedProperty().bind(blocked.visibleProperty());
        HBox row1 = new HBox(10, title, run, state, grow, start, pause, stop, toLive);
        row1.setAlignment(Pos.CENTER_LEFT);

        ProgressBar bar = new ProgressBar();
        bar.setId("training-progress");
        bar.progressProperty().bind(shown.progressProperty());
        bar.setPrefWidth(360);
        // the bar gives way first: the progress text and the chart controls keep their full width
        bar.setMinWidth(100);
        Label progress = new Label();
        progress.setId("training-progress-text");
        progress.textProperty().bind(shown.progressTextProperty());
        progress.setMinWidth(Region.USE_PREF_SIZE);
        Label details = new Label();
        details.setId("training-details");
        details.textProperty().bind(shown.detailsProperty());
        details.setStyle("-fx-text-fill: #6b7785;");
        details.setWrapText(true);
        details.setMinWidth(0);
        details.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(details, Priority.ALWAYS);
        Region grow2 = new Region();
        HBox.setHgrow(grow2, Priority.ALWAYS);
        Slider slider = new Slider(0, 0.99, smoothing.get());
        slider.setId("training-smoothing");
        slider.valueProperty().bindBidirectional(smoothing);
        slider.setPrefWidth(140);
        slider.setMinWidth(80);
        Label sv = new Label();
        sv.textProperty().bind(smoothing.asString(Locale.ROOT, "%.2f"));
        sv.setMinWidth(Region.USE_PREF_SIZE);
        Label sl = new Label("Smoothing (all charts)");
        sl.setMinWidth(Region.USE_PREF_SIZE);
        sl.setTooltip(new Tooltip("Also smooths the Codebook and Runs charts; remembered between launches"));
        HBox row2 = new HBox(10, bar, progress, message, grow2, sl, slider, sv);
        row2.setAlignment(Pos.CENTER_LEFT);
        Label xl = new Label("x axis");
        xl.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<MetricChart.XAxis> xChoice = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(
                MetricChart.XAxis.values()));
        xChoice.setId("training-x-axis");
        xChoice.valueProperty().bindBidirectional(xAxis);
        xChoice.setMinWidth(Region.USE_PREF_SIZE);
        xChoice.setTooltip(new Tooltip("Plot every chart against the update, the wall time since the run started,"
                + " or the hours of audio the run has seen"));
        details.setMinHeight(Region.USE_PREF_SIZE);
        VBox notes = new VBox(2, details, blocked);
        notes.setMinWidth(0);
        HBox.setHgrow(notes, Priority.ALWAYS);
        HBox row3 = new HBox(10, notes, xl, xChoice);
        row3.setAlignment(Pos.CENTER_LEFT);

        Label error = new Label();
        error.setId("training-error");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        error.setStyle("-fx-background-color: #fdecea; -fx-text-fill: #b71c1c; -fx-padding: 6 10;");

        Label stage = new Label();
        stage.setId("training-stage");
        stage.textProperty().bind(shown.stageProperty());
        stage.setStyle("-fx-background-color: #e3f2fd; -fx-text-fill: #0d47a1; -fx-padding: 2 8;"
                + " -fx-background-radius: 10;");
        stage.visibleProperty().bind(shown.stageProperty().isNotEmpty());
        stage.managedProperty().bind(stage.visibleProperty());
        Label validation = new Label();
        validation.setId("training-validation");
        validation.textProperty().bind(shown.validationSummaryProperty());
        HBox ftInfo = new HBox(10, stage, validation);
        ftInfo.setAlignment(Pos.CENTER_LEFT);
        ftInfo.visibleProperty().bind(shown.finetuneProperty());
        ftInfo.managedProperty().bind(ftInfo.visibleProperty());

        VBox box = new VBox(8, row1, row2, row3, ftInfo, buildFinetuneLauncher(), error, buildBanner());
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    /** Start a CTC fine-tuning run: from which pre-trained checkpoint, with which preset or file. */
    private Region buildFinetuneLauncher() {
        Label label = new Label("CTC fine-tuning from");
        label.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<TrainingViewModel.PretrainedChoice> from = new ComboBox<>(vm.pretrainedChoices());
        from.setId("finetune-from");
        from.valueProperty().bindBidirectional(vm.pretrainedProperty());
        from.setPrefWidth(300);
        from.setTooltip(new Tooltip("The newest checkpoint of a pre-training run (its architecture is taken over),"
                + " or random initialisation as the baseline"));
        Label with = new Label("preset");
        with.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<String> preset = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(
                Presets.FINETUNE.stream().map(p -> p[0]).toList()));
        preset.setId("finetune-config");
        preset.setEditable(true);
        preset.setPrefWidth(220);
        preset.valueProperty().bindBidirectional(vm.finetuneConfigProperty());
        preset.setTooltip(new Tooltip("A fine-tuning preset, or the path of a YAML config file"));
        Button go = new Button("Start fine-tuning");
        go.setId("finetune-start");
        go.disableProperty().bind(vm.canFinetuneProperty().not());
        go.setOnAction(e -> vm.startFinetune());
        go.setMinWidth(Region.USE_PREF_SIZE);
        Tooltip goTip = new Tooltip();
        goTip.textProperty().bind(Bindings.createStringBinding(() -> vm.finetuneBlockedProperty().get().isEmpty()
                ? "Fine-tune on the Datasets screen's training split, validating on its validation split"
                : vm.finetuneBlockedProperty().get(), vm.finetuneBlockedProperty()));
        go.setTooltip(goTip);
        Button handOff = new Button("Hand off…");
        handOff.setId("finetune-handoff");
        handOff.setMinWidth(Region.USE_PREF_SIZE);
        handOff.setTooltip(new Tooltip("Write this fine-tuning (data, preset, the pre-trained checkpoint) for fairseq"
                + " or transformers, to train on a cluster"));
        handOff.setOnAction(e -> new HandoffDialog(vm.finetuneHandoff(), getScene() == null ? null
                : getScene().getWindow()).show());
        HBox row = new HBox(8, label, from, with, preset, go, handOff);
        row.setId("finetune-launcher");
        row.setAlignment(Pos.CENTER_LEFT);
        row.setStyle("-fx-background-color: #f7f9fc; -fx-border-color: #dde3ea; -fx-border-radius: 4;"
                + " -fx-background-radius: 4; -fx-padding: 4 8;");
        return row;
    }

    private Region buildFinetuneCharts() {
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints(0, 300, Double.MAX_VALUE);
            cc.setHgrow(Priority.ALWAYS);
            cc.setFillWidth(true);
            grid.getColumnConstraints().add(cc);
        }
        int i = 0;
        for (FtCurve c : FT_CURVES) {
            MetricChart chart = chartCard(c.title(), c.yLabel(), c.smooth());
            chart.setId("chart-" + c.key());
            ftCharts.put(c.key(), chart);
            grid.add(chart, i % 2, i / 2);
            i++;
        }
        MetricChart val = chartCard("Validation (greedy decoding)", "error rate (%)", false);
        val.setId("chart-" + VALIDATION);
        val.setLegendVisible(true);
        val.setPointsVisible(true);
        ftCharts.put(VALIDATION, val);
        grid.add(val, i % 2, i / 2);
        for (MetricChart chart : ftCharts.values()) {
            chart.setPrefHeight(300);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setStyle("-fx-background-color: transparent; -fx-background: #f4f6f9;");
        return scroll;
    }

    private MetricChart chartCard(String title, String yLabel, boolean smooth) {
        MetricChart chart = shared(new MetricChart(title, "update", yLabel));
        chart.setLegendVisible(false);
        chart.smoothingEnabledProperty().set(smooth);
        if (smooth) {
            chart.smoothingProperty().bindBidirectional(smoothing);
        }
        chart.smoothingControlsVisibleProperty().set(false);
        chart.setMinHeight(210);
        chart.setMinWidth(0);
        chart.setPrefHeight(240);
        chart.getStyleClass().add("card");
        return chart;
    }

    private void rebuildValidations() {
        ftCharts.get(VALIDATION).clear();
        appendValidations(shown.validations());
    }

    private void rebuildFinetuneCharts() {
        ftClock.clear();
        for (MetricChart chart : ftCharts.values()) {
            chart.clear();
        }
        appendFinetune(shown.finetuneMetrics());
        appendValidations(shown.validations());
    }

    private void appendFinetune(List<? extends FinetuneMetrics> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (FinetuneMetrics m : batch) {
            ftClock.record(m.update(), m.elapsedSeconds(), m.audioSecondsPerSecond(), m.seconds());
        }
        for (FtCurve c : FT_CURVES) {
            double[] x = new double[batch.size()];
            double[] y = new double[batch.size()];
            int n = 0;
            for (FinetuneMetrics m : batch) {
                double v = c.value().applyAsDouble(m);
                if (!m.skipped() && Double.isFinite(v)) {
                    x[n] = m.update();
                    y[n] = v;
                    n++;
                }
            }
            add(ftClock, ftCharts.get(c.key()), c.key(), java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
        }
    }

    private void appendValidations(List<? extends ValidationResult> batch) {
        if (batch.isEmpty()) {
            return;
        }
        double[] x = new double[batch.size()];
        double[] wer = new double[batch.size()];
        double[] cer = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            x[i] = batch.get(i).update();
            wer[i] = 100 * batch.get(i).wer();
            cer[i] = 100 * batch.get(i).cer();
        }
        MetricChart val = ftCharts.get(VALIDATION);
        add(ftClock, val, WER, x, wer);
        add(ftClock, val, CER, x, cer);
    }

    private void updateFreezeLine(int updates) {
        XYPlot plot = ftCharts.get("ctc").chart().getXYPlot();
        if (freezeMarker != null) {
            plot.removeDomainMarker(freezeMarker);
            freezeMarker = null;
        }
        if (updates > 0) {
            freezeMarker = new ValueMarker(updates, new java.awt.Color(0x1565C0), new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            freezeMarker.setLabel("head only | full");
            freezeMarker.setLabelFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 11));
            freezeMarker.setLabelPaint(new java.awt.Color(0x1565C0));
            freezeMarker.setLabelAnchor(RectangleAnchor.TOP);
            freezeMarker.setLabelTextAnchor(TextAnchor.TOP_CENTER);
            freezeMarker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 4));
            freezeMarker.setLabelBackgroundColor(new java.awt.Color(255, 255, 255, 210));
            plot.addDomainMarker(freezeMarker);
        }
    }

    /** The latest warning, prominent, until dismissed; the full list is on the right. */
    private Region buildBanner() {
        Label text = new Label();
        text.setId("training-warning-banner-text");
        text.setWrapText(true);
        text.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = shown.warnings().size();
            if (n == 0) {
                return "";
            }
            WarningItem w = shown.warnings().get(n - 1);
            return (n > 1 ? n + " warnings · latest: " : "Warning: ") + kindLabel(w.kind()) + " — " + w;
        }, shown.warnings()));
        Button dismiss = new Button("Dismiss all");
        dismiss.setOnAction(e -> shown.dismissWarnings());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox banner = new HBox(10, new Label("⚠"), text, grow, dismiss);
        banner.setId("training-warning-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.setStyle("-fx-background-color: #fff4e5; -fx-border-color: #ffb74d; -fx-border-radius: 4;"
                + " -fx-background-radius: 4; -fx-padding: 6 10;");
        banner.visibleProperty().bind(Bindings.isNotEmpty(shown.warnings()));
        banner.managedProperty().bind(banner.visibleProperty());
        return banner;
    }

    private Region buildCharts() {
        GridPane grid = pretrainGridPane;
        grid.setHgap(10);
        grid.setVgap(10);
        for (int c = 0; c < 2; c++) {
            // equal growth from a small preferred width: percentages plus the gap would overflow the viewport
            ColumnConstraints cc = new ColumnConstraints(0, 300, Double.MAX_VALUE);
            cc.setHgrow(Priority.ALWAYS);
            cc.setFillWidth(true);
            grid.getColumnConstraints().add(cc);
        }
        for (Curve c : CURVES) {
            MetricChart chart = shared(new MetricChart(c.title(), "update", c.yLabel()));
            chart.setId("chart-" + c.key());
            chart.setLegendVisible(false);
            chart.smoothingEnabledProperty().set(c.smooth());
            if (c.smooth()) {
                chart.smoothingProperty().bindBidirectional(smoothing);
            }
            // one smoothing slider for all eight charts (top right): room for title, log scale, export
            chart.smoothingControlsVisibleProperty().set(false);
            chart.setMinHeight(210);
            chart.setMinWidth(0);
            chart.setPrefHeight(240);
            chart.getStyleClass().add("card");
            charts.put(c.key(), chart);
        }
        layoutPretrainCharts();
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setStyle("-fx-background-color: transparent; -fx-background: #f4f6f9;");
        return scroll;
    }

    private Region buildWav2Vec1Charts() {
        for (int c = 0; c < 2; c++) {
            ColumnConstraints cc = new ColumnConstraints(0, 300, Double.MAX_VALUE);
            cc.setHgrow(Priority.ALWAYS);
            cc.setFillWidth(true);
            w1GridPane.getColumnConstraints().add(cc);
        }
        w1GridPane.setHgap(10);
        w1GridPane.setVgap(10);
        for (Curve c : W1_CURVES) {
            MetricChart chart = chartCard(c.title(), c.yLabel(), c.smooth());
            chart.setId("chart-" + c.key());
            w1Charts.put(c.key(), chart);
        }
        MetricChart acc = chartCard("Accuracy per prediction step k", "share above every distractor", true);
        acc.setId("chart-" + STEP_ACCURACY);
        acc.setLegendVisible(true);
        MetricChart loss = chartCard("Loss per prediction step k", "bits per target", true);
        loss.setId("chart-" + STEP_LOSS);
        loss.setLegendVisible(true);
        MetricChart ppl = chartCard("Codebook perplexity", "perplexity (max G·V)", true);
        ppl.setId("chart-" + PERPLEXITY);
        ppl.setLegendVisible(true);
        // insertion order is the order on screen: the per-step curves next to the overall ones
        Map<String, MetricChart> ordered = new LinkedHashMap<>();
        ordered.put("w1-contrastive", w1Charts.get("w1-contrastive"));
        ordered.put("w1-accuracy", w1Charts.get("w1-accuracy"));
        ordered.put(STEP_ACCURACY, acc);
        ordered.put(STEP_LOSS, loss);
        ordered.put("w1-lr", w1Charts.get("w1-lr"));
        ordered.put("w1-gradNorm", w1Charts.get("w1-gradNorm"));
        ordered.put(PERPLEXITY, ppl);
        ordered.put("w1-quantizer", w1Charts.get("w1-quantizer"));
        ordered.put("w1-temperature", w1Charts.get("w1-temperature"));
        w1Charts.clear();
        w1Charts.putAll(ordered);
        ScrollPane scroll = new ScrollPane(w1GridPane);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setStyle("-fx-background-color: transparent; -fx-background: #f4f6f9;");
        return scroll;
    }

    /** Plain wav2vec 1.0 has no quantizer: its perplexity, quantizer loss and τ would be flat zeros. */
    private void layoutWav2Vec1Charts() {
        boolean vq = shown.familyProperty().get().equals(org.speechwb.engine.config.PretrainConfig.VQ_WAV2VEC);
        List<MetricChart> visible = new ArrayList<>();
        for (Map.Entry<String, MetricChart> e : w1Charts.entrySet()) {
            String k = e.getKey();
            boolean quantizerChart = k.equals(PERPLEXITY) || k.equals("w1-quantizer") || k.equals("w1-temperature");
            if (!quantizerChart || (vq && (!k.equals("w1-temperature") || shown.gumbelProperty().get()))) {
                visible.add(e.getValue());
            }
        }
        if (visible.equals(w1GridPane.getChildren())) {
            return;
        }
        w1GridPane.getChildren().clear();
        for (int i = 0; i < visible.size(); i++) {
            w1GridPane.add(visible.get(i), i % 2, i / 2);
        }
    }

    private Region buildSidePanel() {
        Label wTitle = new Label("Warnings");
        wTitle.getStyleClass().add("section-title");
        ListView<WarningItem> warnings = new ListView<>(shown.warnings());
        warnings.setId("training-warnings");
        Label none = new Label();
        none.setWrapText(true);
        none.setPadding(new Insets(8));
        none.setId("training-health");
        none.textProperty().bind(shown.healthSummaryProperty());
        warnings.setPlaceholder(none);
        warnings.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(WarningItem w, boolean empty) {
                super.updateItem(w, empty);
                if (empty || w == null) {
                    setText(null);
                    setStyle("");
                    return;
                }
                setText(kindLabel(w.kind()) + "\n" + w);
                setWrapText(true);
                setPrefWidth(0);
                setStyle("-fx-border-color: transparent transparent transparent " + kindColour(w.kind())
                        + "; -fx-border-width: 0 0 0 4;");
            }
        });
        warnings.setPrefHeight(300);
        Label cTitle = new Label("Checkpoints");
        cTitle.getStyleClass().add("section-title");
        ListView<CheckpointItem> ckpts = new ListView<>(shown.checkpoints());
        ckpts.setId("training-checkpoints");
        ckpts.setPlaceholder(new Label("None yet"));
        ckpts.setPrefHeight(180);
        Label hint = new Label("Inspect a checkpoint on the Inspect screen.");
        hint.setWrapText(true);
        hint.setStyle("-fx-text-fill: #6b7785;");
        VBox box = new VBox(8, wTitle, warnings, cTitle, ckpts, hint);
        VBox.setVgrow(warnings, Priority.ALWAYS);
        box.setPrefWidth(310);
        box.setMinWidth(240);
        box.setPadding(new Insets(0, 0, 0, 12));
        return box;
    }

    /** Points of the updates {@code x} with their wall time and audio seen, for the other x axes. */
    private static void add(RunClock c, MetricChart chart, String key, double[] x, double[] y) {
        chart.appendAll(key, x, y, c.wall(x), c.audioHours(x));
    }

    /** The run's name on exported pictures, the x-axis choice: the same for every chart of the screen. */
    private MetricChart shared(MetricChart chart) {
        chart.xAxisProperty().bind(xAxis);
        chart.runNameProperty().bind(shown.runTitleProperty());
        return chart;
    }

    private void rebuildCharts() {
        clock.clear();
        for (MetricChart chart : charts.values()) {
            chart.clear();
        }
        for (MetricChart chart : w1Charts.values()) {
            chart.clear();
        }
        append(shown.metrics());
    }

    /** One appendAll per chart per batch: the chart redraws once for the whole batch. */
    private void append(List<? extends UpdateMetrics> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (UpdateMetrics m : batch) {
            clock.record(m.update(), m.elapsedSeconds(), m.audioSecondsPerSecond(), m.seconds());
        }
        // the metrics say which family they come from before the run's config has been read
        List<UpdateMetrics> w1 = new ArrayList<>();
        List<UpdateMetrics> w2 = new ArrayList<>();
        for (UpdateMetrics m : batch) {
            (m.stepAccuracy() != null ? w1 : w2).add(m);
        }
        appendCurves(CURVES, charts, w2);
        appendCurves(W1_CURVES, w1Charts, w1);
        appendSteps(w1);
    }

    /** Which steps get a series: all of them up to 6, else k = 1, 2, 4, 8, … and K (legible, and the trend shows). */
    static List<Integer> shownSteps(int steps) {
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k <= steps; k = steps <= 6 ? k + 1 : k * 2) {
            out.add(k);
        }
        if (out.get(out.size() - 1) != steps) {
            out.add(steps);
        }
        return out;
    }

    private void appendSteps(List<UpdateMetrics> batch) {
        if (batch.isEmpty()) {
            return;
        }
        int steps = batch.get(0).stepAccuracy().length;
        if (steps == 0) {
            return;
        }
        for (int k : shownSteps(steps)) {
            double[] x = new double[batch.size()];
            double[] acc = new double[batch.size()];
            double[] loss = new double[batch.size()];
            int n = 0;
            for (UpdateMetrics m : batch) {
                if (!m.skipped() && m.stepAccuracy().length >= k && Double.isFinite(m.stepAccuracy()[k - 1])
                        && m.stepLoss() != null && m.stepLoss().length >= k) {
                    x[n] = m.update();
                    acc[n] = m.stepAccuracy()[k - 1];
                    loss[n] = m.stepLoss()[k - 1];
                    n++;
                }
            }
            String key = "k=" + k;
            add(clock, w1Charts.get(STEP_ACCURACY), key, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(acc, n));
            add(clock, w1Charts.get(STEP_LOSS), key, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(loss, n));
        }
        double[] x = new double[batch.size()];
        double[] code = new double[batch.size()];
        double[] prob = new double[batch.size()];
        int n = 0;
        for (UpdateMetrics m : batch) {
            if (!m.skipped() && m.codePerplexity() > 0) {
                x[n] = m.update();
                code[n] = m.codePerplexity();
                prob[n] = m.probPerplexity();
                n++;
            }
        }
        if (n > 0) {
            MetricChart ppl = w1Charts.get(PERPLEXITY);
            add(clock, ppl, "code", java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(code, n));
            add(clock, ppl, "prob", java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(prob, n));
        }
    }

    private void appendCurves(List<Curve> curves, Map<String, MetricChart> target, List<UpdateMetrics> batch) {
        if (batch.isEmpty()) {
            return;
        }
        for (Curve c : curves) {
            double[] x = new double[batch.size()];
            double[] y = new double[batch.size()];
            int n = 0;
            for (UpdateMetrics m : batch) {
                double v = c.value().applyAsDouble(m);
                if (!m.skipped() && Double.isFinite(v)) {
                    x[n] = m.update();
                    y[n] = v;
                    n++;
                }
            }
            add(clock, target.get(c.key()), c.key(), java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
        }
    }

    private void updateChanceLine(double bits) {
        w1ChanceMarker = replaceLine(w1Charts.get("w1-contrastive"), w1ChanceMarker, bits,
                String.format(Locale.ROOT, "all candidates alike: %.2f bits", bits));
        chanceMarker = replaceLine(charts.get("contrastive"), chanceMarker, bits,
                String.format(Locale.ROOT, shown.clusterTargetsProperty().get() ? "chance: log2(clusters) = %.2f bits"
                        : "chance: log2(K+1) = %.2f bits", bits));
    }

    /**
     * A run on MFCC cluster targets has no quantizer: its diversity term and Gumbel temperature
     * mean nothing and are not shown, and its prediction loss is a cross-entropy over clusters.
     */
    private void layoutPretrainCharts() {
        boolean clusters = shown.clusterTargetsProperty().get();
        pretrainGridPane.getChildren().clear();
        int i = 0;
        for (Curve c : CURVES) {
            if (clusters && (c.key().equals("diversity") || c.key().equals("temperature"))) {
                continue;
            }
            pretrainGridPane.add(charts.get(c.key()), i % 2, i / 2);
            i++;
            if (c.key().equals("contrastive")) {
                charts.get(c.key()).setTitle(clusters ? "Cluster prediction loss" : c.title());
            }
        }
    }

    /** The wav2vec 2.0 pre-training charts on screen now, by key. */
    public List<String> shownPretrainCharts() {
        return keysShown(pretrainGridPane, charts);
    }

    private void updateClipLine(double clip) {
        String label = String.format(Locale.ROOT, "clipped above %.3g", clip);
        clipMarker = replaceLine(charts.get("gradNorm"), clipMarker, clip, label);
        w1ClipMarker = replaceLine(w1Charts.get("w1-gradNorm"), w1ClipMarker, clip, label);
        ftClipMarker = replaceLine(ftCharts.get("ft-gradNorm"), ftClipMarker, clip, label);
    }

    /** Removes {@code old} from the chart and adds a reference line at {@code y}; none (null) when y is not finite. */
    public static ValueMarker replaceLine(MetricChart chart, ValueMarker old, double y, String label) {
        XYPlot plot = chart.chart().getXYPlot();
        if (old != null) {
            plot.removeRangeMarker(old);
        }
        if (!Double.isFinite(y)) {
            return null;
        }
        ValueMarker m = referenceLine(y, label);
        plot.addRangeMarker(m);
        return m;
    }

    public static ValueMarker referenceLine(double y, String label) {
        ValueMarker m = new ValueMarker(y, new java.awt.Color(0xC62828), new BasicStroke(1.4f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        m.setLabel(label);
        m.setLabelFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 11));
        m.setLabelPaint(new java.awt.Color(0xC62828));
        // under the line at the left: curves start high there, so the label rarely hides data
        m.setLabelAnchor(RectangleAnchor.LEFT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(6, 6, 4, 4));
        m.setLabelBackgroundColor(new java.awt.Color(255, 255, 255, 210));
        return m;
    }

    static String kindLabel(TrainingEvent.Warning.Kind k) {
        return switch (k) {
            case CHANCE_LEVEL -> "Contrastive loss at chance level";
            case CODEBOOK_COLLAPSE -> "Codebook collapse";
            case NON_FINITE -> "Non-finite loss or gradient";
            case DATA -> "Data";
            case CHECKPOINT -> "Checkpoint";
        };
    }

    private static String kindColour(TrainingEvent.Warning.Kind k) {
        return switch (k) {
            case NON_FINITE -> "#c62828";
            case CHANCE_LEVEL, CODEBOOK_COLLAPSE -> "#ef6c00";
            case DATA, CHECKPOINT -> "#6d4c41";
        };
    }

    private static String stateColour(org.speechwb.engine.train.RunState s) {
        if (s == null) {
            return "#9e9e9e";
        }
        return switch (s) {
            case RUNNING -> "#2e7d32";
            case PAUSED -> "#f9a825";
            case STOPPING -> "#ef6c00";
            case STOPPED -> "#546e7a";
            case FINISHED -> "#1565c0";
            case FAILED -> "#c62828";
            case CREATED -> "#9e9e9e";
        };
    }
}
