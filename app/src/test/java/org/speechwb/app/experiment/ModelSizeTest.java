package org.speechwb.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.speechwb.app.TestContexts;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;

class ModelSizeTest {

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
}
