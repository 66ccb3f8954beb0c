package org.speechwb.app.study;

import java.nio.file.Path;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;

/**
 * The results part of the Study screen: reads an experiment folder's {@code results.json} off the
 * FX thread (after each finished arm of a run, when the run ends, or when the user opens a folder)
 * and holds what the tables and charts show.
 */
public final class StudyResultsViewModel {

    private final BackgroundTasks tasks;
    private final ReadOnlyObjectWrapper<StudyResults> results = new ReadOnlyObjectWrapper<>(this, "results");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    /** The validation curves show CER rather than WER; set from each loaded result, then the user's to change. */
    private final BooleanProperty curvesShowCer = new SimpleBooleanProperty(this, "curvesShowCer");
    private BackgroundTasks.TaskHandle loading;

    public StudyResultsViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
    }

    /**
     * Reads {@code folder/results.json}; on success {@link #resultsProperty()} changes, otherwise
     * {@link #messageProperty()} says which file and what is wrong. A newer load supersedes one in flight.
     */
    public void load(Path folder) {
        if (loading != null && !loading.isDone()) {
            loading.cancel();
        }
        loading = tasks.submit("Reading " + folder.resolve("results.json"), () -> StudyResults.read(folder), r -> {
            message.set("");
            curvesShowCer.set(r.curvesReadAsCer());
            results.set(r);
        }, e -> message.set("Cannot show the results of " + folder + ": " + ErrorMessages.describe(e)));
    }

    /** What the tables show, or null before any results were read. */
    public ReadOnlyObjectProperty<StudyResults> resultsProperty() {
        return results.getReadOnlyProperty();
    }

    /** True: the validation curves show CER; false: WER. */
    public BooleanProperty curvesShowCerProperty() {
        return curvesShowCer;
    }

    /** Why the last load failed, or "". */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
