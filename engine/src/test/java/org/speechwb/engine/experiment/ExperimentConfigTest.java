package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The experiment's settings reject what cannot run and name the field. */
class ExperimentConfigTest {

    private static ExperimentConfig with(List<Long> seeds, List<String> arms, Map<String, List<List<String>>> grids,
                                         String featurePreset, int acousticUpdates) {
        return ExperimentConfig.builder().seeds(seeds).arms(arms).testSets(List.of()).pretrainUpdates(100)
                .finetuneUpdates(100).grids(grids).featurePreset(featurePreset).featureUpdates(100)
                .acousticUpdates(acousticUpdates).probeUpdates(0).build();
    }

    @Test
    void defaultsRunFourArmsOnThreeSeedsWithAGridPerArm() {
        ExperimentConfig d = ExperimentConfig.defaults();
        assertThat(d.seeds()).hasSize(3);
        assertThat(d.arms()).containsExactly("scratch", "wav2vec2", "logmel", "wav2vec1");
        for (Arm a : Arm.values()) {
            assertThat(d.grid(a)).hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(d.testSets()).containsExactly("real-speech=datasets/real-speech");
    }

    @Test
    void unknownArmsDuplicateSeedsAndMissingSettingsAreRefusedByName() {
        assertThatThrownBy(() -> with(List.of(1L), List.of("bert"), Map.of(), "w", 100)).hasMessageContaining("bert");
        assertThatThrownBy(() -> with(List.of(1L, 1L), List.of("scratch"), Map.of(), "w", 100))
                .hasMessageContaining("seeds");
        assertThatThrownBy(() -> with(List.of(), List.of("scratch"), Map.of(), "w", 100)).hasMessageContaining("seed");
        assertThatThrownBy(() -> with(List.of(1L), List.of("wav2vec1"), Map.of(), "", 100))
                .hasMessageContaining("featurePreset");
        assertThatThrownBy(() -> with(List.of(1L), List.of("wav2vec1-random"), Map.of(), "", 100))
                .hasMessageContaining("wav2vec1-random arm needs featurePreset");
        assertThatThrownBy(() -> with(List.of(1L), List.of("logmel"), Map.of(), "", 0))
                .hasMessageContaining("acousticUpdates");
        // the wav2vec 2.0 feature arm takes its layer from the probes, so they must run
        assertThatThrownBy(() -> with(List.of(1L), List.of("wav2vec2-features"), Map.of(), "", 100))
                .hasMessageContaining("probeUpdates");
        assertThatThrownBy(() -> with(List.of(1L), List.of("wav2vec2-random-features"), Map.of(), "", 100))
                .hasMessageContaining("wav2vec2-random-features arm").hasMessageContaining("probeUpdates");
        assertThatThrownBy(() -> with(List.of(1L), List.of("scratch"), Map.of("nope", List.of(List.of())), "", 1))
                .hasMessageContaining("nope");
    }

    @Test
    void anArmWithoutAGridRunsItsPresetOnce() {
        ExperimentConfig c = with(List.of(1L), List.of("scratch"), Map.of(), "", 1);
        assertThat(c.grid(Arm.SCRATCH)).containsExactly(List.of());
    }

    @Test
    void theGridIsJudgedOnTheFirstSeedUnlessMoreAreAskedAndNeverOnSeedsThatDoNotExist() {
        ExperimentConfig c = with(List.of(7L, 3L, 5L), List.of("scratch"), Map.of(), "", 1);
        assertThat(c.gridSeeds()).isEqualTo(1);
        assertThat(c.gridSeedList()).containsExactly(7L);
        assertThat(c.withGridSeeds(2).gridSeedList()).containsExactly(7L, 3L);
        assertThat(c.withGridSeeds(3).gridSeedList()).containsExactly(7L, 3L, 5L);
        assertThatThrownBy(() -> c.withGridSeeds(4)).hasMessageContaining("gridSeeds must be between 1 and the number"
                + " of seeds (3), got 4");
        assertThatThrownBy(() -> c.withGridSeeds(-1)).hasMessageContaining("gridSeeds");
        // results.json written before the setting existed reads it as 0: those experiments chose on the first seed
        assertThat(c.withGridSeeds(0).gridSeeds()).isEqualTo(1);
    }
}
