package org.speechwb.engine.interop.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.train.HealthMonitor;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;

/** The settings an external run's health checks need, from the files such a run leaves. */
class ExternalRunSettingsTest {

    @TempDir
    Path tmp;

    /** The head of a fairseq hydra_train.log: the whole config as a Python dict (shortened). */
    static final String CONFIG_LINE = "[2021-03-24 14:30:00,000][fairseq_cli.train][INFO] - {'_name': None, 'common':"
            + " {'_name': None, 'log_format': 'json', 'log_interval': 200}, 'task': {'_name': 'audio_pretraining',"
            + " 'sample_rate': 16000}, 'model': {'_name': 'wav2vec2', 'extractor_mode': 'default', 'encoder_layers': 12,"
            + " 'latent_vars': 320, 'latent_groups': 2, 'num_negatives': 100, 'cross_sample_negatives': 0},"
            + " 'lr_scheduler': {'_name': 'polynomial_decay', 'warmup_updates': 32000, 'total_num_update': 400000}}";

    @Test
    void fairseqHydraOutputFolderLogsInASubfolder() throws Exception {
        Files.createDirectories(tmp.resolve(".hydra"));
        Files.writeString(tmp.resolve(".hydra/config.yaml"), String.join("\n",
                "task:", "  _name: audio_pretraining", "model:", "  _name: wav2vec2", "  num_negatives: 50",
                "  latent_vars: 64", "  latent_groups: 2", "lr_scheduler:", "  _name: polynomial_decay",
                "  warmup_updates: 8000", ""));
        Path tb = Files.createDirectories(tmp.resolve("tensorboard/train_inner"));
        ExternalRunSettings s = ExternalRunSettings.find(tb).orElseThrow();
        assertThat(s).extracting(ExternalRunSettings::negatives, ExternalRunSettings::groups, ExternalRunSettings::entries,
                ExternalRunSettings::warnAfter).containsExactly(50, 2, 64, 8000);
        assertThat(s.source()).isEqualTo(tmp.resolve(".hydra/config.yaml"));
    }

    @Test
    void theConfigDictAtTheTopOfHydraTrainLog() throws Exception {
        Path log = Files.writeString(tmp.resolve("hydra_train.log"), CONFIG_LINE + "\n"
                + ExternalRunLogsTest.HYDRA_LINE + "\n", StandardCharsets.UTF_8);
        ExternalRunSettings s = ExternalRunSettings.find(log).orElseThrow();
        assertThat(s).extracting(ExternalRunSettings::negatives, ExternalRunSettings::groups, ExternalRunSettings::entries,
                ExternalRunSettings::warnAfter).containsExactly(100, 2, 320, 32000);
    }

