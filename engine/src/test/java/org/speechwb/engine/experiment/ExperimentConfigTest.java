package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The experiment's settings reject what cannot run and name the field. */
class ExperimentConfigTest {

    private static ExperimentConfig with(String featurePreset, int featureUpdates, int acousticUpdates, int voices) {
        return new ExperimentConfig("", 120, 10, "wav2vec2-small-cpu", 6000, "ctc-small-cpu", 1500, 3, 32, 0.5, 1.0,
                "datasets/real-speech", 1, featurePreset, featureUpdates, acousticUpdates, voices);
    }

    @Test
    void defaultsIncludeTheFeatureComparisonOverAllVoices() {
        ExperimentConfig d = ExperimentConfig.defaults();
        assertThat(d.featurePreset()).isEqualTo("wav2vec1-small-cpu");
        assertThat(d.featureUpdates()).isEqualTo(1500);
        assertThat(d.acousticUpdates()).isEqualTo(2000);
        assertThat(d.labeledVoices()).isZero();
    }

    @Test
    void theFeatureComparisonCanBeSkippedAndOtherwiseNeedsUpdates() {
        assertThat(with(null, 0, 0, 0).featurePreset()).isEmpty();
        assertThatThrownBy(() -> with("wav2vec1-small-cpu", 0, 100, 0)).hasMessageContaining("featureUpdates");
        assertThatThrownBy(() -> with("wav2vec1-small-cpu", 100, 0, 0)).hasMessageContaining("acousticUpdates");
        assertThatThrownBy(() -> with("", 0, 0, -1)).hasMessageContaining("labeledVoices");
    }
}
