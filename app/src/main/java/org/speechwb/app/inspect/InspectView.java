package org.speechwb.app.inspect;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import org.controlsfx.control.SearchableComboBox;
import org.speechwb.app.charts.SpectrogramScaleToggle;
import org.speechwb.engine.data.Utterance;

/**
 * The Inspect screen's view: pickers, the inspection canvas with its scroll bar, playback and
 * status. It only binds to {@link InspectViewModel}; the model does all engine work.
 */
public final class InspectView extends BorderPane {

    private final InspectViewModel vm;
    private final InspectionCanvas canvas = new InspectionCanvas();
    private final TranscriptDiffView transcripts = new TranscriptDiffView();
    private final ScrollBar scroll = new ScrollBar();
    private final AudioPlayback playback = new AudioPlayback();
    private final AudioPlayback.Availability audioOut;
    private final Label transcript = new Label();
    private final Button play = new Button("▶ Play");
    private final Button stop = new Button("■");
    private boolean syncingScroll;

    public InspectView(InspectViewModel vm) {
        this(vm, AudioPlayback.probe());
    }

    InspectView(InspectViewModel vm, AudioPlayback.Availability audioOut) {
        this.vm = vm;
        this.audioOut = audioOut;
        getStyleClass().add("inspect-view");
        setTop(buildToolbar());
        setCenter(buildCenter());
        setBottom(buildStatus());
        canvas.setUnavailableTiers(InspectViewModel.FINE_TUNING_TIERS);
        vm.audioProperty().addListener((o, a, b) -> {
            playback.stop();
            canvas.setAudio(b);
            // the spectrogram may already be there (computed before this listener ran)
            canvas.setSpectrogram(vm.spectrogram().spectrogramProperty().get());
        });
        vm.spectrogram().spectrogramProperty().addListener((o, a, b) -> canvas.setSpectrogram(b));
        vm.inspectionProperty().addListener((o, a, b) -> canvas.setInspection(b));
        vm.ctcProperty().addListener((o, a, b) -> {
            canvas.setCtc(b);
            transcripts.show(b);
        });
        vm.utteranceProperty().addListener((o, a, b) -> transcript.setText(describe(b)));
        canvas.axis().addListener(this::syncScrollBar);
        scroll.valueProperty().addListener((o, a, b) -> {
            if (!syncingScroll) {
                canvas.axis().scrollTo(b.doubleValue());
            }
        });
    }

    public InspectionCanvas canvas() {
        return canvas;
    }

    public TranscriptDiffView transcripts() {
        return transcripts;
    }

