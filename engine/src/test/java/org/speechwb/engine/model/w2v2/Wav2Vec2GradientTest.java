package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.GradientCheck;
import org.speechwb.engine.nn.Param;

/**
 * Finite-difference check of every parameter gradient of a whole tiny wav2vec 2.0 model, in
 * double precision, for the BASE-style (post-LN, GroupNorm) and LARGE-style (pre-LN,
 * LayerNorm, conv bias) architectures, with all three loss terms active.
 */
class Wav2Vec2GradientTest {

    static Wav2Vec2Config tiny(ExtractorMode mode, boolean preLn, double featureGradMult) {
        List<ConvLayerSpec> convs = List.of(new ConvLayerSpec(6, 10, 5), new ConvLayerSpec(6, 3, 2), new ConvLayerSpec(6, 2, 2));
        return new Wav2Vec2Config(convs, mode, mode == ExtractorMode.LAYER_NORM, 8, 12, 2, 2, preLn,
                0, 0, 0, 0, 0, 0, 4, 2, featureGradMult, 4, 2, 5, 0.5);
    }

    static Wav2Vec2Config tiny(ExtractorMode mode, boolean preLn) {
        // feature_grad_mult 1: the scaled encoder gradient is by design not the true derivative
        return tiny(mode, preLn, 1.0);
    }

    private static Wav2Vec2Model.Batch tinyBatch(Wav2Vec2Model model, long seed) {
        int frames = (int) model.framesFor(400);
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[][] mask = new SpanMaskSampler(0.5, 3, 2, true).sample(2, frames, null, rng);
        float[] counts = new NegativeSampler(6).sampleCounts(mask, rng);
        Nd4j.getRandom().setSeed(seed);
        return new Wav2Vec2Model.Batch(Nd4j.randn(DataType.DOUBLE, 2, 400), mask, counts, 0.7, model.allLayers());
    }

