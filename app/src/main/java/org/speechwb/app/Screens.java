package org.speechwb.app;

import java.util.Objects;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Tooltip;
import javafx.stage.Window;

import org.speechwb.app.datasets.DatasetsScreen;
import org.speechwb.app.experiment.ExperimentScreen;
import org.speechwb.app.probe.ProbeScreen;
import org.speechwb.app.runs.RunsScreen;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ScreenRegistry;
import org.speechwb.app.study.StudyScreen;

/** The screens this build knows, and the shared stylesheet. */
public final class Screens {

    private Screens() {
    }

    /**
     * Built-in screens, then any found through {@code META-INF/services/org.speechwb.app.shell.ScreenProvider}
     * (those replace built-ins with the same id). Screens nobody provides show a placeholder.
     */
    public static ScreenRegistry defaultRegistry() {
        ScreenRegistry r = new ScreenRegistry();
        r.register(ScreenId.DATASETS, DatasetsScreen::new);
        r.register(ScreenId.EXPERIMENT, ExperimentScreen::new);
        r.register(ScreenId.RUNS, RunsScreen::new);
        r.register(ScreenId.PROBES, ProbeScreen::new);
        r.register(ScreenId.STUDY, StudyScreen::new);
        return r.discover(Screens.class.getClassLoader());
    }

    /** Widest a tooltip grows before its text wraps. */
    public static final double TOOLTIP_MAX_WIDTH = 560;

    private static boolean tooltipsWrapped;

    /**
     * Makes every tooltip the application shows wrap at {@link #TOOLTIP_MAX_WIDTH} unless it set its own
     * wrapping. Many controls explain themselves in a sentence or three, which as one line ran off the
     * screen; CSS cannot do this (the tooltip's label binds its widths to the tooltip's), and one hook here
     * also reaches the tooltips of library controls. Call on the FX thread; later calls do nothing.
     */
    public static void wrapLongTooltips() {
        if (tooltipsWrapped) {
            return;
        }
        tooltipsWrapped = true;
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next()) {
                for (Window w : c.getAddedSubList()) {
                    if (w instanceof Tooltip t && !t.isWrapText()) {
                        t.setWrapText(true);
                        t.setMaxWidth(TOOLTIP_MAX_WIDTH);
                    }
                }
            }
        });
    }

    public static String stylesheet() {
        return Objects.requireNonNull(Screens.class.getResource("workbench.css"), "workbench.css").toExternalForm();
    }
}
