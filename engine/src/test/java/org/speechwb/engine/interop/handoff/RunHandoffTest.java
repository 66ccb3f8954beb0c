package org.speechwb.engine.interop.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.speechwb.engine.testutil.RepoFiles;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.CheckpointImporter;

/**
 * export-run's configs checked against the schemas of the engines they are for: fairseq's
 * dataclasses (derived from its source by {@code make_fairseq_schema.py}) and transformers'
 * pre-training script arguments and {@code Wav2Vec2Config} fields.
 */
class RunHandoffTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HandoffSchema fairseq;
    private static HandoffSchema transformers;
    private static HandoffSchema transformersCtc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void schemas() throws Exception {
        fairseq = HandoffSchema.load("/interop/handoff/fairseq-schema.json");
        transformers = HandoffSchema.load("/interop/handoff/transformers-schema.json");
        transformersCtc = HandoffSchema.load("/interop/handoff/transformers-ctc-schema.json");
    }

    private List<Utterance> utterances(String prefix, int n, int rate) throws Exception {
        List<Utterance> out = new ArrayList<>();
        Path dir = Files.createDirectories(tmp.resolve("corpus").resolve(prefix));
        for (int i = 0; i < n; i++) {
            Path f = Files.writeString(dir.resolve(prefix + i + ".wav"), "not read");
            out.add(new Utterance(prefix + i, f, prefix + "-spk" + (i % 2), "hello world " + i, rate, rate * 2L, null));
        }
        return out;
    }

    private Map<String, Object> readYaml(Path file) throws Exception {
        return YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"wav2vec2-small-cpu", "wav2vec2-base", "wav2vec2-large"})
    void fairseqPretrainingKeysExistWithTheRightTypes(String preset) throws Exception {
        RunHandoff.Result r = RunHandoff.pretraining(Presets.pretrain(preset), utterances("tr", 4, 16000),
                utterances("va", 2, 16000), RunHandoff.Target.FAIRSEQ, tmp.resolve("out"));
        Map<String, Object> yaml = readYaml(r.dir().resolve("config/pretrain.yaml"));
        assertThat(fairseq.checkFairseq(yaml)).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) yaml.get("model");
        PretrainConfig p = Presets.pretrain(preset);
        assertThat(model.get("encoder_embed_dim")).isEqualTo(p.wav2vec2().modelDim());
        assertThat(model.get("latent_temp")).isEqualTo(List.of(p.quantizer().startTemperature(),
                p.quantizer().endTemperature(), p.quantizer().decay()));
        assertThat(model.get("conv_feature_layers").toString()).startsWith("[(" + p.wav2vec2().convLayers().get(0).channels()
                + ", 10, 5)");
        assertThat(Files.readAllLines(r.dir().resolve("manifests/train.tsv"))).hasSize(5);
        assertThat(Files.readString(r.dir().resolve("README.md"))).contains("fairseq-hydra-train --config-dir")
                .contains("torchrun --nnodes");
        assertThat(r.blocked()).isFalse();
    }

    @Test
    void theSchemaCheckNamesUnknownKeysAndWrongTypes() throws Exception {
        RunHandoff.Result r = RunHandoff.pretraining(Presets.pretrain("wav2vec2-small-cpu"), utterances("tr", 4, 16000),
                utterances("va", 2, 16000), RunHandoff.Target.FAIRSEQ, tmp.resolve("out"));
        Map<String, Object> yaml = readYaml(r.dir().resolve("config/pretrain.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) yaml.get("model");
        model.put("mask_min_masks", 2);
        model.put("encoder_layers", "four");
        model.put("extractor_mode", "group");
        assertThat(fairseq.checkFairseq(yaml)).containsExactlyInAnyOrder(
                "model/wav2vec2.mask_min_masks: no such field",
                "model/wav2vec2.encoder_layers: four (String) is not int",
                "model/wav2vec2.extractor_mode: group (String) is not choice:default,layer_norm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ctc-small-cpu", "ctc-base-10m"})
    void fairseqFinetuningWritesLettersAndADictionary(String preset) throws Exception {
        RunHandoff.Result r = RunHandoff.finetuning(Presets.finetune(preset), utterances("tr", 4, 16000),
                utterances("va", 2, 16000), "/ckpt/checkpoint_best.pt", tmp.resolve("ft"));
        Map<String, Object> yaml = readYaml(r.dir().resolve("config/finetune.yaml"));
        assertThat(fairseq.checkFairseq(yaml)).isEmpty();
        assertThat(((Map<?, ?>) yaml.get("model")).get("w2v_path")).isEqualTo("/ckpt/checkpoint_best.pt");
        assertThat(Files.readAllLines(r.dir().resolve("manifests/train.ltr")).get(0))
                .isEqualTo("H E L L O | W O R L D | 0 |");
        List<String> dict = Files.readAllLines(r.dir().resolve("manifests/dict.ltr.txt"));
        // most frequent first, ties in symbol order
        assertThat(dict.subList(0, 3)).containsExactly("L 12", "| 12", "O 8");
        assertThat(dict).contains("3 1");
        assertThat(r.blocked()).isFalse();
    }

    @Test
    void aFinetuningHandOffWithoutACheckpointOrWithUnlabeledAudioSaysSo() throws Exception {
        RunHandoff.Result r = RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), null, tmp.resolve("ft"));
        assertThat(r.blocked()).isTrue();
        assertThat(Files.readString(r.dir().resolve("config/finetune.yaml"))).contains("w2v_path: ???");
        List<Utterance> unlabeled = new ArrayList<>(utterances("tr", 2, 16000));
        unlabeled.add(new Utterance("mute", unlabeled.get(0).audio(), "s", null, 16000, 100, null));
        assertThatThrownBy(() -> RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), unlabeled,
                utterances("va", 2, 16000), null, tmp.resolve("ft2")))
                .hasMessageContaining("1 have none (first: mute)");
    }

    @Test
    void audioNotAt16kHzBlocksAFairseqLaunch() throws Exception {
        RunHandoff.Result r = RunHandoff.pretraining(Presets.pretrain("wav2vec2-small-cpu"), utterances("tr", 2, 8000),
                utterances("va", 2, 16000), RunHandoff.Target.FAIRSEQ, tmp.resolve("out"));
        assertThat(r.unmapped()).anySatisfy(u -> {
            assertThat(u.knob()).isEqualTo("audio sample rate");
            assertThat(u.blocker()).isTrue();
        });
    }

    @Test
    void levelMatchedDistractorsAndGainJitterAreNamedAsNotHandedOff() throws Exception {
        PretrainConfig matched = ConfigOverrides.apply(Presets.pretrain("wav2vec2-large"),
                List.of("loss.levelPool=40", "data.gainJitterDb=10"), PretrainConfig.class);
        for (RunHandoff.Target target : RunHandoff.Target.values()) {
            RunHandoff.Result r = RunHandoff.pretraining(matched, utterances("tr", 2, 16000), utterances("va", 2, 16000),
                    target, tmp.resolve("level-" + target));
            assertThat(r.unmapped()).as("%s", target).anySatisfy(u -> {
                assertThat(u.knob()).isEqualTo("loss.levelPool");
                assertThat(u.value()).isEqualTo("40");
                assertThat(u.blocker()).isFalse();
            });
            assertThat(r.unmapped()).as("%s", target).anySatisfy(u -> {
                assertThat(u.knob()).isEqualTo("data.gainJitterDb");
                assertThat(u.value()).isEqualTo("10.0");
                assertThat(u.blocker()).isFalse();
            });
        }
        RunHandoff.Result plain = RunHandoff.pretraining(Presets.pretrain("wav2vec2-large"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), RunHandoff.Target.FAIRSEQ, tmp.resolve("plain"));
        assertThat(plain.unmapped()).extracting(Unmapped::knob).doesNotContain("loss.levelPool", "data.gainJitterDb");
    }

    @Test
    void mfccClusterTargetsBlockAWav2Vec2HandOff() throws Exception {
        PretrainConfig hubert = ConfigOverrides.apply(Presets.pretrain("wav2vec2-large"),
                List.of("loss.mfccClusters=100", "loss.diversityWeight=0"), PretrainConfig.class);
        for (RunHandoff.Target target : RunHandoff.Target.values()) {
            RunHandoff.Result r = RunHandoff.pretraining(hubert, utterances("tr", 2, 16000), utterances("va", 2, 16000),
                    target, tmp.resolve("clusters-" + target));
            assertThat(r.unmapped()).as("%s", target).anySatisfy(u -> {
                assertThat(u.knob()).isEqualTo("loss.mfccClusters");
                assertThat(u.blocker()).isTrue();
                assertThat(u.why()).contains("examples/hubert");
            });
        }
    }

    @Test
    void transformersPretrainingMatchesTheScriptAndConfigSchema() throws Exception {
        PretrainConfig large = Presets.pretrain("wav2vec2-large");
        RunHandoff.Result r = RunHandoff.pretraining(large, utterances("tr", 6, 16000), utterances("va", 2, 16000),
                RunHandoff.Target.HF, tmp.resolve("hf"));
        Map<String, Object> config = JSON.readValue(r.dir().resolve("model/config.json").toFile(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> pre = JSON.readValue(r.dir().resolve("model/preprocessor_config.json").toFile(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        assertThat(transformers.checkFlat("config", config.entrySet().iterator())).isEmpty();
        assertThat(transformers.checkFlat("preprocessor_config", pre.entrySet().iterator())).isEmpty();
        TransformersRunConfig t = TransformersRunConfig.pretraining(large, Path.of("m"), Path.of("d"), Path.of("o"), 0.25);
        assertThat(transformers.checkFlat("script_args", t.args().entrySet().iterator())).isEmpty();
        assertThat(config).containsEntry("num_negatives", large.loss().negatives())
                .containsEntry("do_stable_layer_norm", true).containsEntry("feat_extract_norm", "layer");
        assertThat(r.blocked()).isFalse();
        List<String> meta = Files.readAllLines(r.dir().resolve("data/train/metadata.csv"));
        assertThat(meta.get(0)).isEqualTo("file_name,id,speaker");
        assertThat(meta.get(1)).startsWith("audio/va0.wav,va0,");
        assertThat(Files.isSymbolicLink(r.dir().resolve("data/train/audio/tr0.wav"))).isTrue();
        assertThat(Files.readString(r.dir().resolve("args.txt"))).contains("--dataset_config_names default\n")
                .contains("--max_train_steps " + large.run().maxUpdates() + "\n");
    }

    @Test
    void theScriptRefusesBaseStyleModelsAndTheHandOffSaysSo() throws Exception {
        RunHandoff.Result r = RunHandoff.pretraining(Presets.pretrain("wav2vec2-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), RunHandoff.Target.HF, tmp.resolve("hf"));
        assertThat(r.blocked()).isTrue();
        assertThat(r.unmapped()).filteredOn(Unmapped::blocker).extracting(Unmapped::knob)
                .containsExactly("wav2vec2.layerNormFirst / wav2vec2.extractorMode", "data.normalize");
        assertThat(Files.readString(r.dir().resolve("README.md"))).contains("| **yes** |");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ctc-small-cpu", "ctc-base-10m"})
    void transformersFinetuningMatchesTheCtcScriptSchema(String preset) throws Exception {
        FinetuneConfig cfg = Presets.finetune(preset);
        RunHandoff.Result r = RunHandoff.finetuning(cfg, utterances("tr", 4, 16000), utterances("va", 2, 16000),
                "facebook/wav2vec2-base", RunHandoff.Target.HF, tmp.resolve("hf-ft"));
        TransformersRunConfig t = TransformersRunConfig.finetuning(cfg, "facebook/wav2vec2-base", Path.of("d"), Path.of("o"));
        assertThat(transformersCtc.checkFlat("script_args", t.args().entrySet().iterator())).isEmpty();
        assertThat(t.args().get("lr_scheduler_type")).isIn("linear", "cosine");
        assertThat(t.args()).containsEntry("max_steps", cfg.run().maxUpdates())
                .containsEntry("freeze_feature_encoder", cfg.freezeFeatureEncoder())
                .containsEntry("mask_time_prob", cfg.masking().maskProb());
        assertThat(r.blocked()).isFalse();
        List<String> train = Files.readAllLines(r.dir().resolve("data/train/metadata.csv"));
        assertThat(train.get(0)).isEqualTo("file_name,transcription,id,speaker");
        assertThat(train.get(1)).isEqualTo("audio/tr0.wav,hello world 0,tr0,tr-spk0");
        assertThat(Files.readAllLines(r.dir().resolve("data/validation/metadata.csv"))).hasSize(3);
        assertThat(Files.isSymbolicLink(r.dir().resolve("data/validation/audio/va1.wav"))).isTrue();
        assertThat(Files.readString(r.dir().resolve("args.txt"))).contains("--eval_metrics wer cer\n")
                .contains("--model_name_or_path facebook/wav2vec2-base\n").contains("--report_to tensorboard\n");
        assertThat(Files.readString(r.dir().resolve("README.md"))).contains("run_speech_recognition_ctc.py")
                .contains("| `CTC loss reduction` |");
    }

    /** A transformers fixture imported as one of our runs. */
    private Path imported(String fixture) throws Exception {
        Path run = tmp.resolve("runs").resolve(fixture);
        CheckpointImporter.importCheckpoint(RepoFiles.root().resolve("engine/src/test/resources/interop").resolve(fixture),
                null, run, List.of(), null);
        return run;
    }

    @Test
    void transformersFinetuningExportsOurPretrainedRunAndRefusesAFineTunedOne() throws Exception {
        Path pretrained = imported("base-pretrain");
        RunHandoff.Result r = RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), pretrained.toString(), RunHandoff.Target.HF, tmp.resolve("hf-ours"));
        assertThat(r.blocked()).isFalse();
        assertThat(JSON.readTree(r.dir().resolve("model/config.json").toFile()).get("architectures").get(0).asText())
                .isEqualTo("Wav2Vec2ForPreTraining");
        assertThat(r.dir().resolve("model/model.safetensors")).exists();
        assertThat(Files.readString(r.dir().resolve("args.txt"))).contains("--model_name_or_path " + r.dir().resolve("model"));

        Path ctc = imported("base-ctc");
        RunHandoff.Result bad = RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), ctc.toString(), RunHandoff.Target.HF, tmp.resolve("hf-ctc"));
        assertThat(bad.blocked()).isTrue();
        assertThat(bad.unmapped()).filteredOn(Unmapped::blocker).extracting(Unmapped::why)
                .anySatisfy(w -> assertThat(w).contains("fine-tuned (CTC) model"));

        // the same run handed to fairseq: exported as a fairseq checkpoint that model.w2v_path names
        RunHandoff.Result fs = RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), pretrained.toString(), RunHandoff.Target.FAIRSEQ, tmp.resolve("fs-ours"));
        assertThat(fs.blocked()).isFalse();
        Path ckpt = fs.dir().resolve("pretrained/checkpoint.pt");
        assertThat(((Map<?, ?>) readYaml(fs.dir().resolve("config/finetune.yaml")).get("model")).get("w2v_path"))
                .isEqualTo(ckpt.toString());
        try (org.speechwb.engine.interop.FairseqCheckpoint c = org.speechwb.engine.interop.FairseqCheckpoint.open(ckpt, null)) {
            assertThat(c.pretraining()).isTrue();
        }

        RunHandoff.Result none = RunHandoff.finetuning(Presets.finetune("ctc-small-cpu"), utterances("tr", 2, 16000),
                utterances("va", 2, 16000), null, RunHandoff.Target.HF, tmp.resolve("hf-none"));
        assertThat(none.blocked()).isTrue();
        assertThat(Files.readString(none.dir().resolve("args.txt"))).contains("--model_name_or_path ???\n");
    }

    @Test
    void yamlNumbersStayFloatsForPyYaml() {
        assertThat(RunHandoff.commandLine(Map.of("a", 1e7))).containsExactly("--a 10000000.0");
        assertThat(RunHandoff.commandLine(Map.of("a", 1e-8))).containsExactly("--a 0.00000001");
        assertThat(RunHandoff.commandLine(Map.of("a", 5e-4))).containsExactly("--a 0.0005");
    }
}
