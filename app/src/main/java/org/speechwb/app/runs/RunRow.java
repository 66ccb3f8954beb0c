package org.speechwb.app.runs;

import java.util.Locale;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * One run as the Runs table shows it, read once in the background. Parts that could not be
 * read (a run created by an older engine, a half-written folder) are null and shown as such.
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

    public RunRow(RunFolder run, RunStatus status, Provenance provenance, PretrainConfig config, String configProblem,
                  UpdateMetrics last, int checkpoints) {
        this.run = run;
        this.status = status;
        this.provenance = provenance;
        this.config = config;
        this.configProblem = configProblem;
        this.last = last;
        this.checkpoints = checkpoints;
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

    public Provenance provenance() {
        return provenance;
    }

    public PretrainConfig config() {
        return config;
    }

    public UpdateMetrics last() {
        return last;
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
            return last == null ? "" : Integer.toString(last.update());
        }
        return status.update() + " / " + status.maxUpdates();
    }

    /** A one-line summary of the config: model shape and the knobs people compare runs by. */
    public String configSummary() {
        if (config == null) {
            return configProblem == null ? "" : "unreadable: " + configProblem;
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
}
