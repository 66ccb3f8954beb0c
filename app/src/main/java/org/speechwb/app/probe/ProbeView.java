package org.speechwb.app.probe;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.TableFit;

/**
 * The Probes screen's layout: checkpoint, dataset and settings on top; "Run probes" with its
 * progress; the CER-per-layer bars and the table of scores below. Binds to {@link ProbeViewModel}.
 */
public final class ProbeView extends BorderPane {

    private final ProbeViewModel vm;
    private final ScreenContext ctx;
    private final LayerBarChart chart = new LayerBarChart("Validation CER of a linear CTC probe per layer (mean of "
            + ProbeViewModel.PROBES.seeds().size() + " probe seeds; whiskers ±1 s.d.)");
    private final TableView<ProbeRow> table = new TableView<>();

    public ProbeView(ProbeViewModel vm, ScreenContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        setId("probes-screen");
        setPadding(new Insets(12));
        setTop(new VBox(10, header(), settings()));
        SplitPane results = new SplitPane(chartBox(), tableBox());
        // the table's eight columns need about 560 px to show their headers and ranges unclipped
        results.setDividerPositions(0.55);
        BorderPane.setMargin(results, new Insets(10, 0, 0, 0));
        setCenter(results);
        ListChangeListener<Object> redraw = c -> chart.setRows(vm.modelNames(), vm.layerNames(), vm.rows());
        vm.rows().addListener(redraw);
        vm.modelNames().addListener(redraw);
        vm.layerNames().addListener(redraw);
    }

    public LayerBarChart chart() {
        return chart;
    }

    public TableView<ProbeRow> table() {
        return table;
    }

