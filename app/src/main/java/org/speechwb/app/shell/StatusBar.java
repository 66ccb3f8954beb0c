package org.speechwb.app.shell;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.event.EventHandler;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.PopupWindow;
import javafx.geometry.Orientation;

import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * Bottom line of the window: the compute device (asked of the engine on a background thread,
 * since the first ND4J call loads native libraries for seconds), running background work, the
 * active run, and the messages of this session.
 */
public final class StatusBar {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final HBox root = new HBox(10);
    private final Label device = new Label("Device: detecting…");
    private final Label task = new Label();
    private final Label run = new Label("No training run");
    private final Button messages = new Button("Messages (0)");
    private final ScreenContext ctx;
    private Backends.Info info;
    private Popup popup;
    /** Room kept between the messages pop-up and the window's edges. */
    private static final double MARGIN = 8;

    public StatusBar(ScreenContext ctx) {
        this.ctx = ctx;
        root.getStyleClass().add("status-bar");
        root.setPadding(new Insets(3, 8, 3, 8));
        root.setAlignment(Pos.CENTER_LEFT);
        device.setId("status-device");
        task.setId("status-task");
        run.setId("status-run");
        messages.setId("status-messages");
        messages.getStyleClass().add("flat-button");

        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(14, 14);
        spinner.visibleProperty().bind(ctx.tasks().runningProperty().greaterThan(0));
        spinner.managedProperty().bind(spinner.visibleProperty());
        task.textProperty().bind(ctx.tasks().currentTaskProperty());

        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        root.getChildren().addAll(device, new Separator(Orientation.VERTICAL), spinner, task, grow, run,
                new Separator(Orientation.VERTICAL), messages);

        ctx.notifier().history().addListener((ListChangeListener<Notifier.Notice>) c -> updateMessages());
        messages.setOnAction(e -> showMessages());

        ChangeListener<Object> runListener = (o, a, b) -> updateRun();
        ctx.session().activeRunProperty().addListener((o, old, now) -> {
            if (now != null) {
                now.stateProperty().addListener(runListener);
                now.latestProperty().addListener(runListener);
                now.finetuneMetrics().addListener(
                        (ListChangeListener<org.speechwb.engine.train.FinetuneMetrics>) c -> updateRun());
            }
            updateRun();
        });
        loadDevice();
    }

    public HBox view() {
        return root;
    }

    /** The engine's device description once known, else null. */
    public Backends.Info deviceInfo() {
        return info;
    }

    private void loadDevice() {
        ctx.tasks().submit("Detecting compute device", Backends::describe, i -> {
            info = i;
            device.setText("Device: " + i.backend() + " · " + i.device() + " · BLAS " + i.blas() + ", " + i.threads()
                    + " threads");
            device.setTooltip(new Tooltip(i.toString()));
        }, e -> {
            device.setText("Device: unavailable");
            ctx.notifier().error("Compute backend failed to load", e);
        });
    }

    private void updateRun() {
        ActiveRun r = ctx.session().activeRun();
        if (r == null) {
            run.setText("No training run");
            return;
        }
        UpdateMetrics m = r.latestProperty().get();
        String progress = m == null ? "" : String.format(Locale.ROOT, " · update %d · loss %.3f", m.update(), m.loss());
        if (r.isFinetune() && !r.finetuneMetrics().isEmpty()) {
            var f = r.finetuneMetrics().get(r.finetuneMetrics().size() - 1);
            progress = String.format(Locale.ROOT, " · fine-tuning update %d · CTC loss %.2f", f.update(), f.loss());
        }
        run.setText("Run " + r.run().id() + ": " + r.state().name().toLowerCase(Locale.ROOT) + progress);
    }

    private void updateMessages() {
        int n = ctx.notifier().history().size();
        long errors = ctx.notifier().history().stream().filter(x -> x.level() == Notifier.Level.ERROR).count();
        messages.setText("Messages (" + n + ")");
        messages.getStyleClass().remove("has-errors");
        if (errors > 0) {
            messages.getStyleClass().add("has-errors");
        }
    }

    private void showMessages() {
        if (popup != null && popup.isShowing()) {
            popup.hide();
            return;
        }
        Bounds window = messages.getScene().getRoot().localToScreen(messages.getScene().getRoot().getBoundsInLocal());
        Bounds button = messages.localToScreen(messages.getBoundsInLocal());
        ListView<Notifier.Notice> list = new ListView<>(ctx.notifier().history());
        list.setId("messages-list");
        list.setPrefSize(Math.min(560, window.getWidth() - 2 * MARGIN),
                Math.min(300, window.getHeight() - button.getHeight() - 60));
        list.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(Notifier.Notice n, boolean empty) {
                super.updateItem(n, empty);
                setWrapText(true);
                setPrefWidth(0);
                setText(empty || n == null ? null
                        : TIME.format(n.time()) + "  " + n.level() + "  " + n.title() + ": " + n.message());
            }
        });
        if (!list.getItems().isEmpty()) {
            list.scrollTo(list.getItems().size() - 1);
        }
        Label title = new Label("Messages");
        title.getStyleClass().add("section-title");
        VBox box = new VBox(6, title, list);
        box.setId("messages-popup");
        box.getStyleClass().add("messages-popup");
        box.getStylesheets().setAll(messages.getScene().getStylesheets());
        box.setPadding(new Insets(8));
        Popup shown = new Popup();
        popup = shown;
        shown.setAutoHide(true);
        shown.getContent().add(box);
        // Escape must close it whichever window the key reaches (the pop-up's own hide-on-Escape
        // only hears keys redirected from the owner, and the owner may not have the key focus)
        EventHandler<KeyEvent> escape = e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                shown.hide();
                e.consume();
            }
        };
        shown.addEventFilter(KeyEvent.KEY_PRESSED, escape);
        Scene owner = messages.getScene();
        owner.addEventFilter(KeyEvent.KEY_PRESSED, escape);
        shown.setOnHidden(e -> owner.removeEventFilter(KeyEvent.KEY_PRESSED, escape));
        // ControlsFX's PopOver placed itself by a size it did not know yet on its first showing,
        // and landed off the window: this box is anchored by its bottom-right corner just above
        // the button, moved left when it would cross the window's left edge
        shown.setAnchorLocation(PopupWindow.AnchorLocation.CONTENT_BOTTOM_RIGHT);
        box.applyCss();
        double w = box.prefWidth(-1);
        double x = Math.max(window.getMinX() + MARGIN + w, Math.min(button.getMaxX(), window.getMaxX() - MARGIN));
        double y = Math.max(window.getMinY() + MARGIN + box.prefHeight(w), button.getMinY() - 4);
        shown.show(messages, x, y);
    }
}
