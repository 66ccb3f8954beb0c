package org.speechwb.app.shell;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window's content: a sidebar with the screens in workflow order, the selected
 * screen in the middle, the status bar at the bottom. Navigation follows
 * {@link WorkbenchSession#screenProperty()}, so any screen can send the user to another.
 */
public final class MainWindow {

    private static final Logger LOG = LoggerFactory.getLogger(MainWindow.class);

    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final Map<ScreenId, Screen> screens = new EnumMap<>(ScreenId.class);
    private final Map<ScreenId, ToggleButton> buttons = new EnumMap<>(ScreenId.class);
    private final ScreenContext ctx;
    private final StatusBar statusBar;
    private ScreenId shown;

    public MainWindow(ScreenContext ctx, ScreenRegistry registry) {
        this.ctx = ctx;
        root.getStyleClass().add("workbench");
        VBox sidebar = new VBox(2);
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPadding(new Insets(10, 0, 10, 0));
        Label brand = new Label("wav2vec\nworkbench");
        brand.getStyleClass().add("brand");
        sidebar.getChildren().add(brand);
        for (ScreenId id : ScreenId.values()) {
            Screen screen = create(id, registry);
            screens.put(id, screen);
            ToggleButton b = new ToggleButton(id.title());
            b.setId("nav-" + id.name().toLowerCase(Locale.ROOT));
            b.getStyleClass().add("nav-button");
            b.setMaxWidth(Double.MAX_VALUE);
            b.setTooltip(new Tooltip(id.description()));
            b.setToggleGroup(nav);
            b.setUserData(id);
            buttons.put(id, b);
            sidebar.getChildren().add(b);
        }
        Region grow = new Region();
        VBox.setVgrow(grow, Priority.ALWAYS);
        sidebar.getChildren().add(grow);

        // a toggle group lets the user un-press the current button; keep one selected
        nav.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null) {
                old.setSelected(true);
                return;
            }
            ctx.session().navigate((ScreenId) now.getUserData());
        });
        ctx.session().screenProperty().addListener((o, old, now) -> show(now));

        content.getStyleClass().add("screen-area");
        statusBar = new StatusBar(ctx);
        root.setLeft(sidebar);
        root.setCenter(content);
        root.setBottom(statusBar.view());
        show(ctx.session().screenProperty().get());
        for (Map.Entry<ScreenId, Screen> e : screens.entrySet()) {
            try {
                e.getValue().onLaunch();
            } catch (RuntimeException ex) {
                LOG.error("onLaunch of {} failed", e.getKey(), ex);
            }
        }
    }

    private Screen create(ScreenId id, ScreenRegistry registry) {
        return registry.provider(id).map(p -> {
            try {
                return p.create(ctx);
            } catch (RuntimeException e) {
                // one broken screen must not keep the others from opening
                ctx.notifier().error("The " + id.title() + " screen could not be built", e);
                return (Screen) new PlaceholderScreen(id);
            }
        }).orElseGet(() -> new PlaceholderScreen(id));
    }

    private void show(ScreenId id) {
        if (id == null || id == shown) {
            return;
        }
        if (shown != null) {
            screens.get(shown).onHidden();
        }
        shown = id;
        Node view = screens.get(id).view();
        content.getChildren().setAll(view);
        Toggle t = buttons.get(id);
        if (!t.isSelected()) {
            t.setSelected(true);
        }
        try {
            screens.get(id).onShown();
        } catch (RuntimeException e) {
            LOG.error("onShown of {} failed", id, e);
        }
    }

    public BorderPane root() {
        return root;
    }

    public Screen screen(ScreenId id) {
        return screens.get(id);
    }

    public ScreenId shown() {
        return shown;
    }

    public StatusBar statusBar() {
        return statusBar;
    }

    public void dispose() {
        for (Screen s : screens.values()) {
            try {
                s.dispose();
            } catch (RuntimeException e) {
                LOG.warn("dispose failed", e);
            }
        }
    }
}