    @Test
    void transformersConfigAndFineTuningConfigs() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"architectures\": [\"Wav2Vec2ForPreTraining\"],"
                + " \"num_negatives\": 100, \"num_codevector_groups\": 2, \"num_codevectors_per_group\": 320}");
        assertThat(ExternalRunSettings.find(tmp).orElseThrow().entries()).isEqualTo(320);

        Path ctc = Files.createDirectories(tmp.resolve("ctc"));
        Files.writeString(ctc.resolve("config.json"), "{\"architectures\": [\"Wav2Vec2ForCTC\"], \"num_negatives\": 100,"
                + " \"num_codevector_groups\": 2, \"num_codevectors_per_group\": 320}");
        assertThat(ExternalRunSettings.find(ctc).orElseThrow().fineTuning()).isTrue();

        Path ft = Files.createDirectories(tmp.resolve("ft"));
        Files.writeString(ft.resolve("hydra_train.log"), CONFIG_LINE.replace("'_name': 'wav2vec2'", "'_name': 'wav2vec_ctc'"));
        assertThat(ExternalRunSettings.find(ft).orElseThrow().fineTuning()).isTrue();
    }

    @Test
    void nothingFoundAndAGarbledConfig() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("a/b/c/d"));
        Files.writeString(bare.resolve("train.log"), ExternalRunLogsTest.HYDRA_LINE);
        assertThat(ExternalRunSettings.find(bare.resolve("train.log"))).isEmpty();

        Path bad = Files.createDirectories(tmp.resolve("bad/.hydra"));
        Files.writeString(bad.resolve("config.yaml"), "model: [unclosed");
        assertThatThrownBy(() -> ExternalRunSettings.find(tmp.resolve("bad")))
                .hasMessageContaining("config.yaml").hasMessageContaining("not a readable YAML config");
    }

    @Test
    void ourOwnHandOffFolderIsReadAsTheRunWillBeConfigured() throws Exception {
        var cfg = Presets.pretrain("wav2vec2-small-cpu");
        Path out = tmp.resolve("handoff");
        Files.createDirectories(out.resolve("config"));
        Files.writeString(out.resolve("config/pretrain.yaml"), String.join("\n", "model:", "  _name: wav2vec2",
                "  num_negatives: " + cfg.loss().negatives(), "  latent_vars: " + cfg.wav2vec2().codebookEntries(),
                "  latent_groups: " + cfg.wav2vec2().codebookGroups(), ""));
        ExternalRunSettings s = ExternalRunSettings.find(out).orElseThrow();
        assertThat(s.negatives()).isEqualTo(cfg.loss().negatives());
        assertThat(s.entries()).isEqualTo(cfg.wav2vec2().codebookEntries());
    }

    @Test
    void theMonitorWarnsOfAPlateauAfterTheWarmUpAndOfACollapsedCodebook() throws Exception {
        ExternalRunSettings s = new ExternalRunSettings(false, 100, 2, 320, 1000, tmp);
        HealthMonitor m = s.monitor();
        double chance = Math.log(101) / Math.log(2);
        List<TrainingEvent.Warning> warnings = new ArrayList<>();
        for (int u = 1; u <= 1200; u++) {
            warnings.addAll(m.observe(metrics(u, chance, 0.009, 3.0)));
        }
        assertThat(warnings).extracting(TrainingEvent.Warning::kind).containsExactlyInAnyOrder(
                TrainingEvent.Warning.Kind.CHANCE_LEVEL, TrainingEvent.Warning.Kind.CODEBOOK_COLLAPSE);
        assertThat(warnings).allMatch(w -> w.update() == 1000);
    }

    @Test
    void theVerdictNamesWhatItNeedsAndWhatItFound() throws Exception {
        List<UpdateMetrics> stuck = new ArrayList<>();
        for (int u = 200; u <= 3000; u += 200) {
            stuck.add(metrics(u, 6.70, 0.005, 40));
        }
        assertThat(ExternalRunHealth.judge(java.util.Optional.empty(), stuck).text()).isEqualTo(ExternalRunHealth.NO_CONFIG);
        assertThat(ExternalRunHealth.judge(java.util.Optional.of(ExternalRunSettings.fineTuning(tmp.resolve("c.yaml"))),
                stuck).text()).startsWith("Fine-tuning run");
        ExternalRunSettings s = new ExternalRunSettings(false, 100, 2, 320, 1000, tmp.resolve(".hydra/config.yaml"));
        ExternalRunHealth h = ExternalRunHealth.judge(java.util.Optional.of(s), stuck);
        assertThat(h.warning()).isTrue();
        assertThat(h.text()).contains("still at chance level").contains("update 3,000").contains(".hydra/config.yaml")
                .doesNotContain("collapse");                       // 40 codes of 640 is above the 32 threshold
        assertThat(h.chanceBits()).isCloseTo(Math.log(101) / Math.log(2), org.assertj.core.data.Offset.offset(1e-12));
        // the same run during its warm-up: no warning yet
        ExternalRunHealth early = ExternalRunHealth.judge(java.util.Optional.of(s), stuck.subList(0, 4));
        assertThat(early.warning()).isFalse();
        assertThat(early.text()).contains("expected during the warm-up");
    }

    private static UpdateMetrics metrics(int update, double contrastiveBits, double accuracy, double codePerplexity) {
        return new UpdateMetrics(update, 1, contrastiveBits, contrastiveBits, 0, 0, accuracy, codePerplexity,
                codePerplexity, 2.0, 5e-4, 1.0, 0.5, 1, 0, 1, update, false, 8, 15.6);
    }
}
