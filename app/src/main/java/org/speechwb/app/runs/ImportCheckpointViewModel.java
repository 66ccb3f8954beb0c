package org.speechwb.app.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;

import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.interop.CheckpointImporter;
import org.speechwb.engine.util.FileTrees;

/**
 * Runs → "Import checkpoint…": a Hugging Face model folder or a fairseq {@code .pt} becomes a run
 * folder beside the others ({@link CheckpointImporter}), in the background, with its steps shown
 * and a readable error naming the file and the reason. A failed import leaves no half-written run.
 */
public final class ImportCheckpointViewModel {

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ScreenContext ctx;
    private final RunsViewModel runs;
    private final SimpleBooleanProperty busy = new SimpleBooleanProperty();
    private final SimpleStringProperty progress = new SimpleStringProperty("");

    public ImportCheckpointViewModel(ScreenContext ctx, RunsViewModel runs) {
        this.ctx = ctx;
        this.runs = runs;
    }

    /** The run folder an import of {@code source} goes to: a new id, named after the source. */
    Path target(Path source) {
        String name = source.getFileName().toString().replaceAll("\\.(pt|bin|safetensors)$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        return ctx.paths().runs().resolve(LocalDateTime.now().format(ID) + "-" + name + "-imported");
    }

    public void importCheckpoint(Path source) {
        Path out = target(source);
        busy.set(true);
        progress.set("Importing " + source + " …");
        ctx.tasks().submit("Importing " + source.getFileName(), () -> {
            try {
                return CheckpointImporter.importCheckpoint(source, null, out, List.of("workbench import", source.toString()),
                        line -> ctx.tasks().runOnUi(() -> progress.set(line)));
            } catch (IOException | RuntimeException e) {
                deleteQuietly(out);
                throw e;
            }
        }, r -> {
            busy.set(false);
            progress.set(String.format("Imported %s (%s, %,d parameters) as %s", source.getFileName(), r.format(),
                    r.parameters(), out.getFileName()));
            ctx.notifier().info("Checkpoint imported", progress.get());
            runs.refresh(out.getFileName().toString());
        }, e -> {
            busy.set(false);
            progress.set("Import failed: " + e.getMessage());
            ctx.notifier().error("Could not import " + source, e);
        });
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException ignored) {
            // a leftover folder without a config is not listed as a run
        }
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }
}
