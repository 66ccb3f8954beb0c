package org.speechwb.engine.interop.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.interop.tensorboard.EventFileWriter;

/** Logs of runs made elsewhere: fairseq JSON lines, transformers' trainer state, TensorBoard files. */
class ExternalRunLogsTest {

    @TempDir
    Path tmp;

    /** A train_inner line as fairseq's hydra logging writes it (interop-facts.md). */
    static final String HYDRA_LINE = "[2021-03-24 14:33:12,269][train_inner][INFO] - {\"epoch\": 2, \"update\": 1.946,"
            + " \"loss\": \"3.449\", \"prob_perplexity\": \"25.864\", \"code_perplexity\": \"25.847\", \"temp\": \"1.791\","
            + " \"loss_0\": \"3.296\", \"loss_1\": \"0.138\", \"loss_2\": \"0.015\", \"accuracy\": \"0.48972\","
            + " \"wps\": \"6723.9\", \"num_updates\": \"22200\", \"lr\": \"3.46875e-05\", \"gnorm\": \"1.383\"}";

    @Test
    void fairseqHydraPlainAndBareLinesNaNsValidationAndAPartialLastLine() throws Exception {
        String log = String.join("\n",
                "[2021-03-24 14:30:00,000][fairseq_cli.train][INFO] - model: Wav2Vec2Model",
                HYDRA_LINE,
                "2021-03-24 14:34:00 | INFO | train_inner | {\"epoch\": 2, \"loss\": \"nan\", \"num_updates\": \"22300\","
                        + " \"gnorm\": \"inf\"}",
                "[2021-03-24 14:35:00,000][valid][INFO] - {\"epoch\": 2, \"valid_loss\": \"3.1\", \"valid_wer\": \"45.5\","
                        + " \"valid_uer\": \"20.25\", \"valid_num_updates\": \"22300\"}",
                "[2021-03-24 14:35:01,000][train][INFO] - {\"epoch\": 2, \"train_loss\": \"3.3\", \"train_num_updates\": \"22300\"}",
                "[2021-03-24 14:36:00,000][train_inner][INFO] - {\"epoch\": 2, \"loss\": \"3.4",
                "{\"epoch\": 2, \"loss\": \"3.2\", \"num_updates\": \"22400\"}",
                "[2021-03-24 14:37:00,000][train_inner][INFO] - {\"epoch\": 2, \"loss\": \"3.1\", \"num_u");
        Path f = Files.writeString(tmp.resolve("hydra_train.log"), log, StandardCharsets.UTF_8);
        FairseqLogReader.Result r = FairseqLogReader.read(f);
        assertThat(r.points()).hasSize(4);
        LogPoint first = r.points().get(0);
        assertThat(first.phase()).isEqualTo("train");
        assertThat(first.update()).isEqualTo(22200);
        assertThat(first.values()).containsEntry("loss", 3.449).containsEntry("contrastive", 3.296)
                .containsEntry("codePerplexity", 25.847).containsEntry("temperature", 1.791)
                .containsEntry("gradNorm", 1.383).doesNotContainKey("diversity");
        assertThat(r.points().get(1).values().get("loss")).isNaN();
        assertThat(r.points().get(1).values().get("gradNorm")).isInfinite();
        LogPoint valid = r.points().get(2);
        assertThat(valid.phase()).isEqualTo("valid");
        assertThat(valid.values()).containsEntry("wer", 0.455).containsEntry("cer", 0.2025);
        assertThat(r.points().get(3).update()).isEqualTo(22400);
        assertThat(r.malformed()).isEqualTo(1); // the cut-off record in the middle
        // the last line has no newline yet: not read, and the follower resumes at its start
        assertThat(r.bytesRead()).isEqualTo(log.lastIndexOf('\n') + 1);
    }

