package org.speechwb.app.experiment;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;
import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.charts.WaveformView;
import org.speechwb.app.handoff.HandoffDialog;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v1.ReceptiveField;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.train.LrSchedule;

/**
 * The Experiment screen: model family and preset, every knob of the pre-training config in a
 * property sheet validated as you type, the live mask preview, the schedules, model size, the
 * compute backend, save/load, the diff against the preset, and Start training.
 */
public final class ExperimentScreen implements Screen {

    private static final int MAX_SCHEDULE_POINTS = 2000;

    private final ScreenContext ctx;
    private final ExperimentViewModel vm;
    private final HandoffViewModel handoff;
    private final BorderPane root = new BorderPane();
    private final PropertySheet sheet = new PropertySheet();
    private final WaveformView waveform = new WaveformView();
    private final MetricChart lrChart = new MetricChart("Learning rate", "update", "learning rate");
    private final MetricChart tempChart = new MetricChart("Gumbel temperature", "update", "τ");
    private final Label modelSize = new Label();
    private final Label maskNumbers = new Label();

    public ExperimentScreen(ScreenContext ctx) {
        this.ctx = ctx;
        this.vm = new ExperimentViewModel(ctx);
        this.handoff = new HandoffViewModel(ctx, HandoffViewModel.pretraining(ctx, vm.configProperty()::get));
        root.setId("experiment-screen");
        root.setPadding(new Insets(12));
        root.setTop(header());
        SplitPane split = new SplitPane(editorPane(), detailsPane());
        split.setDividerPositions(0.46);
        BorderPane.setMargin(split, new Insets(10, 0, 0, 0));
        root.setCenter(split);
        root.setBottom(startBar());
        vm.configProperty().addListener((o, a, c) -> showDerived(c));
        vm.maskPreviewProperty().addListener((o, a, p) -> showMask(p));
        vm.previewErrorProperty().addListener((o, a, e) -> showMask(vm.maskPreviewProperty().get()));
        showDerived(vm.configProperty().get());
        showMask(vm.maskPreviewProperty().get());
    }

    public ExperimentViewModel viewModel() {
        return vm;
    }

    public HandoffViewModel handoffViewModel() {
        return handoff;
    }

    @Override
    public Node view() {
        return root;
    }

    // ---- header: family, preset, files ----------------------------------------------------

