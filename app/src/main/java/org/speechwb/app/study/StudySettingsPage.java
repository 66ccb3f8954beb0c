package org.speechwb.app.study;

import java.nio.file.Path;
import java.util.Locale;

import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.speechwb.app.study.StudySettingsViewModel.Field;
import org.speechwb.engine.experiment.Arm;

/** Part 1 of the Study wizard: the experiment's settings, each checked as it is typed. */
final class StudySettingsPage {

    /** Opens a folder chooser: title, start folder; null when cancelled. */
    interface FolderChooser {
        Path choose(String title, String start);
    }

    private final StudyViewModel vm;
    private final StudySettingsViewModel s;
    private final FolderChooser chooser;
    private final BorderPane root = new BorderPane();
    private final GridPane grid = new GridPane();
    private int row;

    StudySettingsPage(StudyViewModel vm, FolderChooser chooser, Runnable openResults) {
        this.vm = vm;
        this.s = vm.settings();
        this.chooser = chooser;
        root.setId("study-settings");
        Label intro = new Label("Runs the protocol of docs/experiment.md on a corpus: speaker-disjoint splits,"
                + " wav2vec 2.0 and 1.0 pre-trained on the training speakers, labeled subsets per seed, settings chosen"
                + " on validation, WER/CER greedy and with an LM. Results (results.json, results.md) and every run"
                + " go to the output folder; the defaults take hours on a laptop CPU.");
        intro.setWrapText(true);
        intro.getStyleClass().add("muted");

        grid.setHgap(10);
        grid.setVgap(8);
        grid.getColumnConstraints().addAll(col(235, false), col(500, false), col(90, false), col(120, true));
        folderRow("Corpus folder", "study-corpus", s.corpusProperty(), Field.CORPUS,
                "Any dataset layout (Kaldi directory, workbench corpus, LibriSpeech, folder). Empty: synthesise a"
                        + " corpus with the bundled recipe (needs espeak-ng and flite).", null);
        Button useIts = new Button("Use its settings");
        useIts.setId("study-out-use-settings");
        useIts.setTooltip(new Tooltip("Put that experiment's settings (seeds, arms, grids, pre-training seed, …) into"
                + " this page, so Start continues it exactly"));
        useIts.visibleProperty().bind(s.outHasResultsProperty());
        useIts.managedProperty().bind(useIts.visibleProperty());
        useIts.setOnAction(e -> vm.useSettingsOfOutputFolder());
        folderRow("Output folder", "study-out", s.outProperty(), Field.OUT,
                "Where results.json, results.md, reports and the runs go. Reusing a folder continues it.",
                s.outNoteProperty()).getChildren().add(useIts);
        textRow("Labeled minutes per seed", "study-minutes", s.labeledMinutesProperty(), Field.MINUTES,
                "Transcribed training audio per labeled subset (the papers' 10 minutes)", null);
        textRow("Seeds", "study-seeds", s.seedsProperty(), Field.SEEDS,
                "One labeled subset and training seed each; results are averaged over them", null);
        checkRow("Grid judged on", "Choose each arm's setting on every seed, not the first only",
                "study-grid-every-seed", s.gridOnEverySeedProperty(), "Each arm's grid of settings is trained on every"
                        + " seed and the best mean validation result chosen: steadier than the first seed alone (on"
                        + " speechocean762 that choice reversed on the other seeds), at as many times the grid's cost"
                        + " as there are seeds");
        armsRow();
        folderRow("Pre-trained wav2vec 2.0 (optional)", "study-pretrained-model", s.pretrainedModelProperty(),
                Field.PRETRAINED_MODEL, "A run folder to use instead of pre-training one: an imported fairseq or"
                        + " transformers checkpoint (Runs → Import checkpoint…) or a workbench run. It must not have"
                        + " seen the held-out speakers, which the experiment cannot check. Empty: pre-train here.", null);
        javafx.beans.binding.BooleanBinding given = s.pretrainedModelProperty().isNotEmpty();
        textRow("wav2vec 2.0 pre-training updates", "study-pretrain", s.pretrainUpdatesProperty(), Field.PRETRAIN,
                "Pre-training of the wav2vec2 arm (and of the probes); unused with a given model", null)
                .disableProperty().bind(given);
        checkRow("Pre-training draws", "Pre-train once per seed, that seed being the pre-training seed",
                "study-pretrain-per-seed", s.pretrainPerSeedProperty(), "Each labeled seed gets its own pre-trained"
                        + " wav2vec 2.0 and wav2vec 1.0, so the mean and range cover the pre-training draw too: on"
                        + " speechocean762 two draws of one recipe probed 8 points apart. Costs one pre-training per"
                        + " seed instead of one; unused with a given model").disableProperty().bind(given);
        textRow("Pre-training seed", "study-pretrain-seed", s.pretrainSeedProperty(), Field.PRETRAIN_SEED,
                "Of the wav2vec 2.0 and 1.0 pre-trainings. Another seed is another pre-trained model (and needs"
                        + " another output folder): two runs of one"
                        + " recipe can differ as much as the effect measured, so compare over several; unused with"
                        + " a given model or a pre-training per seed", null).disableProperty()
                .bind(given.or(s.pretrainPerSeedProperty()));
        textRow("wav2vec 1.0 pre-training updates", "study-feature", s.featureUpdatesProperty(), Field.FEATURE,
                "Pre-training of the feature extractor of the wav2vec1 arm", null);
        textRow("Fine-tuning updates", "study-finetune", s.finetuneUpdatesProperty(), Field.FINETUNE,
                "CTC fine-tuning of both wav2vec 2.0 arms", null);
        textRow("Acoustic model updates", "study-acoustic", s.acousticUpdatesProperty(), Field.ACOUSTIC,
                "The small conv CTC model of the logmel and wav2vec1 arms", null);
        textRow("Probe updates (0: no probes)", "study-probe", s.probeUpdatesProperty(), Field.PROBE,
                "Linear CTC probe per layer of the pre-trained and a random wav2vec 2.0", s.probeNoteProperty());
        testSetsRow();

        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        scroll.setPadding(new Insets(4, 0, 4, 0));

        Button start = new Button("Start");
        start.setId("study-start");
        start.getStyleClass().add("primary-button");
        start.disableProperty().bind(vm.canStartProperty().not());
        start.setOnAction(e -> vm.start());
        Button open = new Button("Open results…");
        open.setId("study-open-results");
        open.setTooltip(new Tooltip("Show the results.json of an existing experiment folder without running anything"));
        open.setOnAction(e -> openResults.run());
        Label blocker = new Label();
        blocker.setId("study-start-blocker");
        blocker.getStyleClass().add("muted");
        blocker.textProperty().bind(vm.startBlockerProperty());
        Label other = errorLabel("study-other-error", s.errorProperty(Field.OTHER));
        HBox actions = new HBox(10, start, open, blocker, other);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.setPadding(new Insets(8, 0, 0, 0));

        Label baseNote = new Label();
        baseNote.setId("study-base-note");
        baseNote.getStyleClass().add("muted");
        baseNote.setWrapText(true);
        baseNote.textProperty().bind(s.baseNoteProperty());
        Button defaults = new Button("Use the defaults for them");
        defaults.setId("study-base-defaults");
        defaults.setMinWidth(Region.USE_PREF_SIZE);
        defaults.setOnAction(e -> s.useDefaultHiddenSettings());
        HBox base = new HBox(10, baseNote, defaults);
        base.setAlignment(Pos.CENTER_LEFT);
        base.visibleProperty().bind(baseNote.textProperty().isNotEmpty());
        base.managedProperty().bind(base.visibleProperty());
        VBox top = new VBox(6, intro, base);
        top.setPadding(new Insets(0, 0, 8, 0));
        root.setTop(top);
        root.setCenter(scroll);
        root.setBottom(actions);
    }

