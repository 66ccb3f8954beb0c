package org.speechwb.app.study;

import java.nio.file.Path;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ScreenContext;

/**
 * The Study wizard: settings, progress and results (each its own view model) and which of the
 * three is showing. Start runs the settings' config; results appear as the run writes them, and
 * the wizard turns to them when the run finishes; an existing folder's results open without
 * running anything.
 */
public final class StudyViewModel {

    public enum Page { SETTINGS, PROGRESS, RESULTS }

    private final ScreenContext ctx;
    private final StudySettingsViewModel settings;
    private final StudyProgressViewModel progress;
    private final StudyResultsViewModel results;
    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(this, "page", Page.SETTINGS);
    private final IntegerProperty trainingTick = new SimpleIntegerProperty(this, "trainingTick");
    private final StringBinding startBlocker;
    private final BooleanBinding canStart;
    private final BooleanBinding shownSettings;

    public StudyViewModel(ScreenContext ctx, StudyRunner runner) {
        this.ctx = ctx;
        this.settings = new StudySettingsViewModel(ctx.paths(), ctx.session());
        this.progress = new StudyProgressViewModel(ctx.tasks(), ctx.paths().home(), runner);
        this.results = new StudyResultsViewModel(ctx.tasks());
        progress.onResults(results::load);
        progress.phaseProperty().addListener((o, a, b) -> {
            if (b == StudyProgressViewModel.Phase.FINISHED) {
                page.set(Page.RESULTS);
            }
        });
        // a run on the Training screen blocks Start until it ends: follow its state too
        ctx.session().activeRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                b.stateProperty().addListener((x, y, z) -> trainingTick.set(trainingTick.get() + 1));
            }
        });
        startBlocker = Bindings.createStringBinding(this::blocker, settings.configProperty(),
                progress.runningProperty(), ctx.session().activeRunProperty(), trainingTick);
        canStart = Bindings.createBooleanBinding(() -> blocker().isEmpty(), startBlocker);
        shownSettings = Bindings.createBooleanBinding(() -> results.resultsProperty().get() != null
                && results.resultsProperty().get().results().config() != null, results.resultsProperty());
    }

    public StudyViewModel(ScreenContext ctx) {
        this(ctx, StudyRunner.ENGINE);
    }

    private String blocker() {
        if (progress.runningProperty().get()) {
            return "An experiment is running";
        }
        if (ctx.session().isTraining()) {
            return "Run " + ctx.session().activeRun().run().id() + " is training; stop it first";
        }
        if (settings.configProperty().get() == null) {
            return "Fix the settings marked in red";
        }
        return "";
    }

    /** Starts the experiment with the settings' config in their folder, and shows the progress. */
    public void start() {
        if (!canStart.get()) {
            return;
        }
        progress.start(settings.configProperty().get(), settings.outPathProperty().get());
        page.set(Page.PROGRESS);
    }

    /** Shows the results of an existing experiment folder without running anything. */
    public void openResults(Path folder) {
        results.load(folder);
        page.set(Page.RESULTS);
    }

    /**
     * Puts the shown results' experiment settings (seeds, arms, grids, pre-training seed, …) into
     * the settings page and turns to it, so Start continues that experiment or reruns it with changes.
     */
    public void editShownSettings() {
        StudyResults r = results.resultsProperty().get();
        if (r == null || r.results().config() == null) {
            return;
        }
        settings.load(r.results().config(), r.folder());
        page.set(Page.SETTINGS);
    }

    /**
     * Reads the settings of the experiment in the output folder (its results.json, off the FX
     * thread) into the settings page, so that Start continues it exactly.
     */
    public void useSettingsOfOutputFolder() {
        Path folder = settings.outFolderProperty().get();
        if (folder == null) {
            return;
        }
        ctx.tasks().submit("Read the settings of " + folder.resolve("results.json"), () -> StudyResults.read(folder), r -> {
            if (r.results().config() == null) {
                settings.loadFailed(folder.resolve("results.json") + " does not record its settings (an older file)");
            } else {
                settings.load(r.results().config(), folder);
            }
        }, e -> settings.loadFailed("Cannot use the settings of " + folder + ": " + ErrorMessages.describe(e)));
    }

    /** Whether results with their settings are shown ({@link #editShownSettings()} has something to load). */
    public BooleanBinding shownSettingsAvailableProperty() {
        return shownSettings;
    }

    public StudySettingsViewModel settings() {
        return settings;
    }

    public StudyProgressViewModel progress() {
        return progress;
    }

    public StudyResultsViewModel results() {
        return results;
    }

    public ObjectProperty<Page> pageProperty() {
        return page;
    }

    /** Why Start is disabled, or "". */
    public StringBinding startBlockerProperty() {
        return startBlocker;
    }

    public BooleanBinding canStartProperty() {
        return canStart;
    }
}
