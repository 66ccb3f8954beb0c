package org.speechwb.app.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.speechwb.engine.interop.logs.ExternalRunHealth;
import org.speechwb.engine.interop.logs.ExternalRunLogs;
import org.speechwb.engine.interop.logs.ExternalRunSettings;
import org.speechwb.engine.interop.logs.ExternalRunWatcher;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * A run made elsewhere (fairseq JSON log or hydra_train.log, transformers' trainer_state.json, a
 * TensorBoard folder) that the Training and Codebook screens show as they show our runs, read-only,
 * followed live as its files grow: the engine's {@link ExternalRunWatcher} re-reads them off the
 * FX thread, and the lists here change on the FX thread. A grown file appends only the new points,
 * so charts extend rather than redraw; a file rewritten from the start replaces them.
 */
public final class ExternalRun implements AutoCloseable {

    public static final Duration POLL = Duration.ofSeconds(2);

    private final Path source;
    private final Executor ui;
    private final ObservableList<UpdateMetrics> metrics = FXCollections.observableArrayList();
    private final ObservableList<FinetuneMetrics> finetuneMetrics = FXCollections.observableArrayList();
    private final ObservableList<ValidationResult> validations = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper problems = new ReadOnlyStringWrapper(this, "problems", "");
    private final ReadOnlyObjectWrapper<ExternalRunHealth> health = new ReadOnlyObjectWrapper<>(this, "health",
            new ExternalRunHealth("", false, Double.NaN));
    private final ReadOnlyObjectWrapper<ExternalRunSettings> settings = new ReadOnlyObjectWrapper<>(this, "settings");
    private final ReadOnlyBooleanWrapper fineTuning = new ReadOnlyBooleanWrapper(this, "fineTuning");
    private ExternalRunWatcher watcher;

    private ExternalRun(Path source, Executor ui) {
        this.source = source;
        this.ui = ui;
    }

    /** Starts following {@code source}; the first read happens at once, off the calling thread. */
    static ExternalRun follow(Path source, Executor ui) {
        ExternalRun r = new ExternalRun(source, ui);
        r.status.set("reading its logs…");
        r.watcher = ExternalRunWatcher.start(source, POLL, r.new Listener());
        return r;
    }

    /** Runs on the watcher's thread: the config is looked up once, when the first points arrive. */
    private final class Listener implements ExternalRunWatcher.Listener {
        private Optional<ExternalRunSettings> found;
        private String problem;

        @Override
        public void changed(ExternalRunLogs.Result r) {
            if (found == null) {
                try {
                    found = ExternalRunSettings.find(source);
                } catch (IOException e) {
                    found = Optional.empty();
                    problem = e.getMessage();
                }
            }
            List<UpdateMetrics> updates = r.updates();
            List<ValidationResult> valid = r.validations();
            // without a config, logged WERs are what marks a fine-tuning run
            boolean ft = found.map(ExternalRunSettings::fineTuning).orElse(!valid.isEmpty());
            ExternalRunHealth h = problem != null
                    ? new ExternalRunHealth("No health checks: " + problem, false, Double.NaN)
                    : ExternalRunHealth.judge(found, updates);
            List<FinetuneMetrics> ftm = ft ? r.finetuneMetrics() : List.of();
            String text = statusText(updates, valid.size());
            String notes = String.join("; ", r.notes());
            ExternalRunSettings s = found.orElse(null);
            ui.execute(() -> {
                settings.set(s);
                fineTuning.set(ft);
                replaceOrAppend(metrics, ft ? List.of() : updates);
                replaceOrAppend(finetuneMetrics, ftm);
                replaceOrAppend(validations, valid);
                health.set(h);
                status.set(text);
                problems.set(notes);
            });
        }

        @Override
        public void failed(IOException e) {
            // keep what was read; say why it stopped growing
            ui.execute(() -> problems.set("Cannot read " + source + ": " + e.getMessage()
                    + (metrics.isEmpty() && finetuneMetrics.isEmpty() ? "" : " (showing what was read before)")));
        }
    }

    private static String statusText(List<UpdateMetrics> u, int valid) {
        long last = u.isEmpty() ? 0 : u.get(u.size() - 1).update();
        return String.format(Locale.ROOT, "%,d training points up to update %,d, %d validation(s)", u.size(), last,
                valid);
    }

    /**
     * Appends the new tail when {@code next} extends what is shown (the common case: a log that
     * grew), else replaces everything (a file restarted or rewritten).
     */
    static <T> void replaceOrAppend(ObservableList<T> shown, List<T> next) {
        int n = shown.size();
        boolean grew = next.size() >= n && (n == 0 || same(shown.get(n - 1), next.get(n - 1)));
        if (grew) {
            if (next.size() > n) {
                shown.addAll(next.subList(n, next.size()));
            }
        } else {
            shown.setAll(next);
        }
    }

    private static boolean same(Object a, Object b) {
        // UpdateMetrics holds arrays, so record equality compares them by identity: compare the update and loss
        if (a instanceof UpdateMetrics x && b instanceof UpdateMetrics y) {
            return x.update() == y.update() && Double.compare(x.loss(), y.loss()) == 0;
        }
        return a.equals(b);
    }

    public Path source() {
        return source;
    }

    /** The name the screens give it: the log's or folder's name and its folder. */
    public String title() {
        Path parent = source.toAbsolutePath().getParent();
        String name = source.getFileName() == null ? source.toString() : source.getFileName().toString();
        return "external: " + (parent == null || parent.getFileName() == null ? name : parent.getFileName() + "/" + name);
    }

    /** Pre-training points (empty for a fine-tuning run). */
    public ObservableList<UpdateMetrics> metrics() {
        return metrics;
    }

    /** Training points of a fine-tuning run (empty for pre-training). */
    public ObservableList<FinetuneMetrics> finetuneMetrics() {
        return finetuneMetrics;
    }

    public ObservableList<ValidationResult> validations() {
        return validations;
    }

    /** How much was read: a short line. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** What could not be read (records skipped, a file gone); "" when all was read. */
    public ReadOnlyStringProperty problemsProperty() {
        return problems.getReadOnlyProperty();
    }

    /** The chance-level and codebook checks of our own runs, applied to this one. */
    public ReadOnlyObjectProperty<ExternalRunHealth> healthProperty() {
        return health.getReadOnlyProperty();
    }

    /** What its config says (K, G × V, warm-up); null until read or when none was found. */
    public ReadOnlyObjectProperty<ExternalRunSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty fineTuningProperty() {
        return fineTuning.getReadOnlyProperty();
    }

    /** Stops following the files; what was read stays. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
