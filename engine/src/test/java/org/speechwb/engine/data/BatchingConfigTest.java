package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchingConfigTest {

    @Test
    void rejectsInconsistentSizesWithReadableMessages() {
        assertThatThrownBy(() -> new BatchingConfig(16_000, 32_000, 100_000, 0, false, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minSampleSize (32000 samples = 2.00 s at 16 kHz)")
                .hasMessageContaining("larger than maxSampleSize");
        assertThatThrownBy(() -> new BatchingConfig(250_000, 32_000, 20_000, 0, false, 1))
                .hasMessageContaining("maxTokens (20000 samples")
                .hasMessageContaining("single full-length utterance");
        assertThatThrownBy(() -> new BatchingConfig(0, 0, 10, 0, false, 1)).hasMessageContaining("maxSampleSize");
        assertThatThrownBy(() -> new BatchingConfig(10, -1, 10, 0, false, 1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new BatchingConfig(10, 1, 10, -2, false, 1)).hasMessageContaining("maxBatchSize");
    }

    @Test
    void presetsAreValidAndWithersKeepTheRest() {
        BatchingConfig c = BatchingConfig.wav2vec2Pretraining(1);
        assertThat(c.maxSampleSize()).isEqualTo(250_000);
        assertThat(c.withSeed(9).seed()).isEqualTo(9);
        assertThat(c.withSeed(9).maxTokens()).isEqualTo(c.maxTokens());
        assertThat(c.withNormalize(true).normalize()).isTrue();
        assertThat(BatchingConfig.wav2vec2Finetuning(1).minSampleSize()).isZero();
    }
}
