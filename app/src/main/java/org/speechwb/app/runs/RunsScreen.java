package org.speechwb.app.runs;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.TableFit;

/** The Runs screen: all runs, their details, overlaid curves, resume and inspect. */
public final class RunsScreen implements Screen {

    private final ScreenContext ctx;
    private final RunsViewModel vm;
    private final ImportCheckpointViewModel importVm;
    private final BorderPane root = new BorderPane();
    private final TableView<RunRow> table = new TableView<>();
    private final CompareViewModel compareVm;
    private final CompareView compare;

    public RunsScreen(ScreenContext ctx) {
        this.ctx = ctx;
        this.vm = new RunsViewModel(ctx);
        this.importVm = new ImportCheckpointViewModel(ctx, vm);
        this.compareVm = new CompareViewModel(ctx, vm);
        this.compare = new CompareView(vm, compareVm, ctx.preferences().chartSmoothingProperty());
        root.setId("runs-screen");
        root.setPadding(new Insets(12));
        root.setTop(header());
        SplitPane vertical = new SplitPane(runTable(), bottom());
        vertical.setOrientation(javafx.geometry.Orientation.VERTICAL);
        vertical.setDividerPositions(0.42);
        BorderPane.setMargin(vertical, new Insets(10, 0, 0, 0));
        root.setCenter(vertical);
        vm.onCurvesChanged(compare::draw);
    }

    /**
     * Follows a run made elsewhere on the Training and Codebook screens, and goes to Training; it
     * is followed until another external run is opened.
     */
    ExternalRun watchExternal(Path source) {
        ExternalRun r = ctx.session().followExternalRun(source);
        ctx.session().navigate(ScreenId.TRAINING);
        return r;
    }

    public ImportCheckpointViewModel importViewModel() {
        return importVm;
    }

    public RunsViewModel viewModel() {
        return vm;
    }

    /** The main comparison chart (the metric picked on its toolbar). */
    public MetricChart overlay() {
        return compare.overlay();
    }

    /** The comparison chart of {@code m}, or null when {@code m} is not charted. */
    public MetricChart compareChart(RunsViewModel.Metric m) {
        return compare.chart(m);
    }

