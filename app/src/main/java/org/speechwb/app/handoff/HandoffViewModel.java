package org.speechwb.app.handoff;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
 * "Hand off…": writes a run designed here, with the open dataset, as a run fairseq or
 * transformers trains on a cluster ({@link RunHandoff}), and lists what did not carry over. The
 * run is a {@link Job}: the Experiment screen's pre-training config, or the Training screen's
 * fine-tuning choice (preset and pre-trained checkpoint). The screens' own view models only
 * supply the job.
 */
public final class HandoffViewModel {

    /** Validation and held-out test shares of the audio, by speaker, when the dataset has no splits. */
    public static final double VALID_FRACTION = 0.1;
    public static final double TEST_FRACTION = 0.1;

    /** What is handed off. */
    public interface Job {
        /** Why it cannot be written now, or null. */
        String blocker();

        /** Called on the FX thread: takes what it needs from the session and returns the writing, done off it. */
        Callable<RunHandoff.Result> writer(RunHandoff.Target target, Path out);

        /** The engine and the script or config the target runs, for the choice box. */
        String label(RunHandoff.Target target);

        /** One line above the form: what is written. */
        String intro();
    }

    private final ScreenContext ctx;
    private final Job job;
    private final ObjectProperty<RunHandoff.Target> target = new SimpleObjectProperty<>(RunHandoff.Target.FAIRSEQ);
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty summary = new SimpleStringProperty("");
    private final ObservableList<Unmapped> unmapped = FXCollections.observableArrayList();

    public HandoffViewModel(ScreenContext ctx, Job job) {
        this.ctx = ctx;
        this.job = job;
    }

    /** The Experiment screen's job: its pre-training config (null while invalid) with the open dataset. */
    public static Job pretraining(ScreenContext ctx, Supplier<PretrainConfig> config) {
        return new Job() {
            @Override
            public String blocker() {
                if (config.get() == null) {
                    return "The config is invalid: fix the fields marked in red first";
                }
                if (!PretrainConfig.WAV2VEC2.equals(config.get().family())) {
                    return "Hand-off covers wav2vec 2.0 pre-training; this config is " + config.get().family();
                }
                return ctx.session().dataset() == null ? "Open a dataset on the Datasets screen" : null;
            }

            @Override
            public Callable<RunHandoff.Result> writer(RunHandoff.Target t, Path out) {
                PretrainConfig cfg = config.get();
                Dataset ds = ctx.session().dataset();
                return () -> {
                    Splits s = RunHandoff.split(ds.utterances(), VALID_FRACTION, TEST_FRACTION, cfg.run().seed());
                    return RunHandoff.pretraining(cfg, s.train(), s.valid(), t, out);
                };
            }

            @Override
            public String label(RunHandoff.Target t) {
                return t == RunHandoff.Target.FAIRSEQ ? "fairseq (fairseq-hydra-train)"
                        : "transformers (run_wav2vec2_pretraining_no_trainer.py)";
            }

            @Override
            public String intro() {
                return "Writes the open dataset in the engine's layout, this config in the engine's terms and a README with"
                        + " single- and multi-node launch commands. Test speakers (10 % of the audio) are left out.";
            }
        };
    }

    /** Why the hand-off cannot run now, or null. */
    public String blocker() {
        String why = job.blocker();
        if (why != null) {
            return why;
        }
        return folder.get() == null ? "Choose a folder to write to" : null;
    }

    public String label(RunHandoff.Target t) {
        return job.label(t);
    }

    public String intro() {
        return job.intro();
    }

    /** Writes the hand-off in the background; the summary and the table follow when done. */
    public void export() {
        String why = blocker();
        if (why != null) {
            summary.set(why);
            return;
        }
        RunHandoff.Target t = target.get();
        Path out = folder.get();
        busy.set(true);
        summary.set("Writing " + out + " …");
        unmapped.clear();
        Callable<RunHandoff.Result> writing = job.writer(t, out);
        ctx.tasks().submit("Hand-off to " + label(t), writing, r -> {
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
