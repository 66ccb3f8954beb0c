package org.speechwb.app.runs;

import java.util.List;
import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.TableFit;

/** The Runs screen: all runs, their details, overlaid curves, resume and inspect. */
public final class RunsScreen implements Screen {

    private final ScreenContext ctx;
    private final RunsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final TableView<RunRow> table = new TableView<>();
    private final CompareViewModel compareVm;
    private final CompareView compare;

    public RunsScreen(ScreenContext ctx) {
        this.ctx = ctx;
        this.vm = new RunsViewModel(ctx);
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
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(10, title, status, grow, refresh);
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
                col("State", 80, r -> r.state().name().toLowerCase(Locale.ROOT)),
                col("Updates", 80, RunRow::progress),
                col("Created", 150, RunRow::created),
                col("Loss", 80, RunRow::lossText),
                col("Acc.", 55, r -> r.last() == null ? "" : String.format(Locale.ROOT, "%.1f%%",
                        100 * r.last().accuracy())),
                // plain wav2vec 1.0 has no codebook: its 0 would read as a collapsed one
                col("Code ppl", 70, r -> r.last() == null || r.last().codePerplexity() <= 0 ? "" : String.format(
                        Locale.ROOT, "%.1f", r.last().codePerplexity())),
                col("Best WER", 70, RunRow::werText),
                col("CER", 55, RunRow::cerText),
                col("Config", 280, RunRow::configSummary),
                col("Dataset", 240, RunRow::dataset)));
        table.setPlaceholder(new Label("No runs yet: start one on the Experiment screen"));
        table.getItems().addListener((javafx.collections.ListChangeListener<RunRow>) c ->
                TableFit.widenToContent(table, 420));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && table.getSelectionModel().getSelectedItem() != b) {
                table.getSelectionModel().select(b);
            }
        });
        return table;
    }

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
