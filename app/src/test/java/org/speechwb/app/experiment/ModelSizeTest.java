package org.speechwb.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.speechwb.app.TestContexts;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.model.w2v1.Wav2Vec1Model;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;

class ModelSizeTest {

    @Test
    void aModelThatPredictsMfccClustersCountsTheirEmbeddingsAndCentroids() throws Exception {
        var cfg = org.speechwb.engine.config.ConfigOverrides.apply(org.speechwb.engine.config.Presets.pretrain(
                "wav2vec2-small-cpu"), java.util.List.of("loss.mfccClusters=100", "loss.diversityWeight=0"),
                org.speechwb.engine.config.PretrainConfig.class);
        assertThat(ModelSize.parameters(cfg)).isEqualTo(new Wav2Vec2Model(cfg.wav2vec2(), 1, DataType.FLOAT, cfg.loss())
                .params().count());
    }

    @Test
    void theFormulaCountsWhatTheEngineBuilds() throws Exception {
        Backends.init();
        PretrainConfig tiny = ConfigIO.read(TestContexts.tinyConfig(), PretrainConfig.class);
        Wav2Vec2Config m = tiny.wav2vec2();
        assertThat(ModelSize.parameters(m)).isEqualTo(new Wav2Vec2Model(m, 1, DataType.FLOAT).params().count());
        // the LARGE-style variant: LayerNorm after every conv, conv bias, pre-LN
        Wav2Vec2Config large = new Wav2Vec2Config(m.convLayers(), ExtractorMode.LAYER_NORM, true, 48, 64, 2, 2, true,
                0, 0, 0, 0, 0, 0, 16, 4, 1.0, 24, 2, 8, 0.1);
        assertThat(ModelSize.parameters(large)).isEqualTo(new Wav2Vec2Model(large, 1, DataType.FLOAT).params().count());
    }

    @Test
    void baseIsAbout95MillionParameters() throws Exception {
        long base = ModelSize.parameters(Presets.pretrain("wav2vec2-base").wav2vec2());
        assertThat(base).isBetween(94_000_000L, 96_000_000L);
        long large = ModelSize.parameters(Presets.pretrain("wav2vec2-large").wav2vec2());
        assertThat(large).isBetween(310_000_000L, 320_000_000L);
    }

    @Test
    void theWav2Vec1FormulaCountsWhatTheEngineBuilds() throws Exception {
        Backends.init();
        // every preset's architecture at a width small enough to build in a test: plain, large-style
        // (skips with projections), Gumbel (depth-2 projection, shared codebook) and k-means
        for (String[] p : Presets.PRETRAIN_WAV2VEC1) {
            Wav2Vec1Config w = Presets.pretrain(p[0]).wav2vec1();
            Wav2Vec1Config narrow = narrow(w);
            assertThat(ModelSize.parameters(narrow)).as(p[0])
                    .isEqualTo(new Wav2Vec1Model(narrow, 1, DataType.FLOAT).params().count());
        }
    }

    @Test
    void wav2vec1PaperCountsByHand() throws Exception {
        long encoder = 512L * 10 + 512L * 512 * 8 + 3 * 512L * 512 * 4 + 5 * 2 * 512L; // bias-free convs + GroupNorms
        long context = 9 * (512L * 512 * 3 + 512 + 2 * 512);                           // convs with bias + GroupNorms
        long heads = 512L * 12 * 512 + 512;                                              // K maps, one shared bias
        assertThat(ModelSize.parameters(Presets.pretrain("wav2vec1-paper").wav2vec1()))
                .isEqualTo(encoder + context + heads).isEqualTo(15_491_072L);
    }

    /** The same layer pattern at a quarter of the width (context layer widths varied so projections appear). */
    private static Wav2Vec1Config narrow(Wav2Vec1Config w) {
        java.util.List<ConvLayerSpec> enc = w.convLayers().stream()
                .map(l -> new ConvLayerSpec(Math.max(8, l.channels() / 16), l.kernel(), l.stride())).toList();
        java.util.List<ConvLayerSpec> ctx = new java.util.ArrayList<>();
        for (int i = 0; i < w.contextLayers().size(); i++) {
            ConvLayerSpec l = w.contextLayers().get(i);
            ctx.add(new ConvLayerSpec(Math.max(8, l.channels() / 16) + (i % 2) * 4, l.kernel(), 1));
        }
        return new Wav2Vec1Config(enc, w.logCompression(), ctx, w.contextSkipConnections(), w.residualScale(),
                w.contextBias(), w.activation(), w.normalization(), w.dropout(), w.featureDropout(), w.contextDropout(),
                w.predictionSteps(), w.offset(), w.objective(), w.quantizer(), w.vqGroups(), Math.min(w.vqEntries(), 16),
                w.quantized() && w.vqDim() > 0 && w.quantizer().equals(Wav2Vec1Config.GUMBEL) ? 16 : 0, w.vqDepth(),
                w.combineGroups(), w.vqGamma());
    }
}