    private void checkWholeModel(Wav2Vec2Config cfg) {
        Wav2Vec2Model model = new Wav2Vec2Model(cfg, 3, DataType.DOUBLE);
        model.quantizer().setGradientMode(GumbelQuantizer.GradientMode.HARD_EXACT);
        assertThat(cfg.framesFor(400)).isEqualTo(19);
        Wav2Vec2Model.Batch b = tinyBatch(model, 5);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        double alpha = 0.3;
        double lambda = 2.0;
        model.params().zeroGrads();
        Wav2Vec2Model.Result r = model.step(ctx, b, alpha, lambda, true);
        assertThat(r.loss()).isFinite();
        assertThat(r.diversity()).isGreaterThan(0);

        List<String> failures = new ArrayList<>();
        for (Param p : model.params().list()) {
            INDArray analytic = p.grad().dup();
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), analytic,
                    () -> model.step(ctx, b, alpha, lambda, false).loss(), 12, 1e-6, 11);
            if (!res.passes(1e-4, 1e-9)) {
                failures.add(res.toString());
            }
        }
        assertThat(failures).as("parameters whose gradient disagrees with finite differences").isEmpty();
    }

    @Test
    void baseArchitectureGradientsMatchFiniteDifferences() {
        checkWholeModel(tiny(ExtractorMode.DEFAULT, false));
    }

    @Test
    void largeArchitectureGradientsMatchFiniteDifferences() {
        checkWholeModel(tiny(ExtractorMode.LAYER_NORM, true));
    }

    /**
     * With MFCC cluster targets (HuBERT-style) every parameter on the path gets the gradient of
     * cross-entropy + λ·penalty; the quantizer and the centroids get none.
     */
    @Test
    void clusterTargetGradientsMatchFiniteDifferences() {
        Wav2Vec2Config cfg = tiny(ExtractorMode.DEFAULT, false);
        Wav2Vec2Model model = new Wav2Vec2Model(cfg, 3, DataType.DOUBLE, new org.speechwb.engine.config.LossConfig(1, 0, 10, 0, 5, false));
        assertThat(model.predictsClusters()).isTrue();
        int frames = (int) model.framesFor(400);
        SplittableRandom rng = new SplittableRandom(6);
        boolean[][] mask = new SpanMaskSampler(0.5, 3, 2, true).sample(2, frames, null, rng);
        int[][] labels = new int[2][frames];
        for (int[] row : labels) {
            for (int t = 0; t < frames; t++) {
                row[t] = rng.nextInt(5);
            }
        }
        Nd4j.getRandom().setSeed(6);
        Wav2Vec2Model.Batch b = new Wav2Vec2Model.Batch(Nd4j.randn(DataType.DOUBLE, 2, 400), mask, null, 0.7,
                model.allLayers(), labels);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        double lambda = 2.0;
        model.params().zeroGrads();
        Wav2Vec2Model.Result r = model.step(ctx, b, 0, lambda, true);
        assertThat(r.contrastive()).isFinite().isGreaterThan(0);
        assertThat(r.diversity()).isZero();
        assertThat(r.codeCounts()).isEmpty();

        List<String> failures = new ArrayList<>();
        for (Param p : model.params().list()) {
            if (p.name().startsWith("quantizer") || p.name().equals("project_q.weight") || p.name().equals("project_q.bias")
                    || p.name().equals("label_centroids")) {
                assertThat(p.grad().sumNumber().doubleValue()).as(p.name() + " takes no part").isZero();
                continue;
            }
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), p.grad().dup(),
                    () -> model.step(ctx, b, 0, lambda, false).loss(), 12, 1e-6, 11);
            if (!res.passes(1e-4, 1e-9)) {
                failures.add(res.toString());
            }
        }
        assertThat(failures).as("parameters whose gradient disagrees with finite differences").isEmpty();
        assertThat(model.params().get("label_embs").grad().norm2Number().doubleValue()).isGreaterThan(0);
    }

    @Test
    void featureGradMultScalesOnlyTheEncoderGradient() {
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        Wav2Vec2Model full = new Wav2Vec2Model(tiny(ExtractorMode.DEFAULT, false, 1.0), 3, DataType.DOUBLE);
        Wav2Vec2Model scaled = new Wav2Vec2Model(tiny(ExtractorMode.DEFAULT, false, 0.1), 3, DataType.DOUBLE);
        Wav2Vec2Model.Batch b = tinyBatch(full, 8);
        full.step(ctx, b, 0.1, 10, true);
        scaled.step(ctx, b, 0.1, 10, true);
        for (Param p : full.params().list()) {
            INDArray expected = p.name().startsWith("encoder.conv") ? p.grad().mul(0.1) : p.grad();
            assertThat(scaled.params().get(p.name()).grad().equalsWithEps(expected, 1e-12)).as(p.name()).isTrue();
        }
    }

    /**
     * The straight-through backward must equal the gradient of the soft selection: checked by
     * running the quantizer with a soft forward and finite differences on its inputs.
     */
    @Test
    void straightThroughBackwardIsTheSoftGradient() {
        Wav2Vec2Config cfg = tiny(ExtractorMode.DEFAULT, false);
        org.speechwb.engine.nn.ParamStore ps = new org.speechwb.engine.nn.ParamStore(DataType.DOUBLE, 9);
        GumbelQuantizer q = new GumbelQuantizer(ps, cfg);
        q.setGradientMode(GumbelQuantizer.GradientMode.SOFT);
        Ctx ctx = new Ctx(new Arena(DataType.DOUBLE), false, Nd4j.getRandom());
        INDArray z = Nd4j.randn(DataType.DOUBLE, 7, cfg.encoderChannels());
        INDArray w = Nd4j.createFromArray(1.0, 0, 1, 1, 0, 1, 1);
        INDArray r = Nd4j.randn(DataType.DOUBLE, 7, cfg.finalDim());
        double tau = 0.8;
        double alpha = 0.5;
        java.util.function.DoubleSupplier loss = () -> {
            INDArray out = q.forward(ctx, z, w, tau);
            return out.mul(r).sumNumber().doubleValue() + alpha * q.stats().diversity();
        };
        loss.getAsDouble();
        ps.zeroGrads();
        INDArray dz = q.backward(ctx, r.dup(), alpha).dup();
        assertThat(GradientCheck.check("z", z, dz, loss, 40, 1e-6, 1).passes(1e-5, 1e-9)).isTrue();
        for (Param p : ps.list()) {
            GradientCheck.Result res = GradientCheck.check(p.name(), p.value(), p.grad().dup(), loss, 40, 1e-6, 2);
            assertThat(res.passes(1e-5, 1e-9)).as(res.toString()).isTrue();
        }
    }
}