    private Region buildToolbar() {
        SearchableComboBox<Utterance> utterance = new SearchableComboBox<>(vm.utterances());
        utterance.setId("inspect-utterance");
        utterance.setPromptText("utterance");
        utterance.setPrefWidth(260);
        utterance.valueProperty().bindBidirectional(vm.utteranceProperty());
        utterance.setConverter(new StringConverter<>() {
            @Override
            public String toString(Utterance u) {
                return u == null ? "" : u.id();
            }

            @Override
            public Utterance fromString(String s) {
                return vm.utterances().stream().filter(u -> u.id().equals(s)).findFirst().orElse(null);
            }
        });
        ComboBox<InspectViewModel.CheckpointChoice> checkpoint = new ComboBox<>(vm.checkpoints());
        checkpoint.setId("inspect-checkpoint");
        checkpoint.setPromptText("checkpoint (train a run first)");
        checkpoint.setPrefWidth(300);
        checkpoint.valueProperty().bindBidirectional(vm.checkpointProperty());
        checkpoint.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(InspectViewModel.CheckpointChoice c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? "checkpoint (train a run first)" : c.toString());
            }
        });

        Button resample = new Button("Resample mask");
        resample.setId("inspect-resample");
        resample.setTooltip(new Tooltip("Draw a new mask and new distractors (new seed) and run the model again"));
        resample.disableProperty().bind(vm.inspectionProperty().isNull().or(vm.busyProperty()));
        resample.setOnAction(e -> vm.resampleMask());
        Label seed = new Label();
        seed.textProperty().bind(Bindings.format("seed %d", vm.maskSeedProperty()));

        Button zoomIn = new Button("+");
        zoomIn.setId("inspect-zoom-in");
        zoomIn.setTooltip(new Tooltip("Zoom in (mouse wheel over the waveform)"));
        zoomIn.setOnAction(e -> canvas.axis().zoom(2, canvas.axis().left() + canvas.axis().width() / 2));
        Button zoomOut = new Button("−");
        zoomOut.setTooltip(new Tooltip("Zoom out"));
        zoomOut.setOnAction(e -> canvas.axis().zoom(0.5, canvas.axis().left() + canvas.axis().width() / 2));
        Button zoomSel = new Button("To selection");
        zoomSel.setTooltip(new Tooltip("Zoom to the selection (or double-click it)"));
        zoomSel.setOnAction(e -> canvas.zoomToSelection());
        Button all = new Button("All");
        all.setTooltip(new Tooltip("Show the whole utterance"));
        all.setOnAction(e -> canvas.axis().showAll());

        play.setId("inspect-play");
        stop.setId("inspect-stop");
        if (audioOut.available()) {
            play.setTooltip(new Tooltip("Play the selection (drag on the waveform to select), or everything"));
            play.setOnAction(e -> playSelection());
            stop.setOnAction(e -> playback.stop());
            play.disableProperty().bind(vm.audioProperty().isNull());
        } else {
            play.setDisable(true);
            stop.setDisable(true);
        }
        Label noAudio = new Label(audioOut.available() ? "" : "Playback off (no audio device)");
        noAudio.setTooltip(new Tooltip(audioOut.reason()));
        noAudio.setMinWidth(Region.USE_PREF_SIZE);
        noAudio.setId("inspect-no-audio");
        noAudio.getStyleClass().add("muted");
        noAudio.setVisible(!audioOut.available());
        noAudio.setManaged(!audioOut.available());

        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(20, 20);
        busy.visibleProperty().bind(vm.busyProperty());

        Label uLabel = new Label("Utterance");
        uLabel.setMinWidth(Region.USE_PREF_SIZE);
        Label cLabel = new Label("Checkpoint");
        cLabel.setMinWidth(Region.USE_PREF_SIZE);
        for (Button b : new Button[] {resample, zoomIn, zoomOut, zoomSel, all, play, stop}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(8, uLabel, utterance, cLabel, checkpoint, resample, seed, busy);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setPadding(new Insets(8, 8, 4, 8));
        transcript.setId("inspect-transcript");
        transcript.setStyle("-fx-font-size: 13px;");
        transcript.setMinWidth(0);
        transcript.setTooltip(new Tooltip("Reference transcript from the dataset (not a model output)"));
        Label zoom = new Label("Zoom");
        zoom.setMinWidth(Region.USE_PREF_SIZE);
        Label spec = new Label("Spectrogram");
        spec.setMinWidth(Region.USE_PREF_SIZE);
        SpectrogramScaleToggle scale = new SpectrogramScaleToggle(vm.spectrogram().scaleProperty(), "inspect-spectrogram");
        scale.setMinWidth(Region.USE_PREF_SIZE);
        HBox row2 = new HBox(8, transcript, grow, noAudio, play, stop, new Separator(Orientation.VERTICAL),
                spec, scale, new Separator(Orientation.VERTICAL), zoom, zoomIn, zoomOut, zoomSel, all);
        row2.setAlignment(Pos.CENTER_LEFT);
        row2.setPadding(new Insets(0, 8, 6, 8));
        return new VBox(row, row2);
    }

    private Region buildCenter() {
        scroll.setOrientation(Orientation.HORIZONTAL);
        Label error = new Label();
        error.setId("inspect-error");
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        error.setStyle("-fx-background-color: #fdecea; -fx-text-fill: #b71c1c; -fx-padding: 6 10;");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        VBox box = new VBox(error, transcripts, canvas, scroll);
        VBox.setVgrow(canvas, Priority.ALWAYS);
        box.setPadding(new Insets(0, 8, 0, 8));
        return box;
    }

    private Region buildStatus() {
        Label status = new Label();
        status.setId("inspect-status");
        status.textProperty().bind(vm.statusProperty());
        Label pointer = new Label();
        pointer.setId("inspect-pointer");
        pointer.textProperty().bind(canvas.pointerInfoProperty());
        pointer.getStyleClass().add("muted");
        Label help = new Label("wheel: zoom · shift+wheel or right-drag: scroll · drag: select · double-click: zoom to selection");
        help.getStyleClass().add("muted");
        help.setStyle("-fx-text-fill: #757575;");
        VBox box = new VBox(2, status, pointer, help);
        box.setPadding(new Insets(6, 8, 8, 8));
        return box;
    }

    private void syncScrollBar() {
        SampleAxis a = canvas.axis();
        syncingScroll = true;
        double visible = a.viewEnd() - a.viewStart();
        scroll.setMin(0);
        scroll.setMax(Math.max(0, a.totalSamples() - visible));
        scroll.setVisibleAmount(visible);
        scroll.setUnitIncrement(visible / 20);
        scroll.setBlockIncrement(visible * 0.9);
        scroll.setValue(a.viewStart());
        scroll.setDisable(visible >= a.totalSamples());
        syncingScroll = false;
    }

    private void playSelection() {
        float[] samples = vm.audioProperty().get();
        if (samples == null) {
            return;
        }
        long[] sel = canvas.selection();
        long from = sel == null ? 0 : sel[0];
        long to = sel == null ? samples.length : sel[1];
        playback.play(samples, from, to, pos -> Platform.runLater(() -> canvas.setPlayhead(pos < 0 ? Double.NaN : pos)));
    }

    /** Stops playback (screen hidden or closed). */
    public void stopPlayback() {
        playback.stop();
    }

    private static String describe(Utterance u) {
        if (u == null) {
            return "";
        }
        String who = u.speaker() == null ? "" : "  ·  speaker " + u.speaker();
        String text = u.transcript() == null ? "(no transcript)" : "“" + u.transcript() + "”";
        return text + who;
    }
}
