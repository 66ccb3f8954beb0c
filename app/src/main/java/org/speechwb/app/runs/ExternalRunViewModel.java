package org.speechwb.app.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;

import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.speechwb.engine.interop.logs.ExternalRunLogs;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.interop.logs.ExternalRunWatcher;

/**
 * A run made elsewhere (fairseq JSON log or hydra_train.log, transformers' trainer_state.json, a
 * TensorBoard folder), followed live as its files grow: the engine's {@link ExternalRunWatcher}
 * re-reads them off the FX thread and the latest points land here on the FX thread.
 */
public final class ExternalRunViewModel implements AutoCloseable {

    static final Duration POLL = Duration.ofSeconds(2);

    private final ScreenContext ctx;
    private final SimpleObjectProperty<ExternalRunLogs.Result> logs = new SimpleObjectProperty<>();
    private final SimpleStringProperty status = new SimpleStringProperty("");
    private final SimpleObjectProperty<ExternalRunHealth> health = new SimpleObjectProperty<>(
            new ExternalRunHealth("", false, Double.NaN));
    private ExternalRunWatcher watcher;
    private Path source;

    public ExternalRunViewModel(ScreenContext ctx) {
        this.ctx = ctx;
    }

    /** Starts following {@code path} (stops following anything else). */
    public void watch(Path path) {
        close();
        source = path;
        status.set("Reading " + path + " …");
        watcher = ExternalRunWatcher.start(path, POLL, new ExternalRunWatcher.Listener() {
            // looked up once, on the watcher's thread, when the first points arrive
            private Optional<ExternalRunSettings> settings;
            private String settingsProblem;

            @Override
            public void changed(ExternalRunLogs.Result r) {
                if (settings == null) {
                    try {
                        settings = ExternalRunSettings.find(path);
                    } catch (IOException e) {
                        settings = Optional.empty();
                        settingsProblem = e.getMessage();
                    }
                }
                ExternalRunHealth h = settingsProblem != null
                        ? new ExternalRunHealth("No health checks: " + settingsProblem, false, Double.NaN)
                        : ExternalRunHealth.judge(settings, r.updates());
                ctx.tasks().runOnUi(() -> {
                    apply(r);
                    health.set(h);
                });
            }

            @Override
            public void failed(IOException e) {
                // keep what was read; say why it stopped growing
                ctx.tasks().runOnUi(() -> status.set("Cannot read " + path + ": " + e.getMessage()
                        + (logs.get() == null ? "" : " (showing what was read before)")));
            }
        });
    }

    private void apply(ExternalRunLogs.Result r) {
        logs.set(r);
        int train = r.updates().size();
        long last = r.updates().isEmpty() ? 0 : r.updates().get(train - 1).update();
        StringBuilder sb = new StringBuilder(String.format("%,d training points up to update %,d, %d validation(s);"
                + " following %s every %d s", train, last, r.validations().size(), source, POLL.toSeconds()));
        List<String> notes = r.notes();
        if (!notes.isEmpty()) {
            sb.append(". ").append(String.join("; ", notes));
        }
        status.set(sb.toString());
    }

    public ReadOnlyObjectProperty<ExternalRunLogs.Result> logsProperty() {
        return logs;
    }

    /** The chance-level and codebook checks of our own runs, applied to this one. */
    ReadOnlyObjectProperty<ExternalRunHealth> healthProperty() {
        return health;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
