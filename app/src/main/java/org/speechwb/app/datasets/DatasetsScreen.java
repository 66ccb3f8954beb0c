package org.speechwb.app.datasets;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.speechwb.app.charts.SpectrogramScaleToggle;
import org.speechwb.app.charts.SpectrogramView;
import org.speechwb.app.charts.WaveformView;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.DatasetSummary;
import org.speechwb.engine.data.SkippedFile;
import org.speechwb.engine.data.Utterance;

/** The Datasets screen: open, summarise, browse, listen, split. Binds to {@link DatasetsViewModel}. */
public final class DatasetsScreen implements Screen {

    private final ScreenContext ctx;
    private final DatasetsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final DefaultCategoryDataset histogram = new DefaultCategoryDataset();
    private final WaveformView waveform = new WaveformView();
    private final SpectrogramView spectrogram = new SpectrogramView();
    private final FlowPane numbers = new FlowPane(10, 10);
    private final TableView<Map.Entry<String, Double>> speakers = new TableView<>();
    private final TableView<SkippedFile> skipped = new TableView<>();
    private final Label rates = new Label();
    private final Label warnings = new Label();
    private final Label skippedDetail = new Label();
    private final Label skippedByReason = new Label();
    private boolean initialised;

    public DatasetsScreen(ScreenContext ctx) {
        this.ctx = ctx;
        this.vm = new DatasetsViewModel(ctx);
        root.setId("datasets-screen");
        root.setPadding(new Insets(12));
        root.setTop(header());
        SplitPane split = new SplitPane(summaryPane(), browserPane());
        split.setDividerPositions(0.42);
        BorderPane.setMargin(split, new Insets(10, 0, 0, 0));
        root.setCenter(split);
        vm.summaryProperty().addListener((o, a, s) -> showSummary(s));
    }

