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
     * Loss in bits of a model that scores every candidate alike. InfoNCE (wav2vec 2.0, and wav2vec
     * 1.0 with objective infonce): log2(N+1). The binary logistic loss sums one positive and N
     * negative terms per target, so its constant-score optimum, σ = 1/(N+1), costs
     * log2(N+1) + N·log2((N+1)/N): 4.83 bits for 10 distractors.
     */
    static double chanceBits(PretrainConfig cfg) {
        int n = cfg.loss().negatives();
        double infonce = Math.log(n + 1) / Math.log(2);
        if (cfg.isWav2Vec1() && cfg.wav2vec1().objective().equals(
                org.speechwb.engine.model.w2v1.Wav2Vec1Config.BINARY)) {
            return infonce + n * Math.log((n + 1.0) / n) / Math.log(2);
        }
        return infonce;
    }
}
