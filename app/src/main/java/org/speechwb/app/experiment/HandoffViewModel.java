package org.speechwb.app.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.interop.handoff.Unmapped;

/**
 * "Hand off…" on the Experiment screen: writes the config being designed, with the open dataset,
 * as a run fairseq or transformers trains on a cluster ({@link RunHandoff}), and lists what did
 * not carry over. Kept apart from {@link ExperimentViewModel}, which only supplies the config.
 */
public final class HandoffViewModel {

    /** Validation and held-out test shares of the audio, by speaker, when the dataset has no splits. */
    static final double VALID_FRACTION = 0.1;
    static final double TEST_FRACTION = 0.1;

    private final ScreenContext ctx;
    private final Supplier<PretrainConfig> config;
    private final ObjectProperty<RunHandoff.Target> target = new SimpleObjectProperty<>(RunHandoff.Target.FAIRSEQ);
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty summary = new SimpleStringProperty("");
    private final ObservableList<Unmapped> unmapped = FXCollections.observableArrayList();

    public HandoffViewModel(ScreenContext ctx, Supplier<PretrainConfig> config) {
        this.ctx = ctx;
        this.config = config;
    }

    /** Why the hand-off cannot run now, or null. */
    public String blocker() {
        if (config.get() == null) {
            return "The config is invalid: fix the fields marked in red first";
        }
        if (!PretrainConfig.WAV2VEC2.equals(config.get().family())) {
            return "Hand-off covers wav2vec 2.0 pre-training; this config is " + config.get().family();
        }
        if (ctx.session().dataset() == null) {
            return "Open a dataset on the Datasets screen";
        }
        if (folder.get() == null) {
            return "Choose a folder to write to";
        }
        return null;
    }

    /** Writes the hand-off in the background; the summary and the table follow when done. */
    public void export() {
        String why = blocker();
        if (why != null) {
            summary.set(why);
            return;
        }
        PretrainConfig cfg = config.get();
        Dataset ds = ctx.session().dataset();
        RunHandoff.Target t = target.get();
        Path out = folder.get();
        busy.set(true);
        summary.set("Writing " + out + " …");
        unmapped.clear();
        ctx.tasks().submit("Hand-off to " + label(t), () -> {
            Splits s = RunHandoff.split(ds.utterances(), VALID_FRACTION, TEST_FRACTION, cfg.run().seed());
            return RunHandoff.pretraining(cfg, s.train(), s.valid(), t, out);
        }, r -> {
            busy.set(false);
            unmapped.setAll(r.unmapped());
            long blockers = r.unmapped().stream().filter(Unmapped::blocker).count();
            summary.set("Wrote " + r.files().size() + " files to " + r.dir() + "; README.md there has the launch commands. "
                    + (r.unmapped().isEmpty() ? "Every setting carried over."
                    : r.unmapped().size() + " setting(s) did not carry over as they are"
                    + (blockers > 0 ? ", " + blockers + " of them stop(s) the launch as written." : ".")));
        }, e -> {
            busy.set(false);
            summary.set("Hand-off failed: " + e.getMessage());
            ctx.notifier().error("Hand-off to " + label(t) + " failed", e);
        });
    }

    static String label(RunHandoff.Target t) {
        return t == RunHandoff.Target.FAIRSEQ ? "fairseq (fairseq-hydra-train)"
                : "transformers (run_wav2vec2_pretraining_no_trainer.py)";
    }

    public static List<RunHandoff.Target> targets() {
        return List.of(RunHandoff.Target.values());
    }

    public ObjectProperty<RunHandoff.Target> targetProperty() {
        return target;
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ObservableList<Unmapped> unmapped() {
        return unmapped;
    }
}