    private HBox header() {
        Label title = new Label("Probes");
        title.getStyleClass().add("screen-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label what = new Label("What each layer encodes: a linear CTC probe per layer of the frozen model (and, for a"
                + " pre-training checkpoint, on its quantizer's codes, the pre-training targets), scored by greedy CER on"
                + " validation speakers; a randomly initialised twin shows what the architecture alone gives.");
        what.getStyleClass().add("muted");
        what.setWrapText(true);
        HBox.setHgrow(what, Priority.ALWAYS);
        HBox row = new HBox(14, title, what);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private VBox settings() {
        TextField path = new TextField();
        path.setId("probe-checkpoint");
        path.setEditable(false);
        path.setPromptText("No checkpoint: select a wav2vec 2.0 run on the Runs screen or choose one");
        path.textProperty().bind(Bindings.createStringBinding(() -> vm.checkpoint().fileProperty().get() == null ? ""
                : vm.checkpoint().fileProperty().get().toString(), vm.checkpoint().fileProperty()));
        HBox.setHgrow(path, Priority.ALWAYS);
        path.setMaxWidth(Double.MAX_VALUE);
        MenuButton choose = new MenuButton("Choose…");
        choose.setId("probe-choose");
        choose.setMinWidth(Region.USE_PREF_SIZE);
        MenuItem file = new MenuItem("Checkpoint file (.ckpt)…");
        file.setOnAction(e -> chooseFile());
        MenuItem folder = new MenuItem("Run folder (its newest checkpoint)…");
        folder.setOnAction(e -> chooseFolder());
        choose.getItems().addAll(file, folder);
        choose.disableProperty().bind(vm.runningProperty());
        HBox ckptRow = new HBox(8, path, choose);
        ckptRow.setAlignment(Pos.CENTER_LEFT);
        Label note = muted(vm.checkpoint().noteProperty());
        note.setId("probe-checkpoint-note");

        Label dataset = muted(vm.datasetTextProperty());
        dataset.setId("probe-dataset");

        Spinner<Double> minutes = new Spinner<>();
        minutes.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.1, 10_000, vm.labeledMinutesProperty()
                .get(), 1));
        minutes.getValueFactory().setConverter(lenient(minutes.getValueFactory(), Double::valueOf,
                d -> String.format(Locale.ROOT, d == Math.rint(d) ? "%.0f" : "%.2f", d)));
        minutes.setId("probe-minutes");
        minutes.setPrefWidth(95);
        follow(minutes, vm.labeledMinutesProperty().asObject());
        minutes.setTooltip(new Tooltip("Transcribed audio the probes train on, drawn from the training speakers"
                + " (the experiment's speaker-disjoint split)"));
        Spinner<Integer> updates = new Spinner<>();
        updates.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1_000_000,
                vm.updatesProperty().get(), 100));
        updates.getValueFactory().setConverter(lenient(updates.getValueFactory(), Integer::valueOf, String::valueOf));
        updates.setId("probe-updates");
        updates.setPrefWidth(100);
        follow(updates, vm.updatesProperty().asObject());
        updates.setTooltip(new Tooltip("Training updates of each layer's probe (Adam, lr " + ProbeViewModel.PROBES.lr()
                + ", validation every fifth of them; the validation the selection rule ranks best is kept), once per"
                + " probe seed " + ProbeViewModel.PROBES.seeds()));
        CheckBox random = new CheckBox("Also probe a randomly initialised model");
        random.setId("probe-random");
        random.selectedProperty().bindBidirectional(vm.randomBaselineProperty());
        for (var n : List.of(minutes, updates, random)) {
            n.disableProperty().bind(vm.runningProperty());
        }

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints rest = new ColumnConstraints();
        rest.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, rest);
        HBox knobs = new HBox(8, minutes, new Label("Probe updates"), updates, random);
        knobs.setAlignment(Pos.CENTER_LEFT);
        HBox.setMargin(random, new Insets(0, 0, 0, 10));
        grid.addRow(0, new Label("Checkpoint"), ckptRow);
        grid.add(note, 1, 1);
        grid.addRow(2, new Label("Dataset"), dataset);
        grid.addRow(3, new Label("Labeled minutes"), knobs);

        VBox card = new VBox(8, grid, runRow());
        card.getStyleClass().add("card");
        return new VBox(card);
    }

    private VBox runRow() {
        Button run = new Button("Run probes");
        run.setId("probe-run");
        run.getStyleClass().add("primary-button");
        run.setMinWidth(Region.USE_PREF_SIZE);
        run.disableProperty().bind(vm.blockerProperty().isNotEmpty());
        run.setOnAction(e -> vm.run());
        Button cancel = new Button("Cancel");
        cancel.setId("probe-cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar(0);
        bar.setId("probe-progress");
        bar.setPrefWidth(220);
        bar.setMinWidth(Region.USE_PREF_SIZE);
        bar.progressProperty().bind(vm.progressProperty());
        for (var n : List.of(cancel, bar)) {
            n.visibleProperty().bind(vm.runningProperty());
            n.managedProperty().bind(vm.runningProperty());
        }
        Label status = new Label();
        status.setId("probe-status");
        status.textProperty().bind(vm.statusProperty());
        Tooltip splits = new Tooltip();
        splits.setWrapText(true);
        splits.setMaxWidth(520);
        vm.reportProperty().addListener((o, a, r) -> {
            splits.setText(r == null ? "" : "Probe data: " + r.splits());
            status.setTooltip(r == null ? null : splits);
        });
        Label blocker = new Label();
        blocker.setId("probe-blocker");
        blocker.getStyleClass().add("warning-text");
        blocker.textProperty().bind(Bindings.when(vm.runningProperty()).then("").otherwise(vm.blockerProperty()));
        blocker.setWrapText(true);
        HBox row = new HBox(10, run, cancel, bar, status, blocker);
        row.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.setId("probe-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        return new VBox(6, row, error);
    }

    private VBox chartBox() {
        chart.setId("probe-chart");
        VBox box = new VBox(chart);
        VBox.setVgrow(chart, Priority.ALWAYS);
        box.setPadding(new Insets(6, 8, 0, 0));
        return box;
    }

    private VBox tableBox() {
        table.setId("probe-table");
        table.setItems(vm.rows());
        // "checkpoint" or "random init": the legend and the tooltip name the run and update
        TableColumn<ProbeRow, String> model = col("Model", 90, ProbeRow::model);
        model.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : ProbeViewModel.kind(item));
                setTooltip(empty || item == null ? null : new Tooltip(item));
            }
        });
        table.getColumns().setAll(List.of(model,
                col("Layer", 110, ProbeRow::layer),
                col("Dims", 46, r -> Integer.toString(r.dimension())),
                TableFit.explained(col("CER %", 58, r -> String.format(Locale.ROOT, "%.1f", 100 * r.cer())),
                        "Mean over the probe seeds"),
                TableFit.explained(col("Range", 80, ProbeRow::cerRange),
                        "Lowest and highest CER of the probes (one per probe seed): the probe's own noise. A"
                                + " difference between layers or models inside it is not one the probes can show"),
                col("WER %", 58, r -> String.format(Locale.ROOT, "%.1f", 100 * r.wer())),
                TableFit.explained(col("Bits", 60, ProbeRow::bitsText),
                        "Lowest validation CTC loss, bits per character, mean over the probe seeds (lower is better)."
                                + " Where CERs are all near 80 % and the greedy outputs equally wrong, it still"
                                + " ranks how much of the transcripts a representation lets the probe predict"),
                TableFit.explained(col("Best", 48, r -> Integer.toString(r.bestUpdate())),
                        "The probe update kept on validation (its scores are shown)")));
        table.getColumns().get(1).setMinWidth(104);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No probes yet: press Run probes"));
        Label title = new Label("Scores");
        title.getStyleClass().add("section-title");
        Button save = new Button("Save JSON…");
        save.setId("probe-save");
        save.disableProperty().bind(vm.reportProperty().isNull());
        save.setOnAction(e -> chooseAndSave());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox top = new HBox(8, title, grow, save);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, top, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setPadding(new Insets(6, 0, 0, 8));
        return box;
    }

    private static TableColumn<ProbeRow, String> col(String title, double width, Function<ProbeRow, String> f) {
        TableColumn<ProbeRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    // ---- choosers -------------------------------------------------------------------------

    private File initialDir() {
        Path cur = vm.checkpoint().fileProperty().get();
        Path dir = cur == null ? ctx.paths().runs() : Files.isDirectory(cur) ? cur.getParent() : cur.getParent();
        return dir != null && Files.isDirectory(dir) ? dir.toFile() : null;
    }

    private void chooseFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a wav2vec 2.0 checkpoint");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Checkpoints (*.ckpt)", "*.ckpt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File init = initialDir();
        if (init != null) {
            fc.setInitialDirectory(init);
        }
        File f = fc.showOpenDialog(ctx.owner());
        if (f != null) {
            vm.checkpoint().choose(f.toPath());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Choose a wav2vec 2.0 run folder");
        File init = initialDir();
        if (init != null) {
            dc.setInitialDirectory(init);
        }
        File f = dc.showDialog(ctx.owner());
        if (f != null) {
            vm.checkpoint().choose(f.toPath());
        }
    }

    private void chooseAndSave() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save probe results");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON", "*.json"));
        Path ckpt = vm.checkpoint().fileProperty().get();
        String base = ckpt == null ? "probes" : "probes-" + ckpt.getFileName().toString().replaceAll("\\.ckpt$", "");
        fc.setInitialFileName(base + ".json");
        File f = fc.showSaveDialog(ctx.owner());
        if (f != null) {
            vm.save(f.toPath());
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static Label muted(javafx.beans.value.ObservableValue<String> text) {
        Label l = new Label();
        l.getStyleClass().add("muted");
        l.textProperty().bind(text);
        l.setWrapText(true);
        return l;
    }

    /** Spinner and view-model property follow each other (the view model's value wins at start). */
    private static <T> void follow(Spinner<T> spinner, javafx.beans.property.Property<T> p) {
        spinner.setEditable(true);
        spinner.getValueFactory().setValue(p.getValue());
        spinner.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                p.setValue(b);
            }
        });
        p.addListener((o, a, b) -> spinner.getValueFactory().setValue(b));
        // typed text counts when the field loses focus, not only on Enter
        spinner.getEditor().focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                spinner.increment(0);
            }
        });
        spinner.getProperties().put("follow", p); // keeps asObject() wrappers reachable
    }

    /** Parses typed numbers; text that is not one leaves the value as it was. */
    private static <T> StringConverter<T> lenient(SpinnerValueFactory<T> f, Function<String, T> parse,
                                                  Function<T, String> format) {
        return new StringConverter<>() {
            @Override
            public String toString(T v) {
                return v == null ? "" : format.apply(v);
            }

            @Override
            public T fromString(String s) {
                try {
                    return parse.apply(s.trim());
                } catch (RuntimeException e) {
                    return f.getValue();
                }
            }
        };
    }
}