    @Test
    void fairseqsWallClockIsTheElapsedTime() throws Exception {
        // fairseq ends each train_inner record with its timings; "wall" counts seconds since the start
        Path f = Files.writeString(tmp.resolve("train.log"), HYDRA_LINE.replace("\"gnorm\": \"1.383\"}",
                "\"gnorm\": \"1.383\", \"loss_scale\": \"4\", \"train_wall\": \"64\", \"gb_free\": \"12.1\","
                        + " \"wall\": \"7251\"}") + "\n");
        ExternalRunLogs.Result r = ExternalRunLogs.read(f);
        assertThat(r.updates()).hasSize(1);
        assertThat(r.updates().get(0).elapsedSeconds()).isEqualTo(7251.0);
        assertThat(r.updates().get(0).seconds()).isNaN();
    }

    @Test
    void transformersTrainerStateWithBareNaN() throws Exception {
        Path f = Files.writeString(tmp.resolve("trainer_state.json"), "{\"global_step\": 20, \"log_history\": ["
                + "{\"epoch\": 0.5, \"grad_norm\": 2.5, \"learning_rate\": 1e-4, \"loss\": 4.2, \"step\": 10},"
                + "{\"epoch\": 1.0, \"grad_norm\": NaN, \"learning_rate\": 5e-5, \"loss\": 3.9, \"step\": 20},"
                + "{\"epoch\": 1.0, \"eval_loss\": 3.5, \"eval_wer\": 0.61, \"step\": 20},"
                + "{\"epoch\": 1.0, \"step\": 20, \"train_runtime\": 100.0}]}");
        List<LogPoint> ps = TrainerStateReader.read(f);
        assertThat(ps).hasSize(3);
        assertThat(ps.get(0).values()).containsEntry("lr", 1e-4).containsEntry("gradNorm", 2.5);
        assertThat(ps.get(1).values().get("gradNorm")).isNaN();
        assertThat(ps.get(2).phase()).isEqualTo("valid");
        assertThat(ps.get(2).values()).containsEntry("wer", 0.61);
        Path bad = Files.writeString(Files.createDirectories(tmp.resolve("x")).resolve("trainer_state.json"),
                "{\"log_history\": [");
        assertThatThrownBy(() -> TrainerStateReader.read(bad)).hasMessageContaining(bad.toString());
    }

    @Test
    void aFolderWithFairseqStyleEventFilesPerLoggerAndOurOwnTags() throws Exception {
        try (EventFileWriter w = new EventFileWriter(Files.createDirectories(tmp.resolve("tb/train_inner")), -1)) {
            w.scalar("loss", 100, 1, 4.0);
            w.scalar("gnorm", 100, 1, 0.5);
        }
        try (EventFileWriter w = new EventFileWriter(Files.createDirectories(tmp.resolve("tb/valid")), -1)) {
            w.scalar("loss", 100, 2, 3.0);
        }
        try (EventFileWriter w = new EventFileWriter(Files.createDirectories(tmp.resolve("tb/ours")), -1)) {
            w.scalar("train/codePerplexity", 7, 3, 90);
            w.scalar("train/stepAccuracy/2", 7, 3, 0.4);
            w.scalar("train/unknown_thing", 7, 3, 1);
        }
        ExternalRunLogs.Result r = ExternalRunLogs.read(tmp.resolve("tb"));
        assertThat(r.notes()).isEmpty();
        assertThat(r.points()).anySatisfy(p -> {
            assertThat(p.phase()).isEqualTo("train");
            assertThat(p.update()).isEqualTo(100);
            assertThat(p.values()).containsEntry("loss", 4.0).containsEntry("gradNorm", 0.5);
        });
        assertThat(r.points()).anySatisfy(p -> {
            assertThat(p.phase()).isEqualTo("valid");
            assertThat(p.values()).containsEntry("loss", 3.0);
        });
        assertThat(r.points()).anySatisfy(p -> assertThat(p.values()).containsEntry("codePerplexity", 90.0)
                .containsEntry("stepAccuracy/2", (double) 0.4f).doesNotContainKey("unknown_thing"));
        assertThatThrownBy(() -> ExternalRunLogs.read(Files.createDirectories(tmp.resolve("empty"))))
                .hasMessageContaining("no fairseq log");
    }
}
