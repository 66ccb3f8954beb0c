package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.UpdateMetrics;

class PretrainingOutcomeTest {

    @TempDir
    Path tmp;

    private static final double CHANCE_BITS = Math.log(21) / Math.log(2); // the small preset's 20 distractors

    /** A wav2vec 2.0 run whose contrastive loss sits at chance until {@code leaves} (never if beyond the end). */
    private RunFolder run(String name, int updates, int leaves) throws Exception {
        RunFolder run = new RunFolder(tmp.resolve(name));
        java.nio.file.Files.createDirectories(run.dir());
        ConfigIO.write(run.configFile(), Presets.pretrain("wav2vec2-small-cpu"));
        try (MetricsLog<UpdateMetrics> log = new MetricsLog<>(run.metricsFile(), UpdateMetrics.class)) {
            for (int u = 1; u <= updates; u++) {
                boolean learning = u >= leaves;
                double bits = learning ? CHANCE_BITS - 0.002 * (u - leaves) : CHANCE_BITS;
                double acc = learning ? Math.min(0.3, 0.05 + 0.0005 * (u - leaves)) : 0.05;
                log.append(new UpdateMetrics(u, 1, bits, Math.max(bits, 2.5), 0.1, 0, acc, 100, 105, 0.5, 1e-4, 1, 0.5,
                        10, 1000, 1, u, false, 2, 4));
            }
        }
        return run;
    }

    @Test
    void aRunThatNeverLeftChanceLevelIsSaidToHaveEndedThere() throws Exception {
        PretrainingOutcome stuck = PretrainingOutcome.of(run("stuck", 1000, Integer.MAX_VALUE), "runs/stuck",
                "wav2vec 2.0", 1).orElseThrow();
        assertThat(stuck.atChance()).isTrue();
        assertThat(stuck.leftChanceAt()).isEqualTo(-1);
        assertThat(stuck.updates()).isEqualTo(1000);
        assertThat(stuck.chanceBits()).isCloseTo(CHANCE_BITS, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stuck.contrastiveBits()).isCloseTo(CHANCE_BITS, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aRunThatLeftChanceLevelSaysWhen() throws Exception {
        PretrainingOutcome o = PretrainingOutcome.of(run("learns", 1000, 300), "runs/learns", "wav2vec 2.0", 2)
                .orElseThrow();
        assertThat(o.atChance()).isFalse();
        // 90 % of chance is 0.44 bits below it: 220 updates of the falling loss, and the smoothing's lag
        assertThat(o.leftChanceAt()).isBetween(520, 560);
        assertThat(o.accuracy()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
        assertThat(o.codePerplexity()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aRunShorterThanItsPlateauAllowanceIsSaidToBeTooShortNotToHaveFailed() throws Exception {
        PretrainingOutcome shortRun = PretrainingOutcome.of(run("short", 300, Integer.MAX_VALUE), "runs/short",
                "wav2vec 2.0", 1).orElseThrow();
        assertThat(shortRun.atChance()).isTrue();
        assertThat(shortRun.plateauAllowance()).isEqualTo(Presets.pretrain("wav2vec2-small-cpu").run().warnAfterUpdates());
        assertThat(shortRun.warning()).hasValueSatisfying(w -> assertThat(w).startsWith("runs/short ended at chance level"
                + " after 300 updates, fewer than the 400 its config allows").doesNotContain("--pretrain-seed"));
        assertThat(PretrainingOutcome.of(run("learns", 1000, 300), "runs/learns", "wav2vec 2.0", 1).orElseThrow()
                .warning()).isEmpty();
    }

    @Test
    void aWav2vec1RunWithoutCodePerplexityRoundTripsThroughResultsJsonAsValidJson() throws Exception {
        PretrainingOutcome o = new PretrainingOutcome("runs/pretrain-wav2vec1", "wav2vec 1.0", 1, 1500, 1.5, 0.6,
                Double.NaN, 3.46, 200, false, 400);
        String json = ConfigIO.json().writeValueAsString(o);
        assertThat(json).contains("\"codePerplexity\" : \"NaN\"").doesNotContain(": NaN");
        assertThat(ConfigIO.json().readValue(json, PretrainingOutcome.class)).isEqualTo(o);
    }

    @Test
    void aRunWithNoUpdateYetHasNoOutcome() throws Exception {
        assertThat(PretrainingOutcome.of(run("empty", 0, 1), "runs/empty", "wav2vec 2.0", 1)).isEmpty();
    }

    @Test
    void theReportWarnsAboveTheTableAndMarksTheRunThatNeverLeft() throws Exception {
        PretrainingOutcome stuck = PretrainingOutcome.of(run("stuck", 600, Integer.MAX_VALUE), "runs/pretrain-seed-1",
                "wav2vec 2.0", 1).orElseThrow();
        PretrainingOutcome fine = PretrainingOutcome.of(run("learns", 1000, 300), "runs/pretrain-seed-2",
                "wav2vec 2.0", 2).orElseThrow();
        LowResourceExperiment.Results r = new LowResourceExperiment.Results(ExperimentConfig.defaults(), "/data/c",
                "a split", Map.of(), Map.of(), 10, 1.0, Map.of(), Map.of(), List.of(), List.of(), List.of(), "CPU",
                ModelSelection.DEFAULT.description(), List.of(stuck, fine));
        String md = ResultsTable.markdown(r, 0);
        assertThat(md).contains("**WARNING:** runs/pretrain-seed-1 ended at chance level (contrastive loss 4.39 bits,"
                        + " chance 4.39; accuracy 5.0 %): it never started learning")
                .doesNotContain("runs/pretrain-seed-2 ended")
                .containsPattern("\\| `runs/pretrain-seed-1` \\(wav2vec 2\\.0\\) \\| 600 \\| 4\\.392 \\| 4\\.392 \\| 5\\.0 % \\| 100\\.0 \\| \\*\\*never\\*\\* \\|")
                .containsPattern("\\| `runs/pretrain-seed-2` \\(wav2vec 2\\.0\\) \\| 1000 \\| .* \\| update 5[2-5]\\d \\|");
    }
}
