package org.speechwb.app.handoff;

import java.io.File;
import java.nio.file.Path;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.interop.handoff.Unmapped;

/** The "Hand off…" dialog: target, folder, Export, and the settings that did not carry over. */
public final class HandoffDialog extends Dialog<Void> {

    public HandoffDialog(HandoffViewModel vm, Window owner) {
        initOwner(owner);
        setTitle("Hand off to a cluster engine");
        setResizable(true);

        ChoiceBox<RunHandoff.Target> target = new ChoiceBox<>();
        target.setId("handoff-target");
        target.getItems().setAll(HandoffViewModel.targets());
        target.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunHandoff.Target t) {
                return t == null ? "" : vm.label(t);
            }

            @Override
            public RunHandoff.Target fromString(String s) {
                return null;
            }
        });
        target.valueProperty().bindBidirectional(vm.targetProperty());

        TextField folder = new TextField();
        folder.setId("handoff-folder");
        folder.setPromptText("a new or empty folder");
        folder.setPrefColumnCount(36);
        // typed or chosen, the view model's folder and the field follow each other
        vm.folderProperty().addListener((o, a, p) -> {
            String text = p == null ? "" : p.toString();
            if (!text.equals(folder.getText())) {
                folder.setText(text);
            }
        });
        folder.textProperty().addListener((o, a, t) -> {
            Path p = t == null || t.isBlank() ? null : Path.of(t.trim());
            if (!java.util.Objects.equals(p, vm.folderProperty().get())) {
                vm.folderProperty().set(p);
            }
        });
        if (vm.folderProperty().get() != null) {
            folder.setText(vm.folderProperty().get().toString());
        }
        Button browse = new Button("Choose…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder for the hand-off");
            File f = dc.showDialog(owner);
            if (f != null) {
                vm.folderProperty().set(f.toPath());
            }
        });
        Button export = new Button("Export");
        export.setId("handoff-export");
        export.setDefaultButton(true);
        export.disableProperty().bind(vm.busyProperty().or(vm.folderProperty().isNull()));
        export.setOnAction(e -> vm.export());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Engine"), target);
        form.addRow(1, new Label("Folder"), folder, browse, export);
        GridPane.setHgrow(folder, Priority.ALWAYS);

        Label summary = new Label();
        summary.setId("handoff-summary");
        summary.setWrapText(true);
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        summary.textProperty().bind(vm.summaryProperty());

        TableView<Unmapped> table = new TableView<>(vm.unmapped());
        table.setId("handoff-unmapped");
        table.setPlaceholder(new Label("Settings the engine has no place for are listed here after Export."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Setting", 190, Unmapped::knob));
        table.getColumns().add(column("Value", 110, Unmapped::value));
        table.getColumns().add(column("Blocks launch", 100, u -> u.blocker() ? "yes" : ""));
        table.getColumns().add(column("What the engine does instead", 420, Unmapped::why));
        table.setPrefHeight(380);

        Label intro = new Label(vm.intro());
        intro.setWrapText(true);
        intro.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        VBox box = new VBox(10, intro, form, summary, table);
        box.setPadding(new Insets(10));
        box.setPrefWidth(900);
        VBox.setVgrow(table, Priority.ALWAYS);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
    }

    private static TableColumn<Unmapped, String> column(String title, double width,
                                                        java.util.function.Function<Unmapped, String> value) {
        TableColumn<Unmapped, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        // wrapped text, so a long explanation makes its row taller instead of being cut
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final javafx.scene.text.Text text = new javafx.scene.text.Text();

            {
                text.wrappingWidthProperty().bind(col.widthProperty().subtract(12));
                text.getStyleClass().add("text");
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                text.setText(empty || item == null ? "" : item);
                setGraphic(empty ? null : text);
            }
        });
        return c;
    }
}
