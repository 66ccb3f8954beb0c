package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GradientCheck;
import org.speechwb.engine.nn.Param;

/** The fine-tuning model: exact gradients with padding and masks, padding isolation, weight loading. */
class Wav2Vec2CtcModelTest {

    private static Wav2Vec2CtcModel.Batch batch(Wav2Vec2CtcModel m, boolean masks) {
        Nd4j.getRandom().setSeed(4);
        INDArray wave = Nd4j.randn(DataType.DOUBLE, 2, 400);
        wave.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(250, 400)).assign(0); // padding of row 1
        boolean[][] time = null;
        boolean[][] channel = null;
        if (masks) {
            time = new boolean[2][19];
            time[0][3] = time[0][4] = time[1][2] = true;
            channel = new boolean[2][8];
            channel[0][1] = channel[1][5] = true;
        }
        return new Wav2Vec2CtcModel.Batch(wave, new int[] {400, 250}, time, channel, new boolean[] {true, true});
    }

    @Test
    void gradientsMatchFiniteDifferencesWithPaddingAndMasks() {
        Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(Wav2Vec2GradientTest.tiny(ExtractorMode.DEFAULT, false), 6, 0, 3,
                DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Wav2Vec2CtcModel.Batch b = batch(m, true);
        INDArray logits = m.forward(ctx, b);
        assertThat(m.frameLengths()).containsExactly(19, 12);
        // the loss only looks at valid frames, as CTC does
        INDArray r = Nd4j.randn(DataType.DOUBLE, logits.shape());
        r.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.interval(12, 19),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0);
        m.params().zeroGrads();
        m.backward(ctx, r.dup(), Wav2Vec2CtcModel.Train.ALL);
        List<String> failures = new ArrayList<>();
        for (Param p : m.params().list()) {
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), p.grad().dup(),
                    () -> m.forward(ctx, b).mul(r).sumNumber().doubleValue(), 8, 1e-6, 5);
            if (!res.passes(1e-4, 1e-9)) {
                failures.add(res.toString());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hiddenStatesAreTheFeaturesTheTransformerInputAndEachLayerAndTheLastIsWhatTheHeadReads() {
        Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(Wav2Vec2GradientTest.tiny(ExtractorMode.DEFAULT, false), 6, 0, 3,
                DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Nd4j.getRandom().setSeed(9);
        INDArray wave = Nd4j.randn(DataType.DOUBLE, 1, 400);
        List<INDArray> states = m.hiddenStates(ctx, wave);
        assertThat(states).hasSize(2 + m.config().layers());
        assertThat(states.get(0).shape()).containsExactly(19, m.config().encoderChannels());
        for (int i = 1; i < states.size(); i++) {
            assertThat(states.get(i).shape()).containsExactly(19, m.config().modelDim());
        }
        // consecutive layers differ (each tap is a copy, not a view of a reused buffer)
        assertThat(states.get(2).sub(states.get(3)).amaxNumber().doubleValue()).isGreaterThan(1e-6);
        INDArray logits = m.forward(ctx, new Wav2Vec2CtcModel.Batch(wave, new int[] {400}, null, null,
                new boolean[] {true, true})).reshape(19, 6);
        INDArray head = states.get(states.size() - 1).mmul(m.params().get("ctc_head.w").value())
                .addRowVector(m.params().get("ctc_head.b").value());
        assertThat(head.sub(logits).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    @Test
    void paddingDoesNotChangeTheValidFrames() {
        Wav2Vec2CtcModel m = new Wav2Vec2CtcModel(Wav2Vec2GradientTest.tiny(ExtractorMode.DEFAULT, false), 6, 0, 3,
                DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Wav2Vec2CtcModel.Batch b = batch(m, false);
        INDArray padded = m.forward(ctx, b).dup();
        // the same utterance alone, unpadded
        INDArray alone = b.wave().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 250)).dup();
        INDArray single = m.forward(ctx, new Wav2Vec2CtcModel.Batch(alone, new int[] {250}, null, null,
                new boolean[] {true, true}));
        // differences come only from the encoder's per-channel GroupNorm statistics over the
        // padded length, which the reference shares; compare with the first layer's norm off
        Wav2Vec2CtcModel ln = new Wav2Vec2CtcModel(Wav2Vec2GradientTest.tiny(ExtractorMode.LAYER_NORM, false), 6, 0, 3,
                DataType.DOUBLE);
        INDArray p2 = ln.forward(ctx, b).dup();
        INDArray s2 = ln.forward(ctx, new Wav2Vec2CtcModel.Batch(alone, new int[] {250}, null, null,
                new boolean[] {true, true}));
        for (int t = 0; t < 12; t++) {
            for (int v = 0; v < 6; v++) {
                assertThat(p2.getDouble(1, t, v)).isCloseTo(s2.getDouble(0, t, v), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(single.size(1)).isEqualTo(12);
        assertThat(padded.size(1)).isEqualTo(19);
    }

    @Test
    void pretrainedWeightsLoadByName() {
        Wav2Vec2Config cfg = Wav2Vec2GradientTest.tiny(ExtractorMode.DEFAULT, false);
        Wav2Vec2Model pre = new Wav2Vec2Model(cfg, 9, DataType.DOUBLE);
        Wav2Vec2CtcModel ft = new Wav2Vec2CtcModel(cfg, 6, 0, 3, DataType.DOUBLE);
        Map<String, INDArray> weights = new java.util.HashMap<>();
        pre.params().list().forEach(p -> weights.put(p.name(), p.value()));
        List<String> copied = ft.loadPretrained(weights);
        assertThat(copied).contains("encoder.conv0.w", "encoder.layers.1.fc2.w", "mask_emb", "pos_conv.v")
                .noneMatch(n -> n.startsWith("ctc_head") || n.startsWith("quantizer"));
        assertThat(ft.params().get("encoder.layers.0.self_attn.qkv.w").value())
                .isEqualTo(pre.params().get("encoder.layers.0.self_attn.qkv.w").value());
        assertThat(ft.trainable(Wav2Vec2CtcModel.Train.HEAD)).extracting(Param::name).allMatch(n -> n.startsWith("ctc_head"));
        assertThat(ft.trainable(Wav2Vec2CtcModel.Train.TRANSFORMER)).extracting(Param::name)
                .noneMatch(n -> n.startsWith("encoder.conv"));
    }
}
