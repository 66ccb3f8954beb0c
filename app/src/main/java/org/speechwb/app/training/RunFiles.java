package org.speechwb.app.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.speechwb.app.shell.FinetuneHistory;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.train.UpdateMetrics;

/** Reads what the Training screen shows of a run from its folder; called off the FX thread. */
final class RunFiles {

    private RunFiles() {
    }

    /** What a reopened run's files say: its metrics (or fine-tuning history), status and warnings. */
    record Loaded(List<UpdateMetrics> metrics, FinetuneHistory finetune, Optional<RunStatus> status,
                  List<WarningItem> warnings) {
    }

    static Loaded read(RunFolder run) throws IOException {
        if (run.isFinetune()) {
            return new Loaded(List.of(), FinetuneHistory.read(run), run.status(), LogWarnings.read(run));
        }
        return new Loaded(run.metrics(), null, run.status(), LogWarnings.read(run));
    }

    /** A run's config ({@code PretrainConfig} or {@code FinetuneConfig}) and its checkpoints on disk. */
    record Setup(Object config, List<CheckpointItem> checkpoints) {
    }

    static Setup readSetup(RunFolder run) throws IOException, ConfigException {
        Object cfg = run.isFinetune() ? run.finetuneConfig() : run.config();
        List<CheckpointItem> items = new ArrayList<>();
        for (Path p : run.checkpoints()) {
            items.add(new CheckpointItem(RunFolder.updateOf(p), p));
        }
        return new Setup(cfg, items);
    }

    /**
     * Loss in bits of a model that scores every candidate alike, as the engine's health monitor
     * judges it: log2(N+1) for InfoNCE, more for wav2vec 1.0's binary loss, log2 K for K MFCC
     * cluster targets.
     */
    static double chanceBits(PretrainConfig cfg) {
        return org.speechwb.engine.train.HealthMonitor.forConfig(cfg).chanceBits();
    }
}
