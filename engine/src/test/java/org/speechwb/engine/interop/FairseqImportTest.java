package org.speechwb.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.text.Vocabulary;

/**
 * fairseq checkpoints (written by the fixture script with torch.save in fairseq's layout): the
 * same models as the Hugging Face fixtures, in fp16, with cfg as an OmegaConf DictConfig, as a
 * plain dict, or only the 2020 args Namespace.
 */
class FairseqImportTest {

    @TempDir
    Path tmp;

    static Path fairseq(String name) {
        return ReferenceEqualityTest.fixture("fairseq").resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base-ctc-dictconfig.pt", "base-ctc-args.pt"})
    void aCtcCheckpointImportsAsTheSameModelAndComputesTheReference(String file) throws Exception {
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(fairseq(file), null)) {
            assertThat(fs.ctc()).isTrue();
            assertThat(fs.cfgKind()).contains(file.contains("args") ? "Namespace" : "DictConfig");
            assertThat(fs.normalize()).isTrue();
            HuggingFaceModel hf = HuggingFaceModel.open(ReferenceEqualityTest.fixture("base-ctc-f16"));
            assertThat(FineTunerShapes.same(fs.config(), hf.config())).isTrue();
            Vocabulary v = fs.vocabulary();
            assertThat(v.blank()).isZero();
            assertThat(v.wordBoundary()).isEqualTo(4);
            assertThat(v.tokens()).isEqualTo(hf.vocabulary().tokens().stream()
                    .map(t -> t.equals("<s>") ? "<pad>" : t).toList());
            Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(fs.config(), v.size(), 0, 1, DataType.FLOAT);
            try (TensorSource src = fs.weights()) {
                assertThat(HfWeights.load(src, m.params(), fs.config()).missing()).isEmpty();
            }
            // the HF base-ctc-f16 fixture holds the same model rounded to fp16, as fairseq saved it: same outputs
            Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
            Path u = ReferenceEqualityTest.fixture("base-ctc-f16").resolve("spk1_snt1");
            Npy.Array input = ReferenceEqualityTest.input("spk1_snt1");
            INDArray wave = Nd4j.create(input.values(), new long[] {1, input.values().length}, 'c');
            INDArray logits = m.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, new int[] {input.values().length}, null,
                    null, ReferenceEqualityTest.allLayers(m)));
            Npy.Array ref = Npy.read(u.resolve("logits.npy"));
            assertThat(ReferenceEqualityTest.maxAbs(logits.reshape(ref.rows(), ref.cols()), ref)).isLessThan(1e-4);
        }
        Path out = tmp.resolve("run");
        CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(fairseq(file), null, out, List.of("test"), null);
        assertThat(r.format()).isEqualTo("fairseq");
        assertThat(r.initialised()).isEmpty();
        Recognizer rec = Recognizer.open(out);
        assertThat(rec.vocabulary().blank()).isZero();
        assertThat(rec.config().data().normalize()).isTrue();
        assertThat(rec.config().data().epsilon()).isEqualTo(1e-5);       // fairseq's layer_norm eps
    }

    @Test
    void aLargeStyleCtcCheckpointImportsAndComputesTheReference() throws Exception {
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(fairseq("large-ctc-dictconfig.pt"), null)) {
            assertThat(fs.ctc()).isTrue();
            org.speechwb.engine.model.w2v2.Wav2Vec2Config c = fs.config();
            assertThat(c.extractorMode()).isEqualTo(org.speechwb.engine.model.w2v2.ExtractorMode.LAYER_NORM);
            assertThat(c.convBias()).isTrue();
            assertThat(c.layerNormFirst()).isTrue();
            Vocabulary v = fs.vocabulary();
            assertThat(v.blank()).isZero();
            assertThat(v.wordBoundary()).isEqualTo(4);
            Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(c, v.size(), 0, 1, DataType.FLOAT);
            try (TensorSource src = fs.weights()) {
                assertThat(HfWeights.load(src, m.params(), c).missing()).isEmpty();
            }
            // torchaudio's LARGE-style model with the same fp16-rounded weights (the fixture script)
            Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
            Npy.Array input = ReferenceEqualityTest.input("spk1_snt1");
            INDArray wave = Nd4j.create(input.values(), new long[] {1, input.values().length}, 'c');
            INDArray logits = m.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, new int[] {input.values().length}, null,
                    null, ReferenceEqualityTest.allLayers(m)));
            Npy.Array ref = Npy.read(fairseq("large-ctc-spk1_snt1-logits.npy"));
            assertThat(ReferenceEqualityTest.maxAbs(logits.reshape(ref.rows(), ref.cols()), ref)).isLessThan(1e-4);
        }
    }

    @Test
    void aPreTrainingCheckpointWithAPlainDictCfgImportsTheQuantizerToo() throws Exception {
        HuggingFaceModel hf = HuggingFaceModel.open(ReferenceEqualityTest.fixture("base-pretrain"));
        Wav2Vec2Model fromHf = new Wav2Vec2Model(hf.config(), 1, DataType.FLOAT);
        try (TensorSource src = hf.openWeights()) {
            HfWeights.load(src, fromHf.params(), hf.config());
        }
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(fairseq("base-pretrain-dict.pt"), null)) {
            assertThat(fs.pretraining()).isTrue();
            assertThat(fs.cfgKind()).isEqualTo("cfg (dict)");
            assertThat(FineTunerShapes.same(fs.config(), hf.config())).isTrue();
            assertThat(fs.config().finalDim()).isEqualTo(16);
            assertThat(fs.config().codebookEntries()).isEqualTo(16);
            Wav2Vec2Model m = new Wav2Vec2Model(fs.config(), 2, DataType.FLOAT);
            try (TensorSource src = fs.weights()) {
                assertThat(HfWeights.load(src, m.params(), fs.config()).missing()).isEmpty();
            }
            assertSameAfterHalfRounding(fromHf.params(), m.params());
            // the optimizer state is in the archive but was never needed
            assertThat(fs.root()).containsKeys("last_optimizer_state", "optimizer_history", "extra_state");
        }
        Path out = tmp.resolve("pre");
        CheckpointImporter.importCheckpoint(fairseq("base-pretrain-dict.pt"), null, out, List.of(), null);
        Checkpoint.Loaded c = Checkpoint.read(out.resolve("checkpoints").resolve("checkpoint-00000000.ckpt"));
        assertThat(c.meta().family()).isEqualTo("wav2vec2");
        assertThat(org.speechwb.engine.inspect.Inspector.open(out).model().finalDim()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base-pretrain-recipe.pt", "base-pretrain-recipe-args.pt"})
    void aPreTrainingCheckpointKeepsItsGumbelScheduleAndLossWeights(String file) throws Exception {
        // base-pretrain-dict.pt with latent_temp (1.5, 0.25, 0.995) and loss_weights [0.3, 5.0]: as a list in
        // a dict cfg, and as the strings of argparse args
        Path out = tmp.resolve(file);
        CheckpointImporter.importCheckpoint(fairseq(file), null, out, List.of(), null);
        org.speechwb.engine.config.PretrainConfig cfg = new org.speechwb.engine.run.RunFolder(out).config();
        assertThat(cfg.quantizer()).isEqualTo(new org.speechwb.engine.config.QuantizerSchedule(1.5, 0.25, 0.995));
        assertThat(cfg.loss().diversityWeight()).isEqualTo(0.3);
        assertThat(cfg.loss().penaltyWeight()).isEqualTo(5.0);
        assertThat(cfg.loss().negatives()).isEqualTo(100);
        // without them (the BASE values happen to be saved here), BASE's recipe
        CheckpointImporter.importCheckpoint(fairseq("base-pretrain-dict.pt"), null, tmp.resolve("base-" + file),
                List.of(), null);
        org.speechwb.engine.config.PretrainConfig base = new org.speechwb.engine.run.RunFolder(tmp.resolve("base-" + file))
                .config();
        assertThat(base.quantizer()).isEqualTo(org.speechwb.engine.config.Presets.pretrain("wav2vec2-base").quantizer());
        assertThat(base.loss().diversityWeight()).isEqualTo(0.1);
    }

    @Test
    void listsOfNumbersAreReadFromEitherSpellingAndAMalformedOneNamesTheField() throws Exception {
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(fairseq("base-pretrain-dict.pt"), null)) {
            assertThat(fs.numbers("latent_temp", "(2, 0.5, 0.999995)", 3)).containsExactly(2, 0.5, 0.999995);
            assertThat(fs.numbers("loss_weights", List.of(0.1, 10), 2)).containsExactly(0.1, 10.0);
            assertThatThrownBy(() -> fs.numbers("latent_temp", "(2, 0.5)", 3))
                    .hasMessageContaining("latent_temp (2, 0.5): expected 3 numbers, got 2");
            assertThatThrownBy(() -> fs.numbers("latent_temp", "(2, x, 1)", 3))
                    .hasMessageContaining("'x' is not a number").hasMessageContaining("base-pretrain-dict.pt");
        }
    }

    @Test
    void aCtcCheckpointWithoutItsDictionaryIsRefusedWithTheWayOut() throws Exception {
        Path pt = tmp.resolve("alone.pt");
        Files.copy(fairseq("base-ctc-args.pt"), pt);
        assertThatThrownBy(() -> FairseqCheckpoint.open(pt, null)).hasMessageContaining("--dict")
                .hasMessageContaining("dict.ltr.txt");
        Path dict = tmp.resolve("short.txt");
        Files.writeString(dict, "| 5\nE 3\n");
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(pt, dict)) {
            assertThat(fs.vocabulary().size()).isEqualTo(32);                  // padded with <unused-N>
            assertThat(fs.vocabulary().token(31)).isEqualTo("<unused-31>");
        }
    }

    @Test
    void convFeatureLayersAreParsedNotEvaluated() throws Exception {
        assertThat(FairseqCheckpoint.convLayers(Path.of("x"), "[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] * 2"))
                .isEqualTo(org.speechwb.engine.model.w2v2.Wav2Vec2Config.referenceEncoder(512));
        assertThatThrownBy(() -> FairseqCheckpoint.convLayers(Path.of("x"), "__import__('os').system('ls')"))
                .hasMessageContaining("not understood");
    }

    static void assertSameAfterHalfRounding(ParamStore hf, ParamStore fs) {
        Map<String, Param> a = hf.all();
        for (Param p : fs.list()) {
            float[] want = a.get(p.name()).value().castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] got = p.value().castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s[%d]", p.name(), i).isEqualTo(Floats.halfToFloat(Floats.floatToHalf(want[i])));
            }
        }
    }

    /** The architecture fields FineTuner.sameShape compares, all equal. */
    static final class FineTunerShapes {
        static boolean same(org.speechwb.engine.model.w2v2.Wav2Vec2Config a, org.speechwb.engine.model.w2v2.Wav2Vec2Config b) {
            return a.convLayers().equals(b.convLayers()) && a.extractorMode() == b.extractorMode()
                    && a.convBias() == b.convBias() && a.modelDim() == b.modelDim() && a.ffnDim() == b.ffnDim()
                    && a.layers() == b.layers() && a.heads() == b.heads() && a.layerNormFirst() == b.layerNormFirst()
                    && a.posConvKernel() == b.posConvKernel() && a.posConvGroups() == b.posConvGroups();
        }
    }
}
