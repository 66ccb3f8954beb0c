package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;

/** The chance line the Training chart draws is the level the engine's health monitor judges by. */
class RunFilesTest {

    @Test
    void chanceLevelFollowsTheObjective() throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        assertThat(RunFiles.chanceBits(small)).isCloseTo(Math.log(small.loss().negatives() + 1) / Math.log(2), within(1e-9));
        // binary loss with 10 distractors: log2(11) + 10·log2(11/10)
        assertThat(RunFiles.chanceBits(Presets.pretrain("wav2vec1-paper"))).isCloseTo(4.83, within(0.005));
        PretrainConfig clusters = ConfigOverrides.apply(small, List.of("loss.mfccClusters=100", "loss.diversityWeight=0"),
                PretrainConfig.class);
        assertThat(RunFiles.chanceBits(clusters)).isCloseTo(Math.log(100) / Math.log(2), within(1e-9));
    }
}
