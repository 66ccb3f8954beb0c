package org.speechwb.engine.model.w2v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.GumbelQuantizer;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GradientCheck;
import org.speechwb.engine.nn.Param;

/**
 * wav2vec 1.0 / vq-wav2vec: frame geometry of the reference configurations, causality, the
 * distractor rule, and a finite-difference check of every parameter of tiny models of each kind.
 */
class Wav2Vec1ModelTest {

    static Wav2Vec1Config tiny(boolean skip, String activation, String norm, String objective, String quantizer, int vqDepth,
                               boolean combine) {
        List<ConvLayerSpec> enc = List.of(new ConvLayerSpec(6, 10, 5), new ConvLayerSpec(6, 3, 2), new ConvLayerSpec(6, 1, 1));
        List<ConvLayerSpec> ctx = List.of(new ConvLayerSpec(6, 3, 1), new ConvLayerSpec(8, 2, 1));
        return new Wav2Vec1Config(enc, true, ctx, skip, 0.5, true, activation, norm, 0, 0, 0, 3, -1, objective, quantizer,
                2, 5, 0, vqDepth, combine, 0.25);
    }

    @Test
    void paperGeometryIs30msFramesEvery10msWith210msContext() {
        Wav2Vec1Config paper = Wav2Vec1Config.paper();
        ReceptiveField rf = paper.receptiveField();
        assertThat(rf.encoderSamples()).isEqualTo(465);
        assertThat(rf.hopSamples()).isEqualTo(160);
        assertThat(rf.encoderMs()).isCloseTo(29.06, within(0.01));
        assertThat(rf.hopMs()).isEqualTo(10.0);
        assertThat(rf.contextFrames()).isEqualTo(19);
        assertThat(rf.contextMs()).isCloseTo(209.1, within(0.1));
        assertThat(paper.effectiveOffset()).isEqualTo(3);
        assertThat(paper.framesFor(16_000)).isEqualTo(98);
        ReceptiveField large = Wav2Vec1Config.large().receptiveField();
        assertThat(large.encoderSamples()).isEqualTo(465);        // 1×1 layers add nothing
        assertThat(large.contextFrames()).isEqualTo(79);
        assertThat(large.contextMs()).isCloseTo(809.1, within(0.1));
        // the encoder really produces the frames the geometry promises
        Wav2Vec1Config t = tiny(false, "relu", "group", "binary", "none", 1, false);
        Wav2Vec1Model m = new Wav2Vec1Model(t, 1, DataType.FLOAT);
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        INDArray c = m.context(ctx, Nd4j.rand(DataType.FLOAT, 1, 1000), 1.0);
        assertThat(c.size(1)).isEqualTo(t.framesFor(1000)).isEqualTo(99);
        assertThat(t.effectiveOffset()).isEqualTo(2); // ceil(20 / 10)
    }

