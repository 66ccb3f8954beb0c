package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.cli.SpeechWbCli;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.inspect.Inspection;
import org.speechwb.engine.inspect.Inspector;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.testutil.RepoFiles;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine;

/** Imported checkpoints become ordinary run folders: decode, inspect and fine-tune from them. */
class ImportRunTest {

    @TempDir
    Path tmp;

    @Test
    void anImportedCtcModelDecodesWithItsOwnVocabularyAndBlank() throws Exception {
        Path out = tmp.resolve("large");
        CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture("large-ctc"), null, out,
                List.of("test"), null);
        assertThat(r.format()).isEqualTo("hf-pytorch");
        assertThat(r.initialised()).containsExactly("mask_emb");
        JsonNode rec = ConfigIO.json().readTree(out.resolve("import.json").toFile());
        assertThat(rec.get("kind").asText()).isEqualTo("imported");
        assertThat(rec.get("sha256").asText()).isEqualTo(CheckpointImporter.sha256(
                ReferenceEqualityTest.fixture("large-ctc").resolve("pytorch_model.bin")));
        Provenance p = new RunFolder(out).provenance();
        assertThat(p.datasetPath()).endsWith("large-ctc");
        assertThat(p.datasetFormat()).isEqualTo("imported hf-pytorch");
        assertThat(new RunFolder(out).isFinetune()).isTrue();

        Recognizer rec2 = Recognizer.open(out);
        Vocabulary v = rec2.vocabulary();
        assertThat(v.size()).isEqualTo(30);
        assertThat(v.blank()).isEqualTo(29);                 // [PAD], last: not 0
        assertThat(v.token(27)).isEqualTo("|");
        assertThat(v.unknown()).isEqualTo(28);               // [UNK]
        assertThat(rec2.config().data().normalize()).isTrue();   // preprocessor_config.json do_normalize

