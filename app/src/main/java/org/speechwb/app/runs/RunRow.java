package org.speechwb.app.runs;

import java.util.Locale;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * One run as the Runs table shows it, read once in the background. Parts that could not be
 * read (a run created by an older engine, a half-written folder) are null and shown as such.
 * A pre-training run has {@link #config()} and {@link #last()}; a CTC fine-tuning run has
 * {@link #finetuneConfig()}, {@link #lastFinetune()} and {@link #bestValidation()}.
 */
public final class RunRow {

    private final RunFolder run;
    private final RunStatus status;
    private final Provenance provenance;
    private final PretrainConfig config;
    private final String configProblem;
    private final UpdateMetrics last;
    private final int checkpoints;
    private final BooleanProperty compare = new SimpleBooleanProperty(this, "compare");
    private final boolean finetune;
    private final FinetuneConfig finetuneConfig;
    private final FinetuneMetrics lastFinetune;
    private final ValidationResult bestValidation;
    /** A training held the run when the row was read (this workbench, a command, an experiment). */
    private final boolean training;

    public RunRow(RunFolder run, RunStatus status, Provenance provenance, PretrainConfig config, String configProblem,
                  UpdateMetrics last, int checkpoints) {
        this(run, status, provenance, config, configProblem, last, checkpoints, false, null, null, null);
    }

    /** A fine-tuning run. */
    public static RunRow finetune(RunFolder run, RunStatus status, Provenance provenance, FinetuneConfig config,
                                  String configProblem, FinetuneMetrics last, ValidationResult best, int checkpoints) {
        return new RunRow(run, status, provenance, null, configProblem, null, checkpoints, true, config, last, best);
    }

    private RunRow(RunFolder run, RunStatus status, Provenance provenance, PretrainConfig config, String configProblem,
                   UpdateMetrics last, int checkpoints, boolean finetune, FinetuneConfig finetuneConfig,
                   FinetuneMetrics lastFinetune, ValidationResult bestValidation) {
        this.finetune = finetune;
        this.finetuneConfig = finetuneConfig;
        this.lastFinetune = lastFinetune;
        this.bestValidation = bestValidation;
        this.run = run;
        this.status = status;
        this.provenance = provenance;
        this.config = config;
        this.configProblem = configProblem;
        this.last = last;
        this.checkpoints = checkpoints;
        this.training = run.isTraining();
    }

    public RunFolder run() {
        return run;
    }

    public String id() {
        return run.id();
    }

    public RunStatus status() {
        return status;
    }

    public RunState state() {
        return status == null ? RunState.CREATED : status.state();
    }

    /**
     * The state as the table shows it: a run whose status says it is running, paused or stopping
     * while no training holds it was ended without its trainer's knowledge (killed, a power cut)
     * and shows as "interrupted"; it resumes from its newest checkpoint.
     */
    public String stateText() {
        RunState s = state();
        boolean live = s == RunState.RUNNING || s == RunState.PAUSED || s == RunState.STOPPING;
        return live && !training ? "interrupted" : s.name().toLowerCase(Locale.ROOT);
    }

    public Provenance provenance() {
        return provenance;
    }

    public PretrainConfig config() {
        return config;
    }

    public UpdateMetrics last() {
        return last;
    }

    public boolean isFinetune() {
        return finetune;
    }

    /** "pre-train" or "fine-tune". */
    /** Model family as people say it: "wav2vec 2.0", "wav2vec 1.0", "vq-wav2vec"; "" when the config is unreadable. */
    public String family() {
        if (finetune) {
            return "wav2vec 2.0";
        }
        if (config == null) {
            return "";
        }
        return switch (config.family()) {
            case org.speechwb.engine.config.PretrainConfig.WAV2VEC1 -> "wav2vec 1.0";
            case org.speechwb.engine.config.PretrainConfig.VQ_WAV2VEC -> "vq-wav2vec";
            default -> "wav2vec 2.0";
        };
    }

    public String kind() {
        return finetune ? "fine-tune" : "pre-train";
    }

    public FinetuneConfig finetuneConfig() {
        return finetuneConfig;
    }

    /** The fine-tuning run's latest update, or null. */
    public FinetuneMetrics lastFinetune() {
        return lastFinetune;
    }

    /** The validation of the fine-tuning run's best checkpoint ({@link org.speechwb.app.shell.FinetuneHistory#best()}), or null. */
    public ValidationResult bestValidation() {
        return bestValidation;
    }

    /** Whether the config could be read (of whichever kind the run is). */
    public boolean configReadable() {
        return finetune ? finetuneConfig != null : config != null;
    }

    /** Final loss: contrastive+diversity bits for pre-training, CTC nats per utterance for fine-tuning. */
    public String lossText() {
        if (finetune) {
            return lastFinetune == null ? "" : String.format(Locale.ROOT, "%.2f CTC", lastFinetune.loss());
        }
        return last == null ? "" : String.format(Locale.ROOT, "%.3f", last.loss());
    }

    public String werText() {
        return bestValidation == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * bestValidation.wer());
    }

    public String cerText() {
        return bestValidation == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * bestValidation.cer());
    }

    public int checkpoints() {
        return checkpoints;
    }

    /** Ticked to overlay this run's curves. */
    public BooleanProperty compareProperty() {
        return compare;
    }

    public String created() {
        if (provenance != null && provenance.createdAt() != null) {
            return provenance.createdAt().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z");
        }
        return run.id().length() >= 15 ? run.id().substring(0, 15) : "";
    }

    public String progress() {
        if (status == null) {
            int u = finetune ? (lastFinetune == null ? -1 : lastFinetune.update()) : (last == null ? -1 : last.update());
            return u < 0 ? "" : Integer.toString(u);
        }
        return status.update() + " / " + status.maxUpdates();
    }

    /** A one-line summary of the config: model shape and the knobs people compare runs by. */
    public String configSummary() {
        if (finetune && finetuneConfig != null) {
            var m = finetuneConfig.wav2vec2();
            String from = finetuneConfig.pretrained() == null || finetuneConfig.pretrained().isBlank() ? "scratch"
                    : pretrainedName(finetuneConfig.pretrained());
            return String.format(Locale.ROOT, "CTC %s, %d×%d d%d, head-only %d, lr %.1e, %d upd, from %s",
                    finetuneConfig.vocabulary(), m.layers(), m.heads(), m.modelDim(), finetuneConfig.freezeUpdates(),
                    finetuneConfig.optimizer().lr(), finetuneConfig.run().maxUpdates(), from);
        }
        if (config == null) {
            return configProblem == null ? "" : "unreadable: " + configProblem;
        }
        if (config.isWav2Vec1()) {
            var w = config.wav2vec1();
            var rf = w.receptiveField();
            String vq = w.quantized() ? String.format(Locale.ROOT, ", %s G%d×V%d", w.quantizer(), w.vqGroups(), w.vqEntries())
                    : "";
            return String.format(Locale.ROOT, "enc %d×%d, ctx %d×%d (%.0f ms), K=%d %s%s, lr %.1e, %d upd",
                    w.convLayers().size(), w.encoderChannels(), w.contextLayers().size(), w.contextChannels(),
                    rf.contextMs(), w.predictionSteps(), w.objective(), vq, config.optimizer().lr(),
                    config.run().maxUpdates());
        }
        var m = config.wav2vec2();
        return String.format(Locale.ROOT, "%d×%d d%d, G%d×V%d, mask %.2f/%d, lr %.1e, %d upd", m.layers(), m.heads(),
                m.modelDim(), m.codebookGroups(), m.codebookEntries(), config.masking().maskProb(),
                config.masking().maskLength(), config.optimizer().lr(), config.run().maxUpdates());
    }

    public String dataset() {
        if (provenance == null) {
            return "";
        }
        String p = provenance.datasetPath();
        String name = p == null ? "?" : java.nio.file.Path.of(p).getFileName().toString();
        return String.format(Locale.ROOT, "%s [%s] %d utt., %.2f h", name, provenance.split(), provenance.utterances(),
                provenance.hours());
    }

    /** The run folder name of a pre-trained checkpoint path (…/RUN/checkpoints/update-N.ckpt), else the file name. */
    static String pretrainedName(String path) {
        java.nio.file.Path p = java.nio.file.Path.of(path);
        if (p.getParent() != null && "checkpoints".equals(String.valueOf(p.getParent().getFileName()))
                && p.getParent().getParent() != null) {
            return p.getParent().getParent().getFileName() + "@" + RunFolder.updateOf(p);
        }
        return String.valueOf(p.getFileName());
    }
}
