package org.speechwb.app.experiment;

import java.io.File;

import javafx.beans.binding.Bindings;
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
final class HandoffDialog extends Dialog<Void> {

    HandoffDialog(HandoffViewModel vm, Window owner) {
        initOwner(owner);
        setTitle("Hand off to a cluster engine");
        setResizable(true);

        ChoiceBox<RunHandoff.Target> target = new ChoiceBox<>();
        target.setId("handoff-target");
        target.getItems().setAll(HandoffViewModel.targets());
        target.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunHandoff.Target t) {
                return t == null ? "" : HandoffViewModel.label(t);
            }

            @Override
            public RunHandoff.Target fromString(String s) {
                return null;
            }
        });
        target.valueProperty().bindBidirectional(vm.targetProperty());

        TextField folder = new TextField();
        folder.setId("handoff-folder");
        folder.setEditable(false);
        folder.setPrefColumnCount(36);
        folder.textProperty().bind(Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "" : vm.folderProperty().get().toString(), vm.folderProperty()));
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
        summary.textProperty().bind(vm.summaryProperty());

        TableView<Unmapped> table = new TableView<>(vm.unmapped());
        table.setId("handoff-unmapped");
        table.setPlaceholder(new Label("Settings the engine has no place for are listed here after Export."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Setting", 190, Unmapped::knob));
        table.getColumns().add(column("Value", 110, Unmapped::value));
        table.getColumns().add(column("Stops the launch", 110, u -> u.blocker() ? "yes" : ""));
        table.getColumns().add(column("What the engine does instead", 420, Unmapped::why));
        table.setPrefHeight(300);

        VBox box = new VBox(10, new Label("Writes the dataset in the engine's layout, its config and a README with"
                + " single- and multi-node launch commands. Test speakers (10 %) are left out."), form, summary, table);
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
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new javafx.scene.control.Tooltip(item));
                setWrapText(true);
            }
        });
        return c;
    }
}
