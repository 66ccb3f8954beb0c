package org.speechwb.app.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.handoff.HandoffViewModel;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.UnknownSymbolException;
import org.speechwb.engine.text.Vocabulary;

/**
 * The Training screen's fine-tuning row, its state and its command: which pre-trained checkpoint
 * (or none), which preset or config file, why it cannot start now, and starting it. Shares the
 * screen's "starting" flag (one start at a time) and its error line.
 */
final class FinetuneLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(FinetuneLauncher.class);

    private final ScreenContext ctx;
    private final WorkbenchSession session;
    private final BackgroundTasks tasks;
    private final ReadOnlyBooleanWrapper starting;
    private final ReadOnlyStringWrapper error;
    private final ObservableList<TrainingViewModel.PretrainedChoice> pretrainedChoices =
            FXCollections.observableArrayList(TrainingViewModel.PretrainedChoice.FROM_SCRATCH);
    private final ObjectProperty<TrainingViewModel.PretrainedChoice> pretrained =
            new SimpleObjectProperty<>(this, "pretrained", TrainingViewModel.PretrainedChoice.FROM_SCRATCH);
    private final StringProperty finetuneConfig = new SimpleStringProperty(this, "finetuneConfig", "ctc-small-cpu");
    private final ReadOnlyStringWrapper blocked = new ReadOnlyStringWrapper(this, "blocked", "");
    private final BooleanBinding canStart;

    FinetuneLauncher(ScreenContext ctx, ReadOnlyBooleanWrapper starting, ReadOnlyStringWrapper error) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.tasks = ctx.tasks();
        this.starting = starting;
        this.error = error;
        canStart = blocked.isEmpty().and(starting.not());
    }

    ObservableList<TrainingViewModel.PretrainedChoice> pretrainedChoices() {
        return pretrainedChoices;
    }

    ObjectProperty<TrainingViewModel.PretrainedChoice> pretrainedProperty() {
        return pretrained;
    }

    StringProperty finetuneConfigProperty() {
        return finetuneConfig;
    }

    ReadOnlyStringProperty blockedProperty() {
        return blocked.getReadOnlyProperty();
    }

    BooleanBinding canStartProperty() {
        return canStart;
    }

    /**
     * The same choice (preset, pre-trained checkpoint, the session's labeled split) handed to
     * fairseq or transformers instead of trained here: our checkpoint goes along, exported to the
     * target's format.
     */
    HandoffViewModel.Job handoffJob() {
        return new HandoffViewModel.Job() {
            @Override
            public String blocker() {
                if (session.dataset() == null || session.trainingUtterances().isEmpty()) {
                    return "Open a labeled dataset (Datasets screen) to fine-tune on";
                }
                String name = finetuneConfig.get();
                return name == null || name.isBlank() ? "Choose a fine-tuning preset or config file" : null;
            }

            @Override
            public Callable<RunHandoff.Result> writer(RunHandoff.Target target, Path out) {
                TrainingViewModel.PretrainedChoice from = pretrained.get() == null
                        ? TrainingViewModel.PretrainedChoice.FROM_SCRATCH : pretrained.get();
                String cfgName = finetuneConfig.get().trim();
                Path home = ctx.paths().home();
                List<Utterance> train = session.trainingUtterances().stream().filter(Utterance::labeled).toList();
                Splits splits = session.splitsProperty().get();
                List<Utterance> valid = splits == null ? List.of()
                        : splits.valid().stream().filter(Utterance::labeled).toList();
                return () -> {
                    FinetuneConfig cfg = Presets.finetuneFromNameOrFile(resolveConfig(home, cfgName));
                    if (from.checkpoint() != null) {
                        cfg = Presets.forPretrained(cfg, from.checkpoint());
                    }
                    return RunHandoff.finetuning(cfg, train, valid,
                            from.checkpoint() == null ? null : from.checkpoint().toString(), target, out);
                };
            }

            @Override
            public String label(RunHandoff.Target target) {
                return target == RunHandoff.Target.FAIRSEQ ? "fairseq (fairseq-hydra-train, wav2vec_ctc)"
                        : "transformers (run_speech_recognition_ctc.py)";
            }

            @Override
            public String intro() {
                return "Writes the labeled training and validation utterances of the Datasets screen's split in the"
                        + " engine's layout, this fine-tuning preset in its terms, the chosen pre-trained checkpoint in"
                        + " its format (fairseq .pt or a transformers folder), and a README with single- and multi-node"
                        + " launch commands.";
            }
        };
    }

    /** Why fine-tuning cannot start now ("" when it can). */
    void updateBlocked() {
        if (session.isTraining()) {
            blocked.set("A run is training; stop it first.");
        } else if (session.dataset() == null || session.trainingUtterances().isEmpty()) {
            blocked.set("Open a labeled dataset (Datasets screen) to fine-tune on.");
        } else if (finetuneConfig.get() == null || finetuneConfig.get().isBlank()) {
            blocked.set("Choose a fine-tuning preset or config file.");
        } else {
            blocked.set("");
        }
    }

    /**
     * Creates a fine-tuning run folder (off the FX thread) from the chosen preset or file, the
     * chosen pre-trained checkpoint (its architecture is taken over) and the session's split:
     * its training set to fine-tune on, its validation set for WER; then starts it like
     * pre-training. Transcripts the vocabulary cannot spell are refused here, with the utterance
     * named, rather than failing the run later.
     */
    void start() {
        if (!canStart.get()) {
            return;
        }
        error.set("");
        TrainingViewModel.PretrainedChoice from = pretrained.get() == null ? TrainingViewModel.PretrainedChoice.FROM_SCRATCH : pretrained.get();
        String cfgName = finetuneConfig.get().trim();
        Dataset ds = session.dataset();
        Splits splits = session.splitsProperty().get();
        List<Utterance> train = session.trainingUtterances();
        List<Utterance> valid = splits == null ? List.of() : splits.valid();
        String split = session.splitChoiceProperty().get().spec() + "; valid: " + valid.size() + " utterances";
        Path runsRoot = ctx.paths().runs();
        Path home = ctx.paths().home();
        String description = TrainingViewModel.describeData(ds, train) + ", " + valid.size() + " for validation";
        starting.set(true);
        tasks.submit("Create fine-tuning run", () -> {
            FinetuneConfig cfg = Presets.finetuneFromNameOrFile(resolveConfig(home, cfgName));
            if (from.checkpoint() != null) {
                cfg = Presets.forPretrained(cfg, from.checkpoint());
            }
            checkSpellable(FineTuner.resolveVocabulary(cfg, train), train, valid);
            Backends.Info device = Backends.describe();
            double hours = train.stream().mapToDouble(Utterance::seconds).sum() / 3600;
            Provenance prov = new Provenance(ds.root().toString(), ds.format().name(), ds.fingerprint(), split,
                    train.size(), hours, Provenance.gitCommit(home), Provenance.ENGINE_VERSION,
                    device.backend() + " / " + device.blas(), device.device(), System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), Provenance.now(),
                    List.of("workbench", "finetune", from.checkpoint() == null ? "from scratch"
                            : from.checkpoint().toString()));
            return new RunStore(runsRoot).create(from.checkpoint() == null ? "ctc-scratch" : "ctc", cfg, prov);
        }, run -> {
            try {
                session.startFinetuning(run, train, valid, null, description);
            } catch (RuntimeException e) {
                LOG.warn("cannot start fine-tuning", e);
                error.set("Could not start fine-tuning: " + ErrorMessages.describe(e));
            } finally {
                starting.set(false);
            }
        }, e -> {
            starting.set(false);
            error.set("Could not start fine-tuning: " + ErrorMessages.describe(e));
        });
    }

    static String resolveConfig(Path home, String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (!p.isAbsolute() && !Files.isRegularFile(p) && Files.isRegularFile(home.resolve(p))) {
            return home.resolve(p).toString();
        }
        return nameOrPath;
    }

    private static void checkSpellable(Vocabulary v, List<Utterance> train, List<Utterance> valid) {
        for (List<Utterance> list : List.of(train, valid)) {
            for (Utterance u : list) {
                try {
                    v.encode(TranscriptNormalizer.normalize(u.transcript() == null ? "" : u.transcript()));
                } catch (UnknownSymbolException e) {
                    throw new IllegalArgumentException("utterance " + u.id() + ": its transcript has '" + e.symbol()
                            + "', which the fine-tuning vocabulary cannot spell (" + e.getMessage() + ")", e);
                }
            }
        }
    }

    /** Lists "from scratch" and the newest checkpoint of every pre-training run (background). */
    void refreshChoices() {
        Path runsRoot = ctx.paths().runs();
        tasks.submit("List pre-trained checkpoints", () -> {
            List<TrainingViewModel.PretrainedChoice> out = new ArrayList<>();
            out.add(TrainingViewModel.PretrainedChoice.FROM_SCRATCH);
            for (RunFolder r : new RunStore(runsRoot).list()) {
                if (r.isFinetune() || !wav2vec2(r)) {
                    continue;
                }
                List<Path> cps = r.checkpoints();
                if (!cps.isEmpty()) {
                    Path last = cps.get(cps.size() - 1);
                    out.add(new TrainingViewModel.PretrainedChoice(last, r.id() + " · update " + RunFolder.updateOf(last)));
                }
            }
            return out;
        }, list -> {
            TrainingViewModel.PretrainedChoice keep = pretrained.get();
            pretrainedChoices.setAll(list);
            pretrained.set(keep != null && list.contains(keep) ? keep
                    : list.size() > 1 ? list.get(1) : TrainingViewModel.PretrainedChoice.FROM_SCRATCH);
        }, e -> LOG.warn("cannot list pre-trained checkpoints: {}", e.getMessage()));
    }

    /**
     * CTC fine-tuning puts a head on a wav2vec 2.0 Transformer; a wav2vec 1.0 checkpoint has none
     * to start from. A run whose config cannot be read stays on offer: fine-tuning then says why.
     */
    private static boolean wav2vec2(RunFolder r) {
        try {
            return !r.config().isWav2Vec1();
        } catch (Exception e) {
            return true;
        }
    }
}
