package org.speechwb.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

class PretrainConfigTest {

    @Test
    void presetsLoadAndMatchTheReference() throws Exception {
        PretrainConfig base = Presets.pretrain("wav2vec2-base");
        assertThat(base.wav2vec2()).isEqualTo(Wav2Vec2Config.base());
        assertThat(base.wav2vec2().framesFor(16_000)).isEqualTo(49);
        assertThat(base.wav2vec2().receptiveFieldSamples()).isEqualTo(400);
        assertThat(base.wav2vec2().hopSamples()).isEqualTo(320);
        assertThat(Presets.pretrain("wav2vec2-large").wav2vec2()).isEqualTo(Wav2Vec2Config.large());
        assertThat(Presets.pretrain("wav2vec2-small-cpu").run().maxUpdates()).isPositive();
    }

    @Test
    void yamlAndJsonRoundTrip(@TempDir Path dir) throws Exception {
        PretrainConfig base = Presets.pretrain("wav2vec2-base");
        for (String name : List.of("c.yaml", "c.json")) {
            Path f = dir.resolve(name);
            ConfigIO.write(f, base);
            assertThat(ConfigIO.read(f, PretrainConfig.class)).isEqualTo(base);
        }
    }

    /** A file written before {@code line} existed (the line left out) reads as {@code config}. */
    private static void readsTheSameWithout(Path dir, PretrainConfig config, String line) throws Exception {
        String yaml = ConfigIO.toYaml(config);
        assertThat(yaml).contains(line);
        Path old = dir.resolve("old.yaml");
        Files.writeString(old, yaml.replace("\n" + " ".repeat(2) + line, ""));
        assertThat(Files.readString(old)).doesNotContain(line.substring(0, line.indexOf(':')));
        assertThat(ConfigIO.read(old, PretrainConfig.class)).isEqualTo(config);
    }

