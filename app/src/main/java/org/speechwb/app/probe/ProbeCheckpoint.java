package org.speechwb.app.probe;

import java.nio.file.Files;
import java.nio.file.Path;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.RunFolder;

/**
 * Which checkpoint the Probes screen probes: the run selected in the session when it is a
 * wav2vec 2.0 run with a checkpoint (its files are read in the background), or a checkpoint file
 * or run folder the user chose. FX-thread state.
 */
public final class ProbeCheckpoint {

    private final BackgroundTasks tasks;
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>(this, "file");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");

    ProbeCheckpoint(BackgroundTasks tasks) {
        this.tasks = tasks;
    }

    /** The selected run becomes the checkpoint when it is a wav2vec 2.0 run with a checkpoint; else the note says why not. */
    void offer(RunFolder run) {
        if (run == null) {
            return;
        }
        tasks.submit("Reading run " + run.id(), () -> whyNotProbeable(run), why -> {
            if (why.isEmpty()) {
                file.set(run.dir());
                note.set("The newest checkpoint of the run selected on the Runs screen.");
            } else if (file.get() == null) {
                note.set("The selected run " + run.id() + " " + why + ". Choose a wav2vec 2.0 checkpoint.");
            }
        }, e -> note.set("Could not read the selected run " + run.id() + ": " + ErrorMessages.describe(e)));
    }

    /** "" when {@code run} can be probed, else why not (background thread: reads the run's files). */
    static String whyNotProbeable(RunFolder run) throws Exception {
        if (!run.isFinetune()) {
            String family = run.config().family();
            if (!family.equals(PretrainConfig.WAV2VEC2)) {
                return "is " + (family.equals(PretrainConfig.WAV2VEC1) ? "wav2vec 1.0" : family)
                        + ", and probes need wav2vec 2.0";
            }
        }
        return run.checkpoints().isEmpty() ? "has no checkpoint yet" : "";
    }

    /** A checkpoint file or run folder the user picked. */
    public void choose(Path fileOrRunFolder) {
        file.set(fileOrRunFolder);
        note.set(Files.isDirectory(fileOrRunFolder) ? "The run folder's newest checkpoint." : "");
    }

    /** The checkpoint file or run folder to probe (a folder: its newest checkpoint); null before one is known. */
    public ObjectProperty<Path> fileProperty() {
        return file;
    }

    /** Where the checkpoint came from, or why the selected run was not taken. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }
}