    public DatasetsViewModel viewModel() {
        return vm;
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public void onShown() {
        onLaunch();
    }

    /** The other screens need the dataset too: a relaunch on Training must not wait for a visit here. */
    @Override
    public void onLaunch() {
        if (!initialised) {
            initialised = true;
            vm.openInitial();
        }
    }

    @Override
    public void dispose() {
        vm.dispose();
    }

    // ---- header: open, progress, cancel ---------------------------------------------------

    private Node header() {
        Label title = new Label("Datasets");
        title.getStyleClass().add("screen-title");
        ComboBox<String> pathBox = new ComboBox<>(vm.recent());
        pathBox.setId("dataset-path");
        pathBox.setEditable(true);
        pathBox.setPromptText("Dataset folder or manifest (.tsv)");
        pathBox.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(pathBox, Priority.ALWAYS);
        pathBox.valueProperty().bindBidirectional(vm.pathProperty());
        // only the user's own choices open a dataset: the combo also fires actions when the
        // view model sets its value (after a scan or a cancel), which must not start another scan.
        // The editor's own onAction never fires: the combo keeps the focus and the press of Enter
        // never reaches the editor (only the release does, to commit the text), so the press is
        // caught on the combo. With the list open, Enter picks an entry and onHidden opens it.
        pathBox.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && !pathBox.isShowing()) {
                openTyped(pathBox.getEditor().getText());
            }
        });
        pathBox.setOnHidden(e -> openTyped(pathBox.getValue()));
        pathBox.setTooltip(new Tooltip("Recent datasets; type a path and press Enter to open it"));
        Button folder = new Button("Open folder…");
        folder.setId("open-folder");
        folder.setTooltip(new Tooltip("A workbench corpus, a LibriSpeech tree, a transcripts.tsv folder or any folder of"
                + " .wav/.flac files"));
        folder.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Open dataset folder");
            File init = initialDir();
            if (init != null) {
                dc.setInitialDirectory(init);
            }
            File f = dc.showDialog(ctx.owner());
            if (f != null) {
                vm.open(f.toPath());
            }
        });
        Button manifest = new Button("Open manifest…");
        manifest.setId("open-manifest");
        manifest.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Open fairseq manifest or corpus index");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Manifests (*.tsv)", "*.tsv"));
            File init = initialDir();
            if (init != null) {
                fc.setInitialDirectory(init);
            }
            File f = fc.showOpenDialog(ctx.owner());
            if (f != null) {
                vm.open(f.toPath());
            }
        });
        Button bundled = new Button("Bundled corpus");
        bundled.setId("open-bundled");
        bundled.setTooltip(new Tooltip(ctx.paths().bundledCorpus().toString()));
        bundled.setOnAction(e -> vm.openBundled());
        for (Button b : new Button[] {folder, manifest, bundled}) {
            b.disableProperty().bind(vm.scanningProperty());
            // at 1280 px a long path must give way, not the buttons' labels
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        pathBox.setPrefWidth(300);
        pathBox.setMinWidth(150);
        HBox open = new HBox(8, pathBox, folder, manifest, bundled);
        open.setAlignment(Pos.CENTER_LEFT);

        ProgressBar bar = new ProgressBar();
        bar.setId("scan-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(260);
        Label text = new Label();
        text.textProperty().bind(vm.progressTextProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-scan");
        cancel.setOnAction(e -> vm.cancelScan());
        HBox scanning = new HBox(8, bar, cancel, text);
        scanning.setAlignment(Pos.CENTER_LEFT);
        scanning.visibleProperty().bind(vm.scanningProperty());
        scanning.managedProperty().bind(vm.scanningProperty());
        Label status = new Label();
        status.setId("dataset-status");
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("muted");
        status.visibleProperty().bind(vm.scanningProperty().not());
        status.managedProperty().bind(status.visibleProperty());
        return new VBox(8, title, open, scanning, status);
    }

    private void openTyped(String v) {
        if (v == null || v.isBlank() || vm.scanningProperty().get()) {
            return;
        }
        var ds = vm.datasetProperty().get();
        Path p;
        try {
            p = Path.of(v.trim()).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            vm.reportBadPath(v.trim(), e.getReason());
            return;
        }
        if (ds == null || !ds.root().equals(p)) {
            vm.open(p);
        }
    }

    private File initialDir() {
        var ds = vm.datasetProperty().get();
        Path p = ds != null ? ds.root() : ctx.paths().bundledCorpus();
        File f = p.toFile();
        if (f.isFile()) {
            f = f.getParentFile();
        }
        return f != null && f.getParentFile() != null && f.getParentFile().isDirectory() ? f.getParentFile() : null;
    }

    // ---- summary --------------------------------------------------------------------------

    private Node summaryPane() {
        numbers.setId("summary-numbers");
        JFreeChart chart = ChartFactory.createBarChart(null, "duration", "utterances", histogram,
                PlotOrientation.VERTICAL, false, true, false);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        var plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setRangeGridlinePaint(new java.awt.Color(0xdddddd));
        // eight bins must all be readable at a third of the window's width
        plot.getDomainAxis().setTickLabelFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 10));
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(1.5f);
        plot.getDomainAxis().setCategoryMargin(0.1);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new java.awt.Color(0x2f6fb3));
        ChartViewer hist = new ChartViewer(chart);
        hist.setPrefHeight(200);
        hist.setMinHeight(160);

        TableColumn<Map.Entry<String, Double>, String> name = new TableColumn<>("Speaker");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getKey()));
        name.setPrefWidth(200);
        TableColumn<Map.Entry<String, Double>, Double> secs = new TableColumn<>("Duration");
        secs.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        secs.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : hms(v));
            }
        });
        speakers.getColumns().setAll(java.util.List.of(name, secs));
        speakers.setId("speakers-table");
        speakers.setPrefHeight(180);
        speakers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<SkippedFile, String> file = new TableColumn<>("File");
        file.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.valueOf(c.getValue().file().getFileName())
                + (c.getValue().line() > 0 ? " (line " + c.getValue().line() + ")" : "")));
        file.setPrefWidth(170);
        TableColumn<SkippedFile, String> reason = new TableColumn<>("Reason");
        reason.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().reason().name().toLowerCase(Locale.ROOT)
                .replace('_', ' ')));
        TableColumn<SkippedFile, String> detail = new TableColumn<>("Detail");
        detail.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().detail()));
        file.setCellFactory(c -> fullTextCell());
        reason.setCellFactory(c -> fullTextCell());
        detail.setCellFactory(c -> fullTextCell());
        skipped.getColumns().setAll(java.util.List.of(file, reason, detail));
        skipped.setId("skipped-table");
        skipped.setPrefHeight(130);
        skipped.setPlaceholder(new Label("Nothing was skipped"));
        skipped.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        rates.setId("sample-rates");
        rates.setWrapText(true);
        warnings.setWrapText(true);
        warnings.getStyleClass().add("warning-text");

        // cells cut long engine messages ("chunk 'HURF' claims 960051513 bytes"): the selected row in full
        skippedDetail.setId("skipped-detail");
        skippedDetail.setWrapText(true);
        skippedDetail.managedProperty().bind(skippedDetail.textProperty().isNotEmpty());
        skippedDetail.visibleProperty().bind(skippedDetail.managedProperty());
        skipped.getSelectionModel().selectedItemProperty().addListener((o, a, b) ->
                skippedDetail.setText(b == null ? "" : b.describe()));
        skippedByReason.setId("skipped-by-reason");
        skippedByReason.setWrapText(true);
        skippedByReason.managedProperty().bind(skippedByReason.textProperty().isNotEmpty());
        skippedByReason.visibleProperty().bind(skippedByReason.managedProperty());
        VBox skippedBox = new VBox(4, skipped, skippedDetail, skippedByReason);
        // files the scan kept although damaged (a FLAC cut short, a WAV header claiming 2 GB)
        warnings.setId("dataset-warnings");
        Node warningsCard = section("Warnings", warnings);
        warningsCard.managedProperty().bind(warnings.textProperty().isNotEmpty());
        warningsCard.visibleProperty().bind(warningsCard.managedProperty());
        VBox box = new VBox(10, numbers, warningsCard, section("Utterance durations", hist),
                section("Speakers", speakers), section("Sample rates", rates),
                section("Skipped files", skippedBox));
        box.setPadding(new Insets(0, 10, 10, 0));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    /** A cell whose whole text is its tooltip: reasons and paths outgrow any column width. */
    private static javafx.scene.control.TableCell<SkippedFile, String> fullTextCell() {
        return new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                int i = getIndex();
                SkippedFile row = empty || i < 0 || i >= getTableView().getItems().size() ? null
                        : getTableView().getItems().get(i);
                setTooltip(empty || v == null || v.isEmpty() ? null
                        : new javafx.scene.control.Tooltip(row != null ? row.describe() : v));
                if (getTooltip() != null) {
                    getTooltip().setWrapText(true);
                    getTooltip().setMaxWidth(600);
                }
            }
        };
    }

    private static Node section(String title, Node content) {
        Label l = new Label(title);
        l.getStyleClass().add("section-title");
        VBox v = new VBox(4, l, content);
        v.getStyleClass().add("card");
        return v;
    }

    private static Node number(String id, String value, String label) {
        Label v = new Label(value);
        v.getStyleClass().add("big-number");
        v.setId(id);
        Label l = new Label(label);
        l.getStyleClass().add("big-number-label");
        VBox box = new VBox(0, v, l);
        box.getStyleClass().add("card");
        box.setMinWidth(110);
        return box;
    }

    private void showSummary(DatasetSummary s) {
        numbers.getChildren().clear();
        histogram.clear();
        if (s == null) {
            speakers.getItems().clear();
            skipped.getItems().clear();
            warnings.setText("");
            skippedByReason.setText("");
            return;
        }
        numbers.getChildren().addAll(
                number("summary-utterances", String.format(Locale.ROOT, "%,d", s.utterances()), "utterances"),
                number("summary-hours", String.format(Locale.ROOT, "%.2f h", s.totalHours()),
                        hms(s.totalSeconds()) + " of audio"),
                number("summary-speakers", Integer.toString(s.speakers()),
                        s.unknownSpeaker() > 0 ? "speakers (+" + s.unknownSpeaker() + " unknown)" : "speakers"),
                number("summary-labeled", String.format(Locale.ROOT, "%.0f%%", 100 * s.labeledShareByCount()),
                        String.format(Locale.ROOT, "labeled (%.0f%% of audio)", 100 * s.labeledShareByDuration())),
                number("summary-skipped", Integer.toString(s.skipped().size()), "skipped"));
        int[] h = s.histogram();
        for (int i = 0; i < h.length; i++) {
            histogram.addValue(h[i], "utterances", DatasetSummary.binLabel(i));
        }
        var entries = new java.util.ArrayList<Map.Entry<String, Double>>();
        for (String sp : s.speakersByDuration()) {
            entries.add(Map.entry(sp, s.speakerSeconds().get(sp)));
        }
        speakers.getItems().setAll(entries);
        StringBuilder r = new StringBuilder();
        s.sampleRates().forEach((rate, n) -> r.append(r.length() == 0 ? "" : "   ")
                .append(String.format(Locale.ROOT, "%,d Hz: %,d utterances", rate, n)));
        if (s.sampleRates().keySet().stream().anyMatch(x -> x != 16_000)) {
            r.append("\nAudio not at 16 kHz is resampled when it is read.");
        }
        rates.setText(r.toString());
        skipped.getItems().setAll(s.skipped());
        if (!s.skipped().isEmpty()) {
            skipped.getSelectionModel().selectFirst();
        }
        StringBuilder r2 = new StringBuilder();
        if (!s.skippedByReason().isEmpty()) {
            r2.append("Skipped by reason: ");
            s.skippedByReason().forEach((k, n) -> r2.append(k.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(' ').append(n).append("  "));
        }
        skippedByReason.setText(r2.toString().trim());
        warnings.setText(String.join("\n", s.warnings()));
    }

    // ---- browser: splits, table, waveform -------------------------------------------------

    private Node browserPane() {
        VBox box = new VBox(10, splitsCard(), utteranceTable(), waveformCard());
        VBox.setVgrow(box.getChildren().get(1), Priority.ALWAYS);
        box.setPadding(new Insets(0, 0, 0, 10));
        return box;
    }

    private Node splitsCard() {
        ComboBox<DatasetSplitter.Strategy> strategy = new ComboBox<>();
        strategy.getItems().setAll(DatasetSplitter.Strategy.values());
        strategy.setId("split-strategy");
        strategy.valueProperty().bindBidirectional(vm.strategyProperty());
        strategy.setButtonCell(strategyCell());
        strategy.setCellFactory(v -> strategyCell());
        Spinner<Double> valid = percentSpinner(vm.validPercentProperty());
        valid.setId("split-valid");
        Spinner<Double> test = percentSpinner(vm.testPercentProperty());
        test.setId("split-test");
        Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, (int) vm.seedProperty().get());
        seed.setEditable(true);
        seed.setPrefWidth(90);
        seed.setId("split-seed");
        seed.valueProperty().addListener((o, a, b) -> vm.seedProperty().set(b));
        ComboBox<String> trainOn = new ComboBox<>();
        trainOn.getItems().setAll("train", "valid", "test", "all");
        trainOn.valueProperty().bindBidirectional(vm.trainOnProperty());
        trainOn.setId("split-train-on");
        var notPredefined = vm.strategyProperty().isNotEqualTo(DatasetSplitter.Strategy.PREDEFINED);
        valid.disableProperty().bind(notPredefined.not());
        test.disableProperty().bind(notPredefined.not());
        seed.disableProperty().bind(notPredefined.not());

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("Split"), strategy, new Label("Valid %"), valid, new Label("Test %"), test);
        g.addRow(1, new Label("Train on"), trainOn, new Label("Seed"), seed);

        TableView<SplitRow> table = new TableView<>(vm.splitRows());
        table.setId("split-table");
        TableColumn<SplitRow, String> name = new TableColumn<>("Split");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().split()
                + (c.getValue().trainsOn() ? "  (training)" : "")));
        TableColumn<SplitRow, String> n = new TableColumn<>("Utterances");
        n.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format(Locale.ROOT, "%,d", c.getValue().utterances())));
        TableColumn<SplitRow, String> hours = new TableColumn<>("Hours");
        hours.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format(Locale.ROOT, "%.3f h (%s)",
                c.getValue().hours(), hms(c.getValue().hours() * 3600))));
        TableColumn<SplitRow, String> spk = new TableColumn<>("Speakers");
        spk.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(c.getValue().speakers())));
        table.getColumns().setAll(java.util.List.of(name, n, hours, spk));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(24);
        table.setPrefHeight(24 * 4 + 6);
        table.setMinHeight(24 * 4 + 6);
        Label err = new Label();
        err.setId("split-error");
        err.textProperty().bind(vm.splitErrorProperty());
        err.getStyleClass().add("error-text");
        err.setWrapText(true);
        err.managedProperty().bind(vm.splitErrorProperty().isNotEmpty());
        Label note = new Label();
        note.textProperty().bind(Bindings.format("A run started now trains on %d utterances.",
                vm.trainingUtterancesProperty()));
        note.getStyleClass().add("muted");
        Label title = new Label("Splits");
        title.getStyleClass().add("section-title");
        VBox card = new VBox(6, title, g, table, err, note);
        card.getStyleClass().add("card");
        return card;
    }

    private static ListCell<DatasetSplitter.Strategy> strategyCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(DatasetSplitter.Strategy s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : switch (s) {
                    case PREDEFINED -> "Predefined (from the corpus)";
                    case SPEAKER -> "By speaker (disjoint voices)";
                    case RANDOM -> "Random by utterance";
                });
            }
        };
    }

    private static Spinner<Double> percentSpinner(javafx.beans.property.DoubleProperty p) {
        Spinner<Double> s = new Spinner<>(0.0, 90.0, p.get(), 1.0);
        s.setEditable(true);
        s.setPrefWidth(80);
        s.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                p.set(b);
            }
        });
        return s;
    }

    private Node utteranceTable() {
        TextField filter = new TextField();
        filter.setId("utterance-filter");
        filter.setPromptText("Filter by id, speaker, split or words of the transcript");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        TableView<Utterance> table = new TableView<>(vm.utterances());
        table.setId("utterance-table");
        TableColumn<Utterance, String> id = new TableColumn<>("Id");
        id.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        id.setPrefWidth(165);
        TableColumn<Utterance, String> spk = new TableColumn<>("Speaker");
        spk.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().speaker()));
        spk.setPrefWidth(115);
        TableColumn<Utterance, String> sp = new TableColumn<>("Split");
        sp.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().split()));
        sp.setPrefWidth(48);
        TableColumn<Utterance, Double> secs = new TableColumn<>("Seconds");
        secs.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().seconds()));
        secs.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, "%.2f", v));
                setAlignment(Pos.CENTER_RIGHT);
            }
        });
        secs.setPrefWidth(62);
        TableColumn<Utterance, String> text = new TableColumn<>("Transcript");
        text.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().transcript()));
        table.getColumns().setAll(java.util.List.of(id, spk, sp, secs, text));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No utterances"));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectedProperty().set(b);
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && table.getSelectionModel().getSelectedItem() != b) {
                table.getSelectionModel().select(b);
                table.scrollTo(b);
            }
        });
        Label count = new Label();
        count.textProperty().bind(Bindings.size(vm.utterances()).asString("%,d shown"));
        count.getStyleClass().add("muted");
        HBox top = new HBox(8, filter, count);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(filter, Priority.ALWAYS);
        VBox v = new VBox(6, top, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        v.setMinHeight(140);
        return v;
    }

    private Node waveformCard() {
        waveform.setId("waveform");
        // waveform, spectrogram and the utterance table share the column: at 1280×800 all three fit
        waveform.setPrefHeight(100);
        waveform.setMinHeight(70);
        waveform.samplesProperty().bind(Bindings.createObjectBinding(() -> {
            AudioClip c = vm.clipProperty().get();
            return c == null ? null : c.samples();
        }, vm.clipProperty()));
        waveform.playheadProperty().bind(vm.playheadProperty());
        waveform.setZoomable(true);
        spectrogram.setId("spectrogram");
        spectrogram.setPrefHeight(96);
        spectrogram.setMinHeight(64);
        spectrogram.spectrogramProperty().bind(vm.spectrogram().spectrogramProperty());
        spectrogram.viewStartProperty().bind(waveform.viewStartProperty());
        spectrogram.viewEndProperty().bind(waveform.viewEndProperty());
        spectrogram.placeholderProperty().bind(Bindings.when(vm.spectrogram().computingProperty())
                .then("Computing spectrogram…").otherwise(vm.spectrogram().errorProperty()));
        Tooltip.install(waveform, new Tooltip("Wheel: zoom · drag: zoom to a range · double-click: show all"));
        Label title = new Label();
        title.getStyleClass().add("section-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> {
            Utterance u = vm.selectedProperty().get();
            if (u == null) {
                return "No utterance selected";
            }
            return String.format(Locale.ROOT, "%s  ·  %s  ·  %.2f s  ·  %,d Hz", u.id(),
                    u.speaker() == null ? "unknown speaker" : u.speaker(), u.seconds(), u.sampleRate());
        }, vm.selectedProperty()));
        Label transcript = new Label();
        transcript.setId("transcript");
        transcript.getStyleClass().add("transcript");
        transcript.setWrapText(true);
        transcript.textProperty().bind(Bindings.createStringBinding(() -> {
            Utterance u = vm.selectedProperty().get();
            return u == null ? "" : u.transcript() == null ? "(no transcript)" : u.transcript();
        }, vm.selectedProperty()));
        Button play = new Button("▶ Play");
        play.setId("play");
        play.disableProperty().bind(vm.clipProperty().isNull().or(vm.playbackUnavailableProperty().isNotEmpty()));
        play.setOnAction(e -> vm.play());
        Button stop = new Button("■ Stop");
        stop.setOnAction(e -> vm.stopPlayback());
        stop.disableProperty().bind(vm.playheadProperty().lessThan(0));
        Label audioNote = new Label();
        audioNote.setId("playback-note");
        audioNote.getStyleClass().add("muted");
        audioNote.textProperty().bind(Bindings.createStringBinding(() -> {
            String r = vm.playbackUnavailableProperty().get();
            return r.isEmpty() ? "" : "Playback unavailable: " + r;
        }, vm.playbackUnavailableProperty()));
        Label err = new Label();
        err.textProperty().bind(Bindings.when(vm.clipLoadingProperty()).then("Loading audio…")
                .otherwise(vm.clipErrorProperty()));
        err.getStyleClass().add("error-text");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label scaleLabel = new Label("Spectrogram");
        scaleLabel.getStyleClass().add("muted");
        SpectrogramScaleToggle scale = new SpectrogramScaleToggle(vm.spectrogram().scaleProperty(), "spectrogram-scale");
        // the playback note gives way first; its tooltip keeps the whole reason
        for (Region r : new Region[] {play, stop, scaleLabel, scale}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        audioNote.setMinWidth(0);
        Tooltip noteTip = new Tooltip();
        noteTip.textProperty().bind(audioNote.textProperty());
        audioNote.setTooltip(noteTip);
        HBox controls = new HBox(8, play, stop, audioNote, grow, err, scaleLabel, scale);
        controls.setAlignment(Pos.CENTER_LEFT);
        VBox card = new VBox(6, title, waveform, spectrogram, transcript, controls);
        card.getStyleClass().add("card");
        card.setMinHeight(Region.USE_PREF_SIZE);
        return card;
    }

    static String hms(double seconds) {
        if (seconds < 59.95) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d h", s / 3600, (s / 60) % 60, s % 60);
    }

}