    public CompareViewModel compareViewModel() {
        return compareVm;
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public void onShown() {
        vm.refresh();
    }

    private Node header() {
        Label title = new Label("Runs");
        title.getStyleClass().add("screen-title");
        Button refresh = new Button("Refresh");
        refresh.setId("runs-refresh");
        refresh.setOnAction(e -> vm.refresh());
        Label status = new Label();
        status.getStyleClass().add("muted");
        status.textProperty().bind(vm.statusProperty());
        Button open = new Button("Open");
        open.setId("runs-open");
        open.setTooltip(new Tooltip("Show the selected run on Training and Codebook (or double-click it)"));
        open.disableProperty().bind(vm.selectedProperty().isNull());
        open.setOnAction(e -> vm.open(vm.selectedProperty().get()));
        Button extend = new Button("Extend…");
        extend.setId("runs-extend");
        extend.setTooltip(new Tooltip("Train the selected run on to a larger number of updates"));
        Runnable updateExtend = () -> extend.setDisable(!vm.extendBlocker(vm.selectedProperty().get(), null).isEmpty());
        vm.selectedProperty().addListener((o, a, b) -> updateExtend.run());
        ctx.session().activeRunProperty().addListener((o, a, b) -> {
            updateExtend.run();
            if (b != null) {
                b.stateProperty().addListener((x, y, z) -> updateExtend.run());
            }
        });
        updateExtend.run();
        extend.setOnAction(e -> askExtend());
        MenuButton importer = new MenuButton("Import checkpoint…");
        importer.setId("runs-import");
        importer.setTooltip(new Tooltip("Open a Hugging Face or fairseq wav2vec 2.0 checkpoint as a run"));
        importer.disableProperty().bind(importVm.busyProperty());
        MenuItem hf = new MenuItem("Hugging Face model folder…");
        hf.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Hugging Face model folder (config.json + model.safetensors or pytorch_model.bin)");
            java.io.File f = dc.showDialog(ctx.owner());
            if (f != null) {
                importVm.importCheckpoint(f.toPath());
            }
        });
        MenuItem fairseq = new MenuItem("fairseq checkpoint (.pt)…");
        fairseq.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("fairseq wav2vec 2.0 checkpoint");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PyTorch checkpoint", "*.pt"));
            java.io.File f = fc.showOpenDialog(ctx.owner());
            if (f != null) {
                importVm.importCheckpoint(f.toPath());
            }
        });
        importer.getItems().setAll(hf, fairseq);
        MenuButton external = new MenuButton("External run…");
        external.setId("runs-external");
        external.setTooltip(new Tooltip("Show a fairseq or transformers run on the Training and Codebook screens,"
                + " following its logs as they grow (a synced or mounted folder)"));
        MenuItem folder = new MenuItem("Log or TensorBoard folder…");
        folder.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Run folder: fairseq logs, trainer_state.json or TensorBoard event files");
            java.io.File f = dc.showDialog(ctx.owner());
            if (f != null) {
                watchExternal(f.toPath());
            }
        });
        MenuItem file = new MenuItem("Log file…");
        file.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("fairseq JSON log / hydra_train.log, trainer_state.json or a TensorBoard event file");
            java.io.File f = fc.showOpenDialog(ctx.owner());
            if (f != null) {
                watchExternal(f.toPath());
            }
        });
        external.getItems().setAll(folder, file);
        status.textProperty().unbind();
        status.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> importVm.busyProperty().get() ? importVm.progressProperty().get() : vm.statusProperty().get(),
                vm.statusProperty(), importVm.progressProperty(), importVm.busyProperty()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(10, title, status, grow, importer, external, open, extend, refresh);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node runTable() {
        table.setId("runs-table");
        table.setItems(vm.runs());
        table.setEditable(true);
        TableColumn<RunRow, Boolean> cmp = new TableColumn<>("Compare");
        cmp.setCellValueFactory(c -> c.getValue().compareProperty());
        cmp.setCellFactory(CheckBoxTableCell.forTableColumn(cmp));
        cmp.setEditable(true);
        cmp.setPrefWidth(70);
        table.getColumns().setAll(List.of(cmp,
                col("Run", 230, RunRow::id),
                col("Kind", 75, RunRow::kind),
                col("Family", 85, RunRow::family),
                col("State", 80, RunRow::stateText),
                col("Updates", 80, RunRow::progress),
                col("Created", 150, RunRow::created),
                col("Loss", 80, RunRow::lossText),
                col("Acc.", 55, r -> r.last() == null ? "" : String.format(Locale.ROOT, "%.1f%%",
                        100 * r.last().accuracy())),
                // plain wav2vec 1.0 has no codebook: its 0 would read as a collapsed one
                col("Code ppl", 70, r -> r.last() == null || r.last().codePerplexity() <= 0 ? "" : String.format(
                        Locale.ROOT, "%.1f", r.last().codePerplexity())),
                TableFit.explained(col("Best WER", 70, RunRow::werText), BEST_TIP),
                TableFit.explained(col("CER", 55, RunRow::cerText), BEST_TIP),
                col("Config", 280, RunRow::configSummary),
                col("Dataset", 240, RunRow::dataset)));
        table.setPlaceholder(new Label("No runs yet: start one on the Experiment screen"));
        table.getItems().addListener((javafx.collections.ListChangeListener<RunRow>) c ->
                TableFit.widenToContent(table, 420));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        table.setRowFactory(t -> {
            TableRow<RunRow> r = new TableRow<>();
            r.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !r.isEmpty() && e.getButton() == MouseButton.PRIMARY) {
                    vm.open(r.getItem());
                }
            });
            return r;
        });
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && table.getSelectionModel().getSelectedItem() != b) {
                table.getSelectionModel().select(b);
            }
        });
        return table;
    }

    /** Asks for the new number of updates; the view model checks it and starts the run. */
    private void askExtend() {
        RunRow row = vm.selectedProperty().get();
        if (row == null) {
            return;
        }
        int reached = row.status() == null ? 0 : row.status().update();
        int planned = row.status() == null ? 0 : row.status().maxUpdates();
        // twice the plan: "extend" means beyond where the run was meant to end
        TextInputDialog d = new TextInputDialog(Integer.toString(Math.max(reached + 1, 2 * Math.max(planned, reached))));
        d.setTitle("Extend " + row.id());
        d.setHeaderText("Run " + row.id() + " has done " + reached + (planned > 0 ? " of " + planned : "")
                + " updates.\nTrain it on, from its newest checkpoint and on the same data, up to:");
        d.setContentText("updates");
        d.getEditor().setId("extend-updates");
        if (root.getScene() != null) {
            d.initOwner(root.getScene().getWindow());
        }
        d.showAndWait().ifPresent(text -> {
            int n;
            try {
                n = Integer.parseInt(text.trim());
            } catch (NumberFormatException ex) {
                ctx.notifier().warning("Cannot extend " + row.id(), "'" + text + "' is not a whole number of updates");
                return;
            }
            vm.extend(row, n);
        });
    }

    private static final String BEST_TIP = "Validation WER and CER of the checkpoint the run kept (best.ckpt):"
            + " chosen by the run's selection rule, not always the lowest WER";

    private static TableColumn<RunRow, String> col(String title, double width,
                                                   java.util.function.Function<RunRow, String> f) {
        TableColumn<RunRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(width);
        c.setEditable(false);
        return c;
    }

    private Node bottom() {
        SplitPane split = new SplitPane(details(), compare);
        split.setDividerPositions(0.45);
        return split;
    }

    private Node details() {
        TextArea config = new TextArea();
        config.setId("run-config");
        config.setEditable(false);
        config.getStyleClass().add("code-area");
        config.textProperty().bind(vm.configTextProperty());
        TextArea prov = new TextArea();
        prov.setId("run-provenance");
        prov.setEditable(false);
        prov.getStyleClass().add("code-area");
        prov.textProperty().bind(vm.provenanceTextProperty());

        TableView<RunsViewModel.CheckpointRow> cps = new TableView<>(vm.checkpoints());
        cps.setId("run-checkpoints");
        TableColumn<RunsViewModel.CheckpointRow, String> upd = new TableColumn<>("Update");
        upd.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(c.getValue().update())));
        TableColumn<RunsViewModel.CheckpointRow, String> size = new TableColumn<>("Size");
        size.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format(Locale.ROOT, "%.1f MB",
                c.getValue().bytes() / 1e6)));
        TableColumn<RunsViewModel.CheckpointRow, String> when = new TableColumn<>("Written");
        when.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().problem() != null
                ? "unreadable: " + c.getValue().problem()
                : c.getValue().created().replace('T', ' ').replaceFirst("\\.\\d+", "")));
        cps.getColumns().setAll(List.of(upd, size, when));
        cps.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        cps.setPlaceholder(new Label("No checkpoints"));
        cps.getItems().addListener((javafx.collections.ListChangeListener<RunsViewModel.CheckpointRow>) c ->
                TableFit.widenToContent(cps, 400));
        Button inspect = new Button("Inspect checkpoint");
        inspect.setId("inspect-checkpoint");
        inspect.disableProperty().bind(cps.getSelectionModel().selectedItemProperty().isNull());
        inspect.setOnAction(e -> vm.inspect(cps.getSelectionModel().getSelectedItem()));
        Button resume = new Button("Resume training");
        resume.setId("resume-run");
        resume.getStyleClass().add("primary-button");
        Label why = new Label();
        why.getStyleClass().add("muted");
        why.setWrapText(true);
        Runnable updateResume = () -> {
            String w = vm.resumeBlocker(vm.selectedProperty().get());
            resume.setDisable(!w.isEmpty());
            why.setText(w);
        };
        vm.selectedProperty().addListener((o, a, b) -> updateResume.run());
        ctx.session().activeRunProperty().addListener((o, a, b) -> {
            updateResume.run();
            if (b != null) {
                b.stateProperty().addListener((x, y, z) -> updateResume.run());
            }
        });
        updateResume.run();
        resume.setOnAction(e -> vm.resume(vm.selectedProperty().get()));
        resume.setMinWidth(Region.USE_PREF_SIZE);
        inspect.setMinWidth(Region.USE_PREF_SIZE);
        why.setMinHeight(Region.USE_PREF_SIZE);
        HBox actions = new HBox(8, resume, inspect);
        actions.setAlignment(Pos.CENTER_LEFT);
        // the reason under the buttons, wrapped: beside them it was cut to "Finished: all 60 updates are …"
        VBox cpBox = new VBox(6, cps, actions, why);
        VBox.setVgrow(cps, Priority.ALWAYS);
        cpBox.setPadding(new Insets(6));

        TabPane tabs = new TabPane(new Tab("Checkpoints", cpBox), new Tab("Config", config),
                new Tab("Provenance", prov));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("run-details");
        Label title = new Label();
        title.getStyleClass().add("section-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedProperty().get() == null
                ? "Select a run" : vm.selectedProperty().get().id(), vm.selectedProperty()));
        VBox box = new VBox(6, title, tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        box.setPadding(new Insets(6, 8, 0, 0));
        return box;
    }
}