    private Node header() {
        Label title = new Label("Experiment");
        title.getStyleClass().add("screen-title");

        ComboBox<String> family = new ComboBox<>(FXCollections.observableArrayList(
                ExperimentViewModel.FAMILIES.stream().map(f -> f[0]).toList()));
        family.setId("family");
        family.setCellFactory(v -> familyCell());
        family.setButtonCell(familyCell());
        family.valueProperty().bindBidirectional(vm.familyProperty());
        family.setTooltip(new Tooltip("wav2vec 2.0: masked prediction with a Transformer; wav2vec 1.0: causal"
                + " prediction of K future frames; vq-wav2vec: wav2vec 1.0 on quantized frames"));

        ComboBox<String> preset = new ComboBox<>(vm.presetNames());
        preset.setId("preset");
        preset.valueProperty().bindBidirectional(vm.presetProperty());
        Label presetInfo = new Label();
        presetInfo.getStyleClass().add("muted");
        presetInfo.textProperty().bind(Bindings.createStringBinding(() -> {
            String name = vm.presetProperty().get();
            Path file = vm.configFileProperty().get();
            String desc = ExperimentViewModel.allPresets().stream().filter(p -> p[0].equals(name)).map(p -> p[1])
                    .findFirst().orElse("");
            return file != null ? "based on " + file.getFileName() + " (diff against " + name + ")" : desc;
        }, vm.presetProperty(), vm.configFileProperty()));

        Button load = new Button("Load…");
        load.setId("load-config");
        load.setOnAction(e -> {
            FileChooser fc = chooser("Load config");
            File f = fc.showOpenDialog(ctx.owner());
            if (f != null) {
                vm.load(f.toPath());
            }
        });
        Button save = new Button("Save…");
        save.setId("save-config");
        save.disableProperty().bind(vm.configProperty().isNull());
        save.setOnAction(e -> {
            FileChooser fc = chooser("Save config");
            fc.setInitialFileName(vm.presetProperty().get() + "-edited.yaml");
            File f = fc.showSaveDialog(ctx.owner());
            if (f != null) {
                try {
                    vm.save(f.toPath());
                } catch (IOException ex) {
                    ctx.notifier().error("Could not save the config", ex);
                }
            }
        });
        Button revert = new Button("Revert edits");
        revert.setId("revert-config");
        revert.setOnAction(e -> vm.revertEdits());
        revert.disableProperty().bind(Bindings.isEmpty(vm.diff()).and(vm.configFileProperty().isNull()));
        Button handOff = new Button("Hand off…");
        handOff.setId("handoff");
        handOff.setTooltip(new javafx.scene.control.Tooltip("Write this config and the open dataset as a fairseq or"
                + " transformers run for a GPU cluster, with its launch commands"));
        handOff.disableProperty().bind(vm.configProperty().isNull());
        handOff.setOnAction(e -> new HandoffDialog(handoff, ctx.owner()).show());

        presetInfo.setMinWidth(0);
        HBox.setHgrow(presetInfo, Priority.ALWAYS);
        HBox row = new HBox(8, new Label("Family"), family, new Label("Preset"), preset, presetInfo, load, save, revert,
                handOff);
        for (Node n : row.getChildren()) {
            if (n != presetInfo && n instanceof Region r) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        row.setAlignment(Pos.CENTER_LEFT);
        return new VBox(8, title, row);
    }

    private static ListCell<String> familyCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : ExperimentViewModel.familyLabel(s));
            }
        };
    }

    private FileChooser chooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("YAML", "*.yaml", "*.yml"),
                new FileChooser.ExtensionFilter("JSON", "*.json"));
        File runs = ctx.paths().home().toFile();
        if (runs.isDirectory()) {
            fc.setInitialDirectory(runs);
        }
        return fc;
    }

    // ---- the property sheet ---------------------------------------------------------------

    private Node editorPane() {
        sheet.setId("config-sheet");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        sheet.setCategoryComparator((a, b) -> Integer.compare(ConfigField.CATEGORIES.indexOf(a),
                ConfigField.CATEGORIES.indexOf(b)));
        showFields();
        vm.visibleFields().addListener((javafx.collections.ListChangeListener<ConfigField>) c -> showFields());
        sheet.setPropertyEditorFactory(item -> new FieldEditor(((FieldItem) item).field));
        VBox.setVgrow(sheet, Priority.ALWAYS);

        Label error = new Label();
        error.setId("config-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(vm.errorProperty().isNotEmpty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        Label warnings = new Label();
        warnings.setId("config-warnings");
        warnings.getStyleClass().add("warning-text");
        warnings.setWrapText(true);
        warnings.textProperty().bind(Bindings.createStringBinding(() -> vm.warnings().isEmpty() ? ""
                : "Note: " + String.join("\nNote: ", vm.warnings()), vm.warnings()));
        warnings.managedProperty().bind(warnings.textProperty().isNotEmpty());
        // wrapped to the column and never squeezed below their text by the sheet above
        for (Label l : List.of(error, warnings)) {
            l.setMinWidth(0);
            l.setPrefWidth(200);
            l.setMaxWidth(Double.MAX_VALUE);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        VBox box = new VBox(6, sheet, error, warnings);
        box.setPadding(new Insets(0, 8, 0, 0));
        return box;
    }

    /** One row per field of the current family: switching family swaps the knobs. */
    private void showFields() {
        List<PropertySheet.Item> items = new ArrayList<>();
        for (ConfigField f : vm.visibleFields()) {
            items.add(new FieldItem(f));
        }
        sheet.getItems().setAll(items);
    }

    /** A config field as the property sheet sees it; the value lives in the view model. */
    private final class FieldItem implements PropertySheet.Item {
        final ConfigField field;

        FieldItem(ConfigField field) {
            this.field = field;
        }

        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return field.category();
        }

        @Override
        public String getName() {
            return field.label();
        }

        @Override
        public String getDescription() {
            return field.path() + ": " + field.description();
        }

        @Override
        public Object getValue() {
            return vm.values().get(field.path());
        }

        @Override
        public void setValue(Object value) {
            vm.edit(field.path(), String.valueOf(value));
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** Text, check box or choice, with the field's error right under it. */
    private final class FieldEditor implements PropertyEditor<Object> {
        private final ConfigField field;
        private final VBox box = new VBox(1);
        private final Label error = new Label();
        private final Node control;
        private boolean updating;
        // held here and registered weakly: the sheet drops editors whenever its rows change
        private final MapChangeListener<String, String> valueListener;
        private final MapChangeListener<String, String> errorListener;

        FieldEditor(ConfigField field) {
            this.field = field;
            String id = "field-" + field.path().replace('.', '-');
            error.getStyleClass().add("field-error");
            error.setWrapText(true);
            // a long message wraps inside the editor's column instead of widening it (and pushing the labels)
            error.setMinWidth(0);
            error.setPrefWidth(120);
            error.setMaxWidth(Double.MAX_VALUE);
            error.setMinHeight(Region.USE_PREF_SIZE);
            error.setId(id + "-error");
            switch (field.kind()) {
                case BOOLEAN -> {
                    CheckBox cb = new CheckBox();
                    cb.setSelected(Boolean.parseBoolean(vm.values().get(field.path())));
                    cb.selectedProperty().addListener((o, a, b) -> {
                        if (!updating) {
                            vm.edit(field.path(), Boolean.toString(b));
                        }
                    });
                    control = cb;
                }
                case CHOICE -> {
                    ComboBox<String> combo = new ComboBox<>(FXCollections.observableArrayList(field.choices()));
                    combo.setValue(vm.values().get(field.path()));
                    combo.valueProperty().addListener((o, a, b) -> {
                        if (!updating && b != null) {
                            vm.edit(field.path(), b);
                        }
                    });
                    combo.setMaxWidth(Double.MAX_VALUE);
                    control = combo;
                }
                default -> {
                    TextField tf = new TextField(vm.values().get(field.path()));
                    // validation as you type: every keystroke rebuilds the config through the engine
                    tf.textProperty().addListener((o, a, b) -> {
                        if (!updating) {
                            vm.edit(field.path(), b);
                        }
                    });
                    control = tf;
                }
            }
            control.setId(id);
            Tooltip.install(control, new Tooltip(field.path() + "\n" + field.description()));
            box.getChildren().addAll(control, error);
            valueListener = c -> {
                if (c.getKey().equals(field.path()) && c.wasAdded()) {
                    setValue(c.getValueAdded());
                }
            };
            errorListener = c -> {
                if (c.getKey().equals(field.path())) {
                    showError();
                }
            };
            vm.values().addListener(new javafx.collections.WeakMapChangeListener<>(valueListener));
            vm.fieldErrors().addListener(new javafx.collections.WeakMapChangeListener<>(errorListener));
            showError();
        }

        private void showError() {
            String msg = vm.fieldErrors().get(field.path());
            error.setText(msg == null ? "" : msg);
            error.setManaged(msg != null);
            error.setVisible(msg != null);
            control.getStyleClass().remove("invalid");
            if (msg != null) {
                control.getStyleClass().add("invalid");
            }
        }

        @Override
        public Node getEditor() {
            return box;
        }

        @Override
        public Object getValue() {
            return vm.values().get(field.path());
        }

        @Override
        public void setValue(Object value) {
            String v = value == null ? "" : value.toString();
            updating = true;
            try {
                if (control instanceof TextField tf && !tf.getText().equals(v)) {
                    tf.setText(v);
                } else if (control instanceof CheckBox cb) {
                    cb.setSelected(Boolean.parseBoolean(v));
                } else if (control instanceof ComboBox<?> combo) {
                    @SuppressWarnings("unchecked")
                    ComboBox<String> c = (ComboBox<String>) combo;
                    c.setValue(v);
                }
            } finally {
                updating = false;
            }
        }
    }

    // ---- right side: size, backend, mask preview, schedules, diff -------------------------

    private Node detailsPane() {
        VBox box = new VBox(10, modelCard(), maskCard(), scheduleCard(), diffCard());
        box.setPadding(new Insets(0, 4, 4, 8));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private Node modelCard() {
        modelSize.setId("model-size");
        modelSize.setWrapText(true);
        ComboBox<String> backend = new ComboBox<>(FXCollections.observableArrayList("CPU", "GPU (CUDA)"));
        backend.setId("backend");
        backend.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                boolean gpu = s != null && s.startsWith("GPU");
                // ND4J fixes its backend when it loads; the choice follows the class path
                setDisable(s != null && gpu != vm.gpuAvailableProperty().get());
                setOpacity(isDisable() ? 0.5 : 1);
            }
        });
        backend.setValue("CPU");
        vm.gpuAvailableProperty().addListener((o, a, b) -> backend.setValue(b ? "GPU (CUDA)" : "CPU"));
        backend.valueProperty().addListener((o, a, b) -> {
            if (b != null && b.startsWith("GPU") != vm.gpuAvailableProperty().get()) {
                backend.setValue(a);
            }
        });
        Label device = new Label();
        device.setId("backend-device");
        device.setWrapText(true);
        device.textProperty().bind(vm.deviceProperty());
        Label reason = new Label();
        reason.getStyleClass().add("muted");
        reason.setWrapText(true);
        reason.textProperty().bind(Bindings.when(vm.gpuAvailableProperty())
                .then("The CUDA backend is on the class path; the CPU backend would need a CPU build.")
                .otherwise("GPU unavailable: this build has ND4J's CPU backend on its class path (build with"
                        + " -Pcuda for the CUDA backend)."));
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(4);
        g.addRow(0, new Label("Backend"), backend, device);
        GridPane.setHgrow(device, Priority.ALWAYS);
        return card("Model", modelSize, g, reason);
    }

    private Node maskCard() {
        ComboBox<Utterance> utt = new ComboBox<>(vm.previewUtterances());
        utt.setId("mask-utterance");
        utt.valueProperty().bindBidirectional(vm.previewUtteranceProperty());
        utt.setPrefWidth(300);
        utt.setCellFactory(v -> utteranceCell());
        utt.setButtonCell(utteranceCell());
        Button resample = new Button("Resample masks");
        resample.setId("mask-resample");
        resample.setOnAction(e -> vm.resample());
        resample.disableProperty().bind(vm.maskPreviewProperty().isNull());
        Label seed = new Label();
        seed.textProperty().bind(vm.maskSeedProperty().asString("seed %d"));
        seed.getStyleClass().add("muted");
        HBox controls = new HBox(8, utt, resample, seed);
        controls.setAlignment(Pos.CENTER_LEFT);
        waveform.setId("mask-waveform");
        waveform.setPrefHeight(130);
        waveform.samplesProperty().bind(Bindings.createObjectBinding(() -> {
            AudioClip c = vm.previewClipProperty().get();
            return c == null ? null : c.samples();
        }, vm.previewClipProperty()));
        maskNumbers.setId("mask-numbers");
        maskNumbers.setWrapText(true);
        Label hint = new Label("Shaded: the audio under masked frames (each frame covers hop × t to hop × t + receptive"
                + " field samples). Masks are drawn by the trainer's own sampler.");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        Node c = card("Mask preview", controls, waveform, maskNumbers, hint);
        // wav2vec 1.0 and vq-wav2vec mask nothing
        c.visibleProperty().bind(vm.familyProperty().isEqualTo(PretrainConfig.WAV2VEC2));
        c.managedProperty().bind(c.visibleProperty());
        return c;
    }

    private static ListCell<Utterance> utteranceCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(Utterance u, boolean empty) {
                super.updateItem(u, empty);
                setText(empty || u == null ? null : String.format(Locale.ROOT, "%s (%.2f s)", u.id(), u.seconds()));
            }
        };
    }

    private Node scheduleCard() {
        for (MetricChart c : List.of(lrChart, tempChart)) {
            c.smoothingEnabledProperty().set(false);
            c.setLegendVisible(false);
            c.setPrefHeight(220);
        }
        lrChart.setId("lr-chart");
        tempChart.setId("temperature-chart");
        HBox charts = new HBox(8, lrChart, tempChart);
        HBox.setHgrow(lrChart, Priority.ALWAYS);
        HBox.setHgrow(tempChart, Priority.ALWAYS);
        return card("Schedules over the run", charts);
    }

    private Node diffCard() {
        TableView<DiffRow> table = new TableView<>(vm.diff());
        table.setId("config-diff");
        TableColumn<DiffRow, String> field = new TableColumn<>("Field");
        field.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().path()));
        TableColumn<DiffRow, String> old = new TableColumn<>("Preset");
        old.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().preset()));
        TableColumn<DiffRow, String> now = new TableColumn<>("Now");
        now.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().current()));
        table.getColumns().setAll(List.of(field, old, now));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("Same as the preset"));
        table.setPrefHeight(160);
        Label title = new Label();
        title.textProperty().bind(Bindings.createStringBinding(() -> vm.diff().size() + " field(s) differ from "
                + vm.presetProperty().get(), vm.diff(), vm.presetProperty()));
        title.getStyleClass().add("muted");
        return card("Changes against the preset", title, table);
    }

    private static Node card(String title, Node... content) {
        Label l = new Label(title);
        l.getStyleClass().add("section-title");
        VBox v = new VBox(6, l);
        v.getChildren().addAll(content);
        v.getStyleClass().add("card");
        return v;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private void showDerived(PretrainConfig c) {
        if (c == null) {
            modelSize.setText("Invalid config: fix the marked field to see the model's size.");
            return;
        }
        if (c.isWav2Vec1()) {
            showDerivedWav2Vec1(c);
        } else {
            Wav2Vec2Config m = c.wav2vec2();
            long params = vm.parameterCount();
            modelSize.setText(String.format(Locale.ROOT,
                    "%,d parameters (%.1f M, %.0f MB as float32)%n%d frames per second of audio (hop %d samples = %.1f ms,"
                            + " receptive field %d samples = %.1f ms)%nCrops of %.2f–%.2f s give %d–%d frames",
                    params, params / 1e6, params * 4 / 1e6, m.framesFor(16_000), m.hopSamples(), m.hopSamples() / 16.0,
                    m.receptiveFieldSamples(), m.receptiveFieldSamples() / 16.0, c.data().minSampleSize() / 16000.0,
                    c.data().maxSampleSize() / 16000.0, c.minCropFrames(), m.framesFor(c.data().maxSampleSize())));
        }
        int n = c.run().maxUpdates();
        int step = Math.max(1, n / MAX_SCHEDULE_POINTS);
        int points = (n + step - 1) / step;
        double[] x = new double[points];
        double[] lr = new double[points];
        double[] tau = new double[points];
        LrSchedule schedule = new LrSchedule(c.optimizer(), n);
        for (int i = 0; i < points; i++) {
            int u = i == points - 1 ? n - 1 : i * step;
            x[i] = u + 1;
            lr[i] = schedule.at(u);
            tau[i] = c.quantizer() == null ? Double.NaN : c.quantizer().temperature(u);
        }
        lrChart.setSeries("learning rate", x, lr);
        // only Gumbel quantizers have a temperature (wav2vec 2.0 and Gumbel vq-wav2vec); MFCC cluster targets use none
        boolean gumbel = c.quantizer() != null && !c.loss().clusterTargets();
        tempChart.setVisible(gumbel);
        tempChart.setManaged(gumbel);
        if (gumbel) {
            tempChart.setSeries("temperature", x, tau);
        } else {
            tempChart.clear();
        }
    }

    private void showDerivedWav2Vec1(PretrainConfig c) {
        Wav2Vec1Config w = c.wav2vec1();
        ReceptiveField rf = w.receptiveField();
        long params = vm.parameterCount();
        int offset = w.effectiveOffset();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%,d parameters (%.1f M, %.0f MB as float32)%n"
                        + "Encoder frame: receptive field %d samples = %.1f ms, hop %d samples = %.1f ms (%d frames per"
                        + " second)%nContext vector: %d frames = %.0f ms of audio%n"
                        + "Predicts K = %d steps: frames %d…%d ahead (%.0f–%.0f ms), %s loss, %d distractors per target",
                params, params / 1e6, params * 4 / 1e6, rf.encoderSamples(), rf.encoderMs(), rf.hopSamples(),
                rf.hopMs(), Math.round(16_000.0 / rf.hopSamples()), rf.contextFrames(), rf.contextMs(),
                w.predictionSteps(), offset,
                offset + w.predictionSteps() - 1, offset * rf.hopMs(), (offset + w.predictionSteps() - 1) * rf.hopMs(),
                w.objective().equals(Wav2Vec1Config.BINARY) ? "binary logistic" : "InfoNCE", c.loss().negatives()));
        if (w.quantized()) {
            sb.append(String.format(Locale.ROOT, "%nQuantizer: %s, G = %d groups × V = %d entries%s (max perplexity %d)",
                    w.quantizer(), w.vqGroups(), w.vqEntries(), w.combineGroups() ? ", one shared codebook" : "",
                    w.vqGroups() * w.vqEntries()));
        }
        sb.append(String.format(Locale.ROOT, "%nCrops of %.2f–%.2f s give %d–%d frames",
                c.data().minSampleSize() / 16000.0, c.data().maxSampleSize() / 16000.0, c.minCropFrames(),
                w.framesFor(c.data().maxSampleSize())));
        modelSize.setText(sb.toString());
    }

    private void showMask(MaskPreview p) {
        String readError = vm.previewErrorProperty().get();
        maskNumbers.getStyleClass().remove("error-text");
        if (p == null) {
            waveform.spansProperty().set(List.of());
            if (vm.configProperty().get() == null) {
                maskNumbers.setText("Invalid config.");
            } else if (!readError.isEmpty()) {
                maskNumbers.setText(readError);
                maskNumbers.getStyleClass().add("error-text");
            } else {
                maskNumbers.setText(vm.previewClipProperty().get() == null ? "Loading audio…" : "");
            }
            return;
        }
        List<WaveformView.Span> spans = new ArrayList<>();
        for (MaskPreview.Span s : p.spans()) {
            spans.add(new WaveformView.Span(s.startSample(), s.endSample()));
        }
        waveform.spansProperty().set(spans);
        maskNumbers.setText(String.format(Locale.ROOT,
                "%d frames, %d masked in %d span(s): actual %.1f%% masked, expected %.1f%%",
                p.frames(), countMasked(p.mask()), p.spans().size(), 100 * p.actualFraction(),
                100 * p.expectedFraction()));
    }

    private static int countMasked(boolean[] m) {
        int n = 0;
        for (boolean b : m) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    // ---- start ----------------------------------------------------------------------------

    private Node startBar() {
        TextField name = new TextField();
        name.setId("run-name");
        name.setPromptText("Run name (default: the config's name)");
        name.textProperty().bindBidirectional(vm.runNameProperty());
        name.setPrefWidth(260);
        Button start = new Button("Start training");
        start.setId("start-training");
        start.getStyleClass().add("primary-button");
        start.disableProperty().bind(vm.canStartProperty().not());
        start.setOnAction(e -> vm.startTraining());
        Label blocker = new Label();
        blocker.setId("start-blocker");
        blocker.getStyleClass().add("muted");
        blocker.textProperty().bind(vm.startBlockerProperty());
        Label data = new Label();
        data.getStyleClass().add("muted");
        data.textProperty().bind(Bindings.createStringBinding(() -> {
            var ds = ctx.session().dataset();
            if (ds == null) {
                return "";
            }
            return String.format(Locale.ROOT, "Trains on %d utterances of %s (%s)",
                    ctx.session().trainingUtterances().size(), ds.root().getFileName(),
                    ctx.session().splitChoiceProperty().get().describe());
        }, ctx.session().datasetProperty(), ctx.session().splitsProperty(), ctx.session().splitChoiceProperty()));
        HBox bar = new HBox(10, data, spacer(), blocker, name, start);
        bar.setAlignment(Pos.CENTER_RIGHT);
        bar.setPadding(new Insets(10, 0, 0, 0));
        return bar;
    }
}
