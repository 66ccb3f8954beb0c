package org.speechwb.engine.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.cli.SpeechWbCli;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.inspect.Inspector;
import org.speechwb.engine.testutil.RepoFiles;

import picocli.CommandLine;

/** The representations a probe reads, the quantizer's codes among them, from real checkpoints of the bundled sample. */
class Wav2Vec2LayersTest {

    @TempDir
    static Path tmp;

    private static Path pretrained;
    private static Path finetuned;
    private static float[] speech;

    @BeforeAll
    static void trainTinyModels() throws Exception {
        Path data = RepoFiles.root().resolve("datasets/speechocean762-sample");
        Path runs = tmp.resolve("runs");
        cli("pretrain", "--data", data.toString(), "--split", "all", "--runs", runs.toString(), "--name", "pre",
                "--set", "run.maxUpdates=2", "--set", "optimizer.warmupUpdates=1");
        pretrained = only(runs);
        Path ftRuns = tmp.resolve("ft");
        cli("finetune", "--pretrained", pretrained.toString(), "--data", data.toString(), "--train-split", "all",
                "--valid-split", "none", "--runs", ftRuns.toString(), "--name", "ft", "--set", "run.maxUpdates=2",
                "--set", "freezeUpdates=0", "--set", "optimizer.warmupUpdates=1", "--set", "optimizer.holdUpdates=0");
        finetuned = only(ftRuns);
        speech = AudioReader.read16k(DatasetLoader.open(data).utterances().get(0).audio()).samples();
    }

    private static void cli(String... args) {
        String previous = System.getProperty("speechwb.home");
        System.setProperty("speechwb.home", RepoFiles.root().toString());
        try {
            assertThat(new CommandLine(new SpeechWbCli()).execute(args)).as(String.join(" ", args)).isZero();
        } finally {
            if (previous == null) {
                System.clearProperty("speechwb.home");
            } else {
                System.setProperty("speechwb.home", previous);
            }
        }
    }

    private static Path only(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void aPreTrainingCheckpointsCodesAreTheInspectorsCodesOneHotPerGroup() throws Exception {
        Wav2Vec2Layers layers = Wav2Vec2Layers.load(pretrained);
        Inspector inspector = Inspector.open(pretrained);
        int groups = inspector.model().codebookGroups();
        int entries = inspector.model().codebookEntries();
        List<String> names = layers.layerNames();
        assertThat(names).endsWith(Wav2Vec2Layers.CODES).startsWith("features", "transformer input");
        int codes = layers.representationIndex("codes");
        assertThat(codes).isEqualTo(names.size() - 1);
        assertThat(layers.frontEnd(codes).dimension()).isEqualTo(groups * entries);

        float[][] oneHot = layers.compute(speech).get(codes);
        int[][] expected = inspector.inspect("u", speech, 0).codes();
        assertThat(oneHot).hasNumberOfRows(expected.length).hasNumberOfRows(layers.framesFor(speech.length));
        for (int t = 0; t < oneHot.length; t++) {
            for (int g = 0; g < groups; g++) {
                for (int v = 0; v < entries; v++) {
                    assertThat(oneHot[t][g * entries + v]).as("frame %d group %d entry %d", t, g, v)
                            .isEqualTo(v == expected[t][g] ? 1f : 0f);
                }
            }
        }
        // asking for some representations gives the same arrays as computing them all
        List<float[][]> some = layers.compute(speech, List.of(codes, 0));
        assertThat(some.get(0)).isDeepEqualTo(oneHot);
        assertThat(some.get(1)).isDeepEqualTo(layers.compute(speech).get(0));
        assertThat(layers.frontEnd(codes).compute(speech)).isDeepEqualTo(oneHot);
    }

    @Test
    void theRandomBaselineHasCodesOfItsOwnAndTooShortAudioHasNone() throws Exception {
        Wav2Vec2Layers trained = Wav2Vec2Layers.load(pretrained);
        Wav2Vec2Layers random = Wav2Vec2Layers.randomLike(pretrained, 7);
        int codes = random.representationIndex("codes");
        assertThat(random.layerNames()).isEqualTo(trained.layerNames());
        assertThat(random.frontEnd(codes).name()).contains("quantizer codes").contains("random initialisation");
        assertThat(java.util.Arrays.deepEquals(random.compute(speech).get(codes), trained.compute(speech).get(codes)))
                .as("a random quantizer picks other codes").isFalse();

        // 3 frames: too short to draw a mask, so no code, but still one row per frame
        float[] blip = java.util.Arrays.copyOf(speech, 400 + 2 * trained.hopSamples());
        float[][] none = trained.compute(blip).get(codes);
        assertThat(none).hasNumberOfRows(trained.framesFor(blip.length)).hasNumberOfRows(3);
        for (float[] row : none) {
            assertThat(row).containsOnly(0f);
        }
    }

    @Test
    void aFineTuningCheckpointHasNoQuantizerSoNoCodes() throws Exception {
        Wav2Vec2Layers layers = Wav2Vec2Layers.load(finetuned);
        assertThat(layers.layerNames()).doesNotContain(Wav2Vec2Layers.CODES).endsWith("layer 4");
        assertThat(layers.compute(speech)).hasSize(layers.layerNames().size());
        assertThat(layers.representationIndex("last")).isEqualTo(layers.layerNames().size() - 1);
        assertThatThrownBy(() -> layers.representationIndex("codes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no quantizer").hasMessageContaining("fine-tuning");
        assertThatThrownBy(() -> layers.representationIndex("7")).hasMessageContaining("layer 7: expected features");
    }
}