        // from the raw audio (the crop the fixture script takes), normalised as transformers does (eps 1e-7),
        // the recogniser's log-probabilities are the reference logits' log-softmax
        Path u = ReferenceEqualityTest.fixture("large-ctc").resolve("spk1_snt1");
        float[] wav = org.speechwb.engine.audio.AudioReader.read16k(RepoFiles.root().resolve(
                "datasets/real-speech/wav/spk1_snt1.wav")).samples();
        float[] raw = java.util.Arrays.copyOfRange(wav, 4000, 20000);
        float[] input = ReferenceEqualityTest.input("spk1_snt1").values();
        float[] ours = org.speechwb.engine.data.AudioBatcher.normalised(raw, rec2.config().data().epsilon());
        for (int i = 0; i < input.length; i++) {
            assertThat((double) ours[i]).isCloseTo(input[i], org.assertj.core.data.Offset.offset(1e-5));
        }
        float[][] lp = rec2.logProbs(raw);
        Npy.Array ref = Npy.read(u.resolve("logits.npy"));
        assertThat(lp.length).isEqualTo(ref.rows());
        double worst = 0;
        for (int t = 0; t < ref.rows(); t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < ref.cols(); c++) {
                max = Math.max(max, ref.get(t, c));
            }
            double sum = 0;
            for (int c = 0; c < ref.cols(); c++) {
                sum += Math.exp(ref.get(t, c) - max);
            }
            for (int c = 0; c < ref.cols(); c++) {
                worst = Math.max(worst, Math.abs(lp[t][c] - (ref.get(t, c) - max - Math.log(sum))));
            }
        }
        assertThat(worst).isLessThan(1e-4);
    }

    @Test
    void extractFeaturesWritesTheReferenceLayersAndWhatTheHeadReads() throws Exception {
        Path out = tmp.resolve("large");
        CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture("large-ctc"), null, out, List.of("test"), null);
        Path audio = tmp.resolve("crop/spk1_snt1.wav");
        Files.createDirectories(audio.getParent());
        float[] wav = org.speechwb.engine.audio.AudioReader.read16k(RepoFiles.root().resolve(
                "datasets/real-speech/wav/spk1_snt1.wav")).samples();
        org.speechwb.engine.audio.WavWriter.write(audio, java.util.Arrays.copyOfRange(wav, 4000, 20000), 16000,
                org.speechwb.engine.audio.WavWriter.Encoding.FLOAT32);
        Path ref = ReferenceEqualityTest.fixture("large-ctc").resolve("spk1_snt1");
        for (String layer : List.of("features", "2", "last")) {
            Path dir = tmp.resolve("feat-" + layer);
            assertThat(new CommandLine(new SpeechWbCli()).execute("extract-features", "--model", out.toString(),
                    "--data", audio.getParent().toString(), "--out", dir.toString(), "--layer", layer)).isZero();
            Npy.Array ours = Npy.read(dir.resolve("spk1_snt1.npy"));
            if (layer.equals("last")) {
                // a LARGE-style model's head reads the final LayerNorm's output: logits = h W + b
                org.speechwb.engine.run.Checkpoint.Loaded c = org.speechwb.engine.run.Checkpoint.read(
                        RunFolder.newestCheckpoint(out));
                INDArray w = null;
                INDArray b = null;
                for (int i = 0; i < c.meta().tensors().size(); i++) {
                    String name = c.meta().tensors().get(i).name();
                    w = name.equals("ctc_head.w") ? c.params().get(i) : w;
                    b = name.equals("ctc_head.b") ? c.params().get(i) : b;
                }
                INDArray h = org.nd4j.linalg.factory.Nd4j.create(ours.values(), new long[] {ours.rows(), ours.cols()}, 'c');
                INDArray logits = h.mmul(w.castTo(h.dataType())).addRowVector(b.castTo(h.dataType()).reshape(-1));
                assertThat(maxAbs(logits, Npy.read(ref.resolve("logits.npy")))).isLessThan(1e-4);
                assertThat(maxAbs(h, Npy.read(ref.resolve("hidden_3.npy")))).isGreaterThan(1e-2);
            } else {
                Npy.Array want = Npy.read(ref.resolve(layer.equals("features") ? "features.npy" : "hidden_2.npy"));
                INDArray h = org.nd4j.linalg.factory.Nd4j.create(ours.values(), new long[] {ours.rows(), ours.cols()}, 'c');
                assertThat(maxAbs(h, want)).isLessThan(1e-4);
            }
            assertThat(ConfigIO.json().readTree(dir.resolve("features.json").toFile()).get("layer").asText())
                    .isEqualTo(layer);
        }
    }

    private static double maxAbs(INDArray ours, Npy.Array ref) {
        assertThat(ours.rows()).isEqualTo(ref.rows());
        double worst = 0;
        for (int t = 0; t < ref.rows(); t++) {
            for (int c = 0; c < ref.cols(); c++) {
                worst = Math.max(worst, Math.abs(ours.getDouble(t, c) - ref.get(t, c)));
            }
        }
        return worst;
    }

    @Test
    void theImportCommandWritesARunThatDecodeReads() throws Exception {
        Path out = tmp.resolve("base");
        String[] res = cli("import", ReferenceEqualityTest.fixture("base-ctc").toString(), "--out", out.toString());
        assertThat(res[0]).as(res[2]).isEqualTo("0");
        assertThat(res[1]).contains("imported").contains("hf-safetensors").contains("blank = id 0");
        Path wav = RepoFiles.root().resolve("datasets/real-speech/wav/spk1_snt1.wav");
        String[] dec = cli("decode", "--model", out.toString(), wav.toString());
        assertThat(dec[0]).as(dec[2]).isEqualTo("0");
        assertThat(dec[1]).contains("spk1_snt1.wav\t");

        // emissions: the CTC logits of a file, as the reference computed them (the fixture's 1 s crop, 16-bit PCM)
        float[] all = org.speechwb.engine.audio.AudioReader.read16k(wav).samples();
        Path crop = tmp.resolve("crop.wav");
        org.speechwb.engine.audio.WavWriter.write(crop, java.util.Arrays.copyOfRange(all, 4000, 20000), 16000,
                org.speechwb.engine.audio.WavWriter.Encoding.FLOAT32);
        Path npy = tmp.resolve("e.npy");
        String[] em = cli("emissions", "--model", out.toString(), "--audio", crop.toString(), "--out", npy.toString());
        assertThat(em[0]).as(em[2]).isEqualTo("0");
        Npy.Array got = Npy.read(npy);
        Npy.Array want = Npy.read(ReferenceEqualityTest.fixture("base-ctc").resolve("spk1_snt1/logits.npy"));
        assertThat(got.shape()).containsExactly(want.shape());
        double worst = 0;
        for (int i = 0; i < want.values().length; i++) {
            worst = Math.max(worst, Math.abs(got.values()[i] - want.values()[i]));
        }
        assertThat(worst).isLessThan(1e-4);

        String[] again = cli("import", ReferenceEqualityTest.fixture("base-ctc").toString(), "--out", out.toString());
        assertThat(again[0]).isEqualTo("1");
        assertThat(again[2]).contains("not empty");
        String[] none = cli("import", tmp.resolve("nothing").toString(), "--out", tmp.resolve("x").toString());
        assertThat(none[2]).contains("no such file or folder");
    }

    @Test
    void anImportedPreTrainingModelGivesTheReferenceCodesAndFineTunes() throws Exception {
        Path dir = ReferenceEqualityTest.fixture("base-pretrain");
        Path out = tmp.resolve("pre");
        CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(dir, null, out, List.of("test"), null);
        assertThat(r.initialised()).isEmpty();                 // masked_spec_embed and the quantizer are in the file
        assertThat(new RunFolder(out).isFinetune()).isFalse();

        Inspector ins = Inspector.open(out);
        for (String utt : List.of("spk1_snt1", "spk2_snt3")) {
            float[] input = ReferenceEqualityTest.input(utt).values();
            Npy.Array codes = Npy.read(dir.resolve(utt).resolve("codes.npy"));
            Inspection i = ins.inspect(utt, input, 3);
            assertThat(i.frames()).isEqualTo(codes.rows());
            for (int t = 0; t < codes.rows(); t++) {
                for (int g = 0; g < codes.cols(); g++) {
                    assertThat(i.codes()[t][g]).as("%s frame %d group %d", utt, t, g).isEqualTo((int) codes.get(t, g));
                }
            }
        }

        // finetune --pretrained takes it like one of the workbench's own pre-training runs
        FinetuneConfig tiny;
        try (InputStream in = ImportRunTest.class.getResourceAsStream("/tiny-finetune.yaml")) {
            tiny = ConfigIO.readFrom(in, FinetuneConfig.class, Path.of("tiny-finetune.yaml"), ConfigIO.yaml());
        }
        FinetuneConfig cfg = Presets.forPretrained(tiny, out);
        assertThat(cfg.wav2vec2().modelDim()).isEqualTo(48);
        assertThat(cfg.data().normalize()).isTrue();
        Map<String, INDArray> w = FineTuner.pretrainedWeights(cfg);
        Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(cfg.wav2vec2(), 29, 0, 1, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertThat(m.loadPretrained(w)).hasSize(m.params().list().size() - 2);   // all but the fresh CTC head

        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        List<Utterance> train = TrainingData.select(ds, "train").subList(0, 8);
        Provenance p = new Provenance("datasets/harvard-tts", "WORKBENCH_CORPUS", "test", "train", train.size(), 0,
                "test", Provenance.ENGINE_VERSION, "CPU", "test", "17", "test", Provenance.now(), List.of());
        RunFolder ft = new RunStore(tmp.resolve("runs")).create("ft", cfg, p);
        assertThat(new FineTuner(ft, train, List.of(), null, 2).run()).isEqualTo(RunState.FINISHED);
        assertThat(ft.checkpoints()).isNotEmpty();
    }

    @Test
    void pretrainingContinuesFromAnImportedModelOnNewData() throws Exception {
        Path imported = tmp.resolve("pre");
        CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture("base-pretrain"), null, imported,
                List.of("test"), null);
        PretrainConfig cfg = org.speechwb.engine.config.ConfigOverrides.apply(new RunFolder(imported).config(),
                List.of("run.maxUpdates=2", "optimizer.warmupUpdates=1", "data.maxTokens=64000",
                        "data.maxSampleSize=32000", "data.minSampleSize=8000", "loss.negatives=10"), PretrainConfig.class);
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        List<Utterance> train = TrainingData.select(ds, "train").subList(0, 8);
        Provenance p = new Provenance("datasets/harvard-tts", "WORKBENCH_CORPUS", ds.fingerprint(), "train",
                train.size(), 0, "test", Provenance.ENGINE_VERSION, "CPU", "test", "17", "test", Provenance.now(), List.of());
        RunFolder run = new RunStore(tmp.resolve("runs")).create("continued", cfg, p);
        Pretrainer.initialiseFrom(run, imported);

        // the new run's starting point holds the imported weights, bit for bit
        Checkpoint.Loaded start = Checkpoint.read(run.checkpointFile(0));
        Checkpoint.Loaded source = Checkpoint.read(RunFolder.newestCheckpoint(imported));
        assertThat(start.meta().tensors()).extracting(Checkpoint.TensorInfo::name)
                .containsExactlyElementsOf(source.meta().tensors().stream().map(Checkpoint.TensorInfo::name).toList());
        for (int i = 0; i < start.params().size(); i++) {
            assertThat(start.params().get(i).equals(source.params().get(i))).as(start.meta().tensors().get(i).name())
                    .isTrue();
        }
        assertThat(new Pretrainer(run, train, null, null).run()).isEqualTo(RunState.FINISHED);
        assertThat(run.checkpoints()).hasSize(2);

        // a fine-tuned model is not a starting point for pre-training, and a started run cannot be re-seeded
        Path ctc = tmp.resolve("ctc");
        CheckpointImporter.importCheckpoint(ReferenceEqualityTest.fixture("base-ctc"), null, ctc, List.of("test"), null);
        RunFolder other = new RunStore(tmp.resolve("runs")).create("other", cfg, p);
        assertThatThrownBy(() -> Pretrainer.initialiseFrom(other, ctc)).hasMessageContaining("a fine-tuned CTC model");
        assertThatThrownBy(() -> Pretrainer.initialiseFrom(run, imported)).hasMessageContaining("already has checkpoints");
    }

    @Test
    void aCtcCheckpointsLeftoverPreTrainingHeadIsListedNotLoadedAndAnythingElseUnknownIsRefused() throws Exception {
        Path src = ReferenceEqualityTest.fixture("base-ctc");
        Map<String, Safetensors.Tensor> ts = new java.util.LinkedHashMap<>();
        try (Safetensors s = Safetensors.open(src.resolve("model.safetensors"))) {
            for (String k : s.tensors().keySet()) {
                long[] shape = s.tensors().get(k).shape();
                ts.put(k, new Safetensors.Tensor(shape, s.read(k)));
            }
        }
        ts.put("project_q.bias", new Safetensors.Tensor(new long[] {4}, new float[4]));
        Path d = tmp.resolve("extra");
        Files.createDirectories(d);
        for (String f : List.of("config.json", "vocab.json", "preprocessor_config.json")) {
            Files.copy(src.resolve(f), d.resolve(f));
        }
        try (var o = Files.newOutputStream(d.resolve("model.safetensors"))) {
            Safetensors.write(o, ts, Map.of("format", "pt"));
        }
        CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(d, null, tmp.resolve("r1"), List.of(), null);
        JsonNode rec = ConfigIO.json().readTree(tmp.resolve("r1/import.json").toFile());
        assertThat(rec.get("ignored").toString()).contains("project_q.bias");
        assertThat(r.parameters()).isPositive();
        ts.put("wav2vec2.encoder.layers.0.adapter_layer.norm.weight", new Safetensors.Tensor(new long[] {4}, new float[4]));
        try (var o = Files.newOutputStream(d.resolve("model.safetensors"))) {
            Safetensors.write(o, ts, Map.of("format", "pt"));
        }
        assertThatThrownBy(() -> CheckpointImporter.importCheckpoint(d, null, tmp.resolve("r2"), List.of(), null))
                .hasMessageContaining("cannot represent").hasMessageContaining("adapter_layer.norm.weight");
    }

    @Test
    void whatTheEngineCannotComputeIsRefusedByFieldAndValue() throws Exception {
        Path src = ReferenceEqualityTest.fixture("base-ctc");
        for (String[] edit : new String[][] {
                {"\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\"", "hidden_act \"gelu_new\""},
                {"\"feat_extract_norm\": \"group\"", "\"feat_extract_norm\": \"batch\"", "feat_extract_norm \"batch\""},
                {"\"layer_norm_eps\": 1e-05", "\"layer_norm_eps\": 1e-12", "layer_norm_eps 1.0E-12"},
                {"\"model_type\": \"wav2vec2\"", "\"model_type\": \"hubert\"", "model_type \"hubert\""},
                {"\"num_hidden_layers\": 3", "\"num_hidden_layers\": 3, \"add_adapter\": true", "add_adapter true"},
                {"\"num_hidden_layers\": 3", "\"num_hidden_layers\": 3, \"adapter_attn_dim\": 16", "adapter_attn_dim 16"},
                {"\"architectures\": [\n    \"Wav2Vec2ForCTC\"\n  ]", "\"architectures\": [\"Wav2Vec2ForSequenceClassification\"]",
                        "Wav2Vec2ForSequenceClassification"},
                {"\"num_hidden_layers\": 3", "\"num_hidden_layers\": 4", "lack what the config describes"}}) {
            Path d = tmp.resolve("edit" + Math.abs(edit[1].hashCode()));
            Files.createDirectories(d);
            for (String f : List.of("model.safetensors", "vocab.json", "preprocessor_config.json")) {
                Files.copy(src.resolve(f), d.resolve(f));
            }
            String json = Files.readString(src.resolve("config.json"));
            assertThat(json).as(edit[0]).contains(edit[0]);
            Files.writeString(d.resolve("config.json"), json.replace(edit[0], edit[1]));
            assertThatThrownBy(() -> CheckpointImporter.importCheckpoint(d, null, tmp.resolve("o" + d.getFileName()), List.of(),
                    null)).as(edit[1]).isInstanceOf(InteropException.class).hasMessageContaining(edit[2]);
        }
    }

    private static String[] cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String previous = System.getProperty("speechwb.home");
        System.setProperty("speechwb.home", RepoFiles.root().toString());
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new SpeechWbCli()).execute(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (previous == null) {
                System.clearProperty("speechwb.home");
            } else {
                System.setProperty("speechwb.home", previous);
            }
        }
    }
}