    @Test
    void contextVectorsDoNotDependOnFutureSamples() {
        // LayerNorm per frame: the convolution stack alone decides causality
        Wav2Vec1Config cfg = tiny(true, "relu", "layer", "binary", "none", 1, false);
        Wav2Vec1Model m = new Wav2Vec1Model(cfg, 2, DataType.DOUBLE);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Nd4j.getRandom().setSeed(1);
        INDArray wave = Nd4j.randn(DataType.DOUBLE, 1, 1000);
        INDArray before = m.context(ctx, wave, 1.0).dup();
        int cut = 600;
        INDArray changed = wave.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(cut, 1000)).assign(Nd4j.randn(DataType.DOUBLE, 1, 400));
        INDArray after = m.context(ctx, changed, 1.0).dup();
        ReceptiveField rf = cfg.receptiveField();
        // frame t of the encoder covers samples [t·hop, t·hop + rf); c_t sees frames ≤ t
        long lastPast = (cut - rf.encoderSamples()) / rf.hopSamples();
        INDArray pastBefore = before.get(NDArrayIndex.all(), NDArrayIndex.interval(0, lastPast + 1), NDArrayIndex.all());
        INDArray pastAfter = after.get(NDArrayIndex.all(), NDArrayIndex.interval(0, lastPast + 1), NDArrayIndex.all());
        assertThat(pastAfter.equalsWithEps(pastBefore, 1e-12)).as("past context vectors unchanged").isTrue();
        INDArray next = after.get(NDArrayIndex.all(), NDArrayIndex.point(lastPast + 1), NDArrayIndex.all());
        assertThat(next.equalsWithEps(before.get(NDArrayIndex.all(), NDArrayIndex.point(lastPast + 1), NDArrayIndex.all()),
                1e-6)).as("the first frame that sees a changed sample changes").isFalse();
    }

    @Test
    void negativesComeFromTheSameUtteranceAndNeverThePositive() {
        int[][][] neg = StepNegatives.sample(3, 7, 10, new SplittableRandom(4));
        int[] hits = new int[7];
        for (int[][] utt : neg) {
            for (int t = 0; t < 7; t++) {
                for (int v : utt[t]) {
                    assertThat(v).isBetween(0, 6).isNotEqualTo(t);
                    hits[v]++;
                }
            }
        }
        assertThat(java.util.Arrays.stream(hits).min().getAsInt()).isPositive();
        assertThatThrownBy(() -> StepNegatives.sample(1, 1, 10, new SplittableRandom(1)))
                .hasMessageContaining("at least 2 frames");
    }

    private static void checkGradients(Wav2Vec1Model model, double quantizerWeight) {
        int samples = 400;
        int frames = (int) model.framesFor(samples);
        Nd4j.getRandom().setSeed(9);
        INDArray wave = Nd4j.randn(DataType.DOUBLE, 2, samples);
        Wav2Vec1Model.Batch b = new Wav2Vec1Model.Batch(wave, StepNegatives.sample(2, frames, 4, new SplittableRandom(3)), 0.8);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        model.params().zeroGrads();
        Wav2Vec1Model.Result r = model.step(ctx, b, quantizerWeight, true, 1.0);
        assertThat(r.loss()).isFinite();
        assertThat(r.stepAccuracy()).hasSize(model.config().predictionSteps());
        List<String> failures = new ArrayList<>();
        for (Param p : model.params().list()) {
            INDArray analytic = p.grad().dup();
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), analytic,
                    () -> model.step(ctx, b, quantizerWeight, false, 1.0).loss(), 10, 1e-6, 13);
            if (!res.passes(1e-4, 1e-9)) {
                failures.add(res.toString());
            }
        }
        assertThat(failures).as("parameters whose gradient disagrees with finite differences").isEmpty();
    }

    @Test
    void paperStyleBinaryLossGradientsMatchFiniteDifferences() {
        checkGradients(new Wav2Vec1Model(tiny(false, "relu", "group", "binary", "none", 1, false), 3, DataType.DOUBLE), 0);
    }

    @Test
    void largeStyleInfoNceGradientsMatchFiniteDifferences() {
        // skips with a 1×1 residual projection (6 → 8 channels), GELU, per-frame LayerNorm
        checkGradients(new Wav2Vec1Model(tiny(true, "gelu", "layer", "infonce", "none", 1, false), 3, DataType.DOUBLE), 0);
    }

    @Test
    void gumbelQuantizerGradientsMatchFiniteDifferences() {
        // exact gradient of the hard forward (the straight-through one is checked in the wav2vec 2.0 tests);
        // depth-2 logit projection, shared codebook, and the perplexity loss switched on
        Wav2Vec1Model m = new Wav2Vec1Model(tiny(true, "relu", "group", "binary", "gumbel", 2, true), 3, DataType.DOUBLE);
        m.gumbelQuantizer().setGradientMode(GumbelQuantizer.GradientMode.HARD_EXACT);
        checkGradients(m, 0.05);
    }

    @Test
    void kmeansQuantizerGradientsMatchFiniteDifferences() {
        Wav2Vec1Model m = new Wav2Vec1Model(tiny(false, "relu", "group", "binary", "kmeans", 1, false), 3, DataType.DOUBLE);
        m.kmeansQuantizer().setStraightThrough(false);
        checkGradients(m, 1.0);
    }

    @Test
    void badConfigsNameTheField() {
        assertThatThrownBy(() -> new Wav2Vec1Config(Wav2Vec1Config.paperEncoder(8, 0),
                true, List.of(new ConvLayerSpec(8, 3, 2)), false, 0.5, true, "relu", "group", 0, 0, 0, 12, -1, "binary",
                "none", 2, 320, 0, 1, false, 0.25)).hasMessageContaining("contextLayers[0]").hasMessageContaining("stride");
        assertThatThrownBy(() -> tiny(false, "tanh", "group", "binary", "none", 1, false)).hasMessageContaining("activation");
        assertThatThrownBy(() -> tiny(false, "relu", "group", "hinge", "none", 1, false)).hasMessageContaining("objective");
    }
}
