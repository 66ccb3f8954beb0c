package org.speechwb.app;

import java.util.Objects;

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

    public static String stylesheet() {
        return Objects.requireNonNull(Screens.class.getResource("workbench.css"), "workbench.css").toExternalForm();
    }
}
