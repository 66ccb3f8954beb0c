package org.speechwb.app.study;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.speechwb.app.study.StudyProgressViewModel.Phase;

/** Part 2 of the Study wizard: the stage, the current training run's progress, the log, Stop and Continue. */
final class StudyProgressPage {

    private final VBox root = new VBox(8);

    StudyProgressPage(StudyViewModel vm) {
        StudyProgressViewModel p = vm.progress();
        root.setId("study-progress-page");
        Label folder = new Label();
        folder.getStyleClass().add("muted");
        folder.textProperty().bind(Bindings.createStringBinding(() -> p.folderProperty().get() == null ? ""
                : "Experiment folder: " + p.folderProperty().get(), p.folderProperty()));
        Label stage = new Label();
        stage.setId("study-stage");
        stage.getStyleClass().add("section-title");
        stage.setWrapText(true);
        stage.textProperty().bind(p.stageProperty());

        ProgressBar bar = new ProgressBar();
        bar.setId("study-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(Bindings.createDoubleBinding(() -> p.runningProperty().get()
                ? p.progressProperty().get() : 0, p.progressProperty(), p.runningProperty()));
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label barText = new Label();
        barText.setId("study-progress-text");
        barText.setMinWidth(260);
        barText.textProperty().bind(Bindings.createStringBinding(() -> !p.runningProperty().get() ? ""
                : p.progressTextProperty().get().isEmpty() ? "between training runs (features, scoring, …)"
                : p.progressTextProperty().get(), p.progressTextProperty(), p.runningProperty()));
        HBox barRow = new HBox(10, bar, barText);
        barRow.setAlignment(Pos.CENTER_LEFT);

        Button stop = new Button("Stop");
        stop.setId("study-stop");
        stop.setTooltip(new Tooltip("The training run in progress writes a checkpoint and stops; Continue picks up there"));
        stop.disableProperty().bind(p.phaseProperty().isNotEqualTo(Phase.RUNNING));
        stop.setOnAction(e -> p.stop());
        Button cont = new Button("Continue");
        cont.setId("study-continue");
        cont.getStyleClass().add("primary-button");
        cont.setTooltip(new Tooltip("Run the same settings again in the same folder: finished stages are reused"));
        cont.disableProperty().bind(Bindings.createBooleanBinding(() -> !p.canContinue(), p.phaseProperty()));
        cont.setOnAction(e -> p.continueRun());
        Button results = new Button("Show results");
        results.setId("study-show-results");
        results.disableProperty().bind(vm.results().resultsProperty().isNull());
        results.setOnAction(e -> vm.pageProperty().set(StudyViewModel.Page.RESULTS));
        Label resultsNote = new Label();
        resultsNote.getStyleClass().add("muted");
        resultsNote.textProperty().bind(Bindings.createStringBinding(() -> vm.results().resultsProperty().get() != null
                && p.runningProperty().get() ? "Results of the arms finished so far are in" : "",
                vm.results().resultsProperty(), p.runningProperty()));
        HBox buttons = new HBox(8, stop, cont, results, resultsNote);
        buttons.setAlignment(Pos.CENTER_LEFT);

        Label message = new Label();
        message.setId("study-message");
        message.setWrapText(true);
        message.textProperty().bind(p.messageProperty());
        message.visibleProperty().bind(message.textProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        p.phaseProperty().addListener((o, a, b) -> {
            message.getStyleClass().removeAll("error-text", "ok-text", "warning-text");
            message.getStyleClass().add(b == Phase.FAILED ? "error-text" : b == Phase.STOPPED ? "warning-text"
                    : "ok-text");
        });

        ListView<String> log = new ListView<>(p.log());
        log.setId("study-log");
        log.getStyleClass().add("code-area");
        log.setPlaceholder(new Label("The experiment's log appears here"));
        // follow the newest line
        p.log().addListener((ListChangeListener<String>) c -> {
            if (!p.log().isEmpty()) {
                log.scrollTo(p.log().size() - 1);
            }
        });
        VBox.setVgrow(log, Priority.ALWAYS);
        root.getChildren().addAll(folder, stage, barRow, buttons, message, log);
        root.setPadding(new Insets(0));
    }

    Node view() {
        return root;
    }
}