    @Test
    void levelMatchedDistractorsAreOptInAndFilesWrittenBeforeThemStillRead(@TempDir Path dir) throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        assertThat(small.loss().levelPool()).isZero();
        readsTheSameWithout(dir, small, "levelPool: 0");
        PretrainConfig matched = ConfigOverrides.apply(small, List.of("loss.levelPool=40"), PretrainConfig.class);
        assertThat(matched.loss().levelPool()).isEqualTo(40);
        assertThat(matched.loss().levelMatched()).isTrue();
        assertThatThrownBy(() -> ConfigOverrides.apply(small, List.of("loss.levelPool=1"), PretrainConfig.class))
                .hasMessageContaining("loss.levelPool");
        assertThat(matched.warnings()).noneMatch(w -> w.contains("levelPool"));
        assertThat(ConfigOverrides.apply(small, List.of("loss.levelPool=8"), PretrainConfig.class).warnings())
                .anyMatch(w -> w.contains("loss.levelPool 8 is below loss.negatives 20"));
        assertThatThrownBy(() -> ConfigOverrides.apply(Presets.pretrain("wav2vec1-small-cpu"), List.of("loss.levelPool=40"),
                PretrainConfig.class)).hasMessageContaining("loss.levelPool picks wav2vec 2.0's distractors");
    }

    @Test
    void mfccClusterTargetsAreOptInAndReplaceTheQuantizersTerms(@TempDir Path dir) throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        assertThat(small.loss().mfccClusters()).isZero();
        assertThat(small.loss().clusterTargets()).isFalse();
        readsTheSameWithout(dir, small, "mfccClusters: 0");
        PretrainConfig hubert = ConfigOverrides.apply(small, List.of("loss.mfccClusters=100", "loss.diversityWeight=0"),
                PretrainConfig.class);
        assertThat(hubert.loss().clusterTargets()).isTrue();
        assertThat(hubert.loss().mfccClusters()).isEqualTo(100);
        assertThatThrownBy(() -> ConfigOverrides.apply(small, List.of("loss.mfccClusters=100"), PretrainConfig.class))
                .hasMessageContaining("loss.diversityWeight weighs the quantizer's diversity term");
        assertThatThrownBy(() -> ConfigOverrides.apply(hubert, List.of("loss.levelPool=40"), PretrainConfig.class))
                .hasMessageContaining("loss.levelPool picks distractors, which MFCC cluster targets");
        for (String bad : List.of("1", "-2", "2001")) {
            assertThatThrownBy(() -> ConfigOverrides.apply(hubert, List.of("loss.mfccClusters=" + bad), PretrainConfig.class))
                    .hasMessageContaining("loss.mfccClusters must be 0");
        }
        // distractors take no part, so their count is no longer checked against the masked frames
        PretrainConfig many = ConfigOverrides.apply(hubert, List.of("loss.negatives=5000"), PretrainConfig.class);
        assertThat(many.warnings()).noneMatch(w -> w.contains("negatives"));
        assertThatThrownBy(() -> ConfigOverrides.apply(Presets.pretrain("wav2vec1-small-cpu"), List.of("loss.mfccClusters=100"),
                PretrainConfig.class)).hasMessageContaining("loss.mfccClusters (HuBERT-style targets) applies to wav2vec 2.0");
    }

    @Test
    void mfccCmvnIsOptInAndOnlyForClusterTargets(@TempDir Path dir) throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        PretrainConfig hubert = ConfigOverrides.apply(small, List.of("loss.mfccClusters=100", "loss.diversityWeight=0"),
                PretrainConfig.class);
        assertThat(hubert.loss().mfccCmvn()).isFalse();
        // configs written before the option read as raw MFCCs
        readsTheSameWithout(dir, hubert, "mfccCmvn: false");
        assertThat(ConfigOverrides.apply(hubert, List.of("loss.mfccCmvn=true"), PretrainConfig.class).loss().mfccCmvn())
                .isTrue();
        assertThatThrownBy(() -> ConfigOverrides.apply(small, List.of("loss.mfccCmvn=true"), PretrainConfig.class))
                .hasMessageContaining("loss.mfccCmvn normalises the MFCCs of cluster targets; it needs loss.mfccClusters");
    }

    @Test
    void gainJitterIsOptInForWav2Vec2PretrainingOnly(@TempDir Path dir) throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        assertThat(small.data().gainJitterDb()).isZero();
        readsTheSameWithout(dir, small, "gainJitterDb: 0.0");
        PretrainConfig jittered = ConfigOverrides.apply(small, List.of("data.gainJitterDb=10"), PretrainConfig.class);
        assertThat(jittered.data().gainJittered()).isTrue();
        assertThat(jittered.data().withNormalize(true, null).gainJitterDb()).isEqualTo(10);
        assertThatThrownBy(() -> ConfigOverrides.apply(small, List.of("data.gainJitterDb=-3"), PretrainConfig.class))
                .hasMessageContaining("data.gainJitterDb must be between 0 (off) and 30 dB");
        assertThatThrownBy(() -> ConfigOverrides.apply(Presets.pretrain("wav2vec1-small-cpu"),
                List.of("data.gainJitterDb=10"), PretrainConfig.class))
                .hasMessageContaining("data.gainJitterDb is applied by wav2vec 2.0 pre-training only");
        assertThatThrownBy(() -> ConfigOverrides.apply(Presets.finetune("ctc-small-cpu"), List.of("data.gainJitterDb=10"),
                FinetuneConfig.class)).hasMessageContaining("pre-training crops only");
    }

    @Test
    void spanLongerThanTheShortestCropIsRejected() throws Exception {
        PretrainConfig base = Presets.pretrain("wav2vec2-small-cpu");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("masking.maskLength=60"), PretrainConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mask span of 60 frames")
                .hasMessageContaining("shortest crop");
    }

    @Test
    void moreNegativesThanMaskedFramesIsRejected() throws Exception {
        PretrainConfig base = Presets.pretrain("wav2vec2-small-cpu");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("loss.negatives=200"), PretrainConfig.class))
                .hasMessageContaining("200 negatives cannot be drawn")
                .hasMessageContaining("longest crop");
    }

    @Test
    void theReferenceRecipeRepeatsDistractorsOnItsShortestCrops() throws Exception {
        // fairseq BASE: 100 negatives, 2 s minimum crop = 99 frames with about 49 masked. Legal
        // (drawn with replacement) but worth telling the user.
        assertThat(Presets.pretrain("wav2vec2-base").warnings()).anyMatch(w -> w.contains("fewer than 100 negatives"));
        assertThat(Presets.pretrain("wav2vec2-small-cpu").warnings()).isEmpty();
    }

    @Test
    void temperatureEndingAboveItsStartIsRejected() throws Exception {
        PretrainConfig base = Presets.pretrain("wav2vec2-small-cpu");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("quantizer.endTemperature=3"), PretrainConfig.class))
                .hasMessageContaining("ends at 3.0, above its start 2.0");
    }

    @Test
    void unknownFieldsAndBadFilesNameTheProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, ConfigIO.toYaml(Presets.pretrain("wav2vec2-base")).replace("maskProb", "maskProbability"));
        assertThatThrownBy(() -> ConfigIO.read(f, PretrainConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("missing field masking.maskProb");
        Files.writeString(f, ConfigIO.toYaml(Presets.pretrain("wav2vec2-base")).replace("family: wav2vec2",
                "family: wav2vec2\nlearningRate: 3"));
        assertThatThrownBy(() -> ConfigIO.read(f, PretrainConfig.class)).hasMessageContaining("unknown field learningRate");
        Files.writeString(f, "wav2vec2: 'unclosed quote");
        assertThatThrownBy(() -> ConfigIO.read(f, PretrainConfig.class)).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigOverrides.apply(Presets.pretrain("wav2vec2-base"), List.of("nosuch.field=1"),
                PretrainConfig.class)).hasMessageContaining("no section 'nosuch'");
    }

    @Test
    void modelShapesAreValidated() {
        assertThatThrownBy(() -> new Wav2Vec2Config(Wav2Vec2Config.referenceEncoder(64), null, false, 100, 64, 2, 3,
                false, 0, 0, 0, 0, 0, 0, 128, 16, 1, 64, 2, 8, 0.1))
                .hasMessageContaining("modelDim 100 is not divisible by heads 3");
    }
}