    Node view() {
        return root;
    }

    private static ColumnConstraints col(double pref, boolean grow) {
        ColumnConstraints c = new ColumnConstraints();
        c.setPrefWidth(pref);
        c.setMinWidth(grow ? 80 : pref * 0.6);
        c.setHgrow(grow ? Priority.ALWAYS : Priority.SOMETIMES);
        c.setHalignment(HPos.LEFT);
        return c;
    }

    /** A named row holding one check box bound to {@code p}. */
    private CheckBox checkRow(String label, String text, String id, javafx.beans.property.BooleanProperty p,
                              String help) {
        CheckBox box = new CheckBox(text);
        box.setId(id);
        box.setTooltip(new Tooltip(help));
        box.selectedProperty().bindBidirectional(p);
        grid.add(name(label, help), 0, row);
        grid.add(box, 1, row, 3, 1);
        row++;
        return box;
    }

    private Label name(String text, String help) {
        Label l = new Label(text);
        l.setTooltip(new Tooltip(help));
        l.setMinWidth(Region.USE_PREF_SIZE);
        GridPane.setValignment(l, VPos.TOP);
        GridPane.setMargin(l, new Insets(4, 0, 0, 0));
        return l;
    }

    private static Label errorLabel(String id, ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("field-error");
        l.setWrapText(true);
        l.textProperty().bind(text);
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    /** The field's message (red) and a note (muted) under it, beside the field. */
    private VBox messages(String id, Field f, ObservableStringValue note) {
        VBox box = new VBox(2, errorLabel(id + "-error", s.errorProperty(f)));
        if (note != null) {
            Label n = new Label();
            n.setId(id + "-note");
            n.getStyleClass().add("muted");
            n.setWrapText(true);
            n.textProperty().bind(note);
            n.visibleProperty().bind(n.textProperty().isNotEmpty());
            n.managedProperty().bind(n.visibleProperty());
            box.getChildren().add(n);
        }
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private TextField field(String id, StringProperty p, Field f) {
        TextField tf = new TextField();
        tf.setId(id);
        tf.textProperty().bindBidirectional(p);
        s.errorProperty(f).addListener((o, a, b) -> mark(tf, !b.isEmpty()));
        mark(tf, !s.errorProperty(f).get().isEmpty());
        return tf;
    }

    private static void mark(Node n, boolean invalid) {
        n.getStyleClass().remove("invalid");
        if (invalid) {
            n.getStyleClass().add("invalid");
        }
    }

    /** Returns the field, for more bindings. */
    private TextField textRow(String label, String id, StringProperty p, Field f, String help,
                              ObservableStringValue note) {
        TextField tf = field(id, p, f);
        tf.setPrefColumnCount(10);
        tf.setMaxWidth(160);
        tf.setTooltip(new Tooltip(help));
        grid.add(name(label, help), 0, row);
        grid.add(tf, 1, row);
        grid.add(messages(id, f, note), 2, row, 2, 1);
        row++;
        return tf;
    }

    /** Returns the box of the field's messages, for more beside them. */
    private VBox folderRow(String label, String id, StringProperty p, Field f, String help,
                           ObservableStringValue note) {
        TextField tf = field(id, p, f);
        tf.setTooltip(new Tooltip(help));
        Button browse = new Button("Choose…");
        browse.setId(id + "-choose");
        browse.setMinWidth(Region.USE_PREF_SIZE);
        browse.setOnAction(e -> {
            Path chosen = chooser.choose(label, p.get());
            if (chosen != null) {
                p.set(chosen.toString());
            }
        });
        // the field stays level with its label when the notes beside it take several lines
        GridPane.setValignment(tf, VPos.TOP);
        GridPane.setValignment(browse, VPos.TOP);
        grid.add(name(label, help), 0, row);
        grid.add(tf, 1, row);
        grid.add(browse, 2, row);
        VBox messages = messages(id, f, note);
        grid.add(messages, 3, row);
        row++;
        return messages;
    }

    private void armsRow() {
        // one row per comparison: the wav2vec 2.0 pair, then the feature pair, then the acoustic model on
        // the pre-trained wav2vec 2.0's best-probed layer (compared with log-mel above it) beside its
        // random-initialised control, and the wav2vec 1.0 arm's control
        GridPane boxes = new GridPane();
        boxes.setHgap(16);
        boxes.setVgap(6);
        Arm[][] pairs = {{Arm.SCRATCH, Arm.WAV2VEC2}, {Arm.LOGMEL, Arm.WAV2VEC1},
                {Arm.W2V2_FEATURES, Arm.W2V2_RANDOM_FEATURES}, {Arm.WAV2VEC1_RANDOM}};
        for (int r = 0; r < pairs.length; r++) {
            for (int c = 0; c < pairs[r].length; c++) {
                Arm a = pairs[r][c];
                CheckBox box = new CheckBox(a.title());
                box.setId("study-arm-" + a.key());
                box.setTooltip(new Tooltip("results.json key: " + a.key()));
                box.selectedProperty().bindBidirectional(s.armProperty(a));
                box.setMinWidth(Region.USE_PREF_SIZE);
                boxes.add(box, c, r);
            }
        }
        grid.add(name("Arms", "Which models to train and compare"), 0, row);
        grid.add(boxes, 1, row);
        grid.add(messages("study-arms", Field.ARMS, null), 2, row, 2, 1);
        row++;
    }

    private void testSetsRow() {
        ListView<String> list = new ListView<>(s.testSets());
        list.setId("study-test-sets");
        list.setPrefHeight(84);
        list.setPlaceholder(new Label("None: only the held-out speakers are scored"));
        TextField spec = new TextField();
        spec.setId("study-test-set-spec");
        spec.setPromptText("NAME=DIR or DIR");
        spec.setOnAction(e -> {
            s.addTestSet(spec.getText());
            spec.clear();
        });
        Button add = new Button("Add");
        add.setId("study-test-set-add");
        add.setOnAction(e -> {
            s.addTestSet(spec.getText());
            spec.clear();
        });
        Button choose = new Button("Choose…");
        choose.setId("study-test-set-choose");
        choose.setOnAction(e -> {
            Path p = chooser.choose("Extra test set (labeled audio, scored only)", "datasets");
            if (p != null) {
                s.addTestSet(p.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-")
                        + "=" + p);
            }
        });
        Button remove = new Button("Remove");
        remove.setId("study-test-set-remove");
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> s.testSets().remove(list.getSelectionModel().getSelectedItem()));
        HBox.setHgrow(spec, Priority.ALWAYS);
        HBox adder = new HBox(6, spec, add, choose, remove);
        adder.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, list, adder);
        String help = "Extra labeled held-out sets, scored only (never trained or chosen on)";
        grid.add(name("Extra test sets (optional)", help), 0, row);
        grid.add(box, 1, row);
        grid.add(messages("study-test-sets", Field.TEST_SETS, null), 2, row, 2, 1);
        row++;
    }
}
