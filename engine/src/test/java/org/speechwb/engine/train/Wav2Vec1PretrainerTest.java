package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v1.FeatureExtractor;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.RunFolder;

/** wav2vec 1.0 / vq-wav2vec in the shared trainer, on a tiny model and a slice of the bundled corpus. */
class Wav2Vec1PretrainerTest {

    static PretrainConfig tiny;

    @BeforeAll
    static void load() throws Exception {
        PretrainerTest.load();
        try (InputStream in = Wav2Vec1PretrainerTest.class.getResourceAsStream("/tiny-wav2vec1.yaml")) {
            tiny = ConfigIO.readFrom(in, PretrainConfig.class, Path.of("tiny-wav2vec1.yaml"), ConfigIO.yaml());
        }
    }

    @Test
    void stopAndResumeGivesTheSameMetricsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        PretrainerTest.Recorder straight = new PretrainerTest.Recorder();
        RunFolder a = PretrainerTest.newRun(dir.resolve("a"), tiny);
        assertThat(PretrainerTest.train(a, straight, null)).isEqualTo(RunState.FINISHED);

        RunFolder b = PretrainerTest.newRun(dir.resolve("b"), tiny);
        PretrainerTest.Recorder first = new PretrainerTest.Recorder();
        first.stopAfter = 10;
        assertThat(PretrainerTest.train(b, first, null)).isEqualTo(RunState.STOPPED);
        PretrainerTest.Recorder second = new PretrainerTest.Recorder();
        assertThat(PretrainerTest.train(b, second, null)).isEqualTo(RunState.FINISHED);
        assertThat(second.events.get(1)).isInstanceOfSatisfying(TrainingEvent.Started.class,
                s -> assertThat(s.resumedFrom()).isEqualTo(10));

        List<UpdateMetrics> expected = straight.updates();
        List<UpdateMetrics> resumed = new ArrayList<>(first.updates());
        resumed.addAll(second.updates());
        assertThat(resumed).hasSize(20);
        for (int i = 0; i < 20; i++) {
            UpdateMetrics e = expected.get(i);
            UpdateMetrics r = resumed.get(i);
            assertThat(r.loss()).as("loss at update %d", i + 1).isCloseTo(e.loss(), within(1e-4 * Math.abs(e.loss())));
            assertThat(r.accuracy()).isCloseTo(e.accuracy(), within(1e-6));
            assertThat(r.gradNorm()).isCloseTo(e.gradNorm(), within(1e-3 * e.gradNorm()));
            assertThat(r.stepAccuracy()).containsExactly(e.stepAccuracy(), within(1e-6));
        }
        assertThat(b.metrics()).extracting(UpdateMetrics::update).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
        // the metrics file keeps the per-step figures
        UpdateMetrics last = b.metrics().get(19);
        assertThat(last.stepAccuracy()).hasSize(4);
        assertThat(last.stepLoss()).hasSize(4);
        assertThat(java.util.Arrays.stream(last.stepLoss()).min().getAsDouble()).isPositive();
        assertThat(Checkpoint.readMeta(b.checkpointFile(20)).family()).isEqualTo("wav2vec1");
        assertThat(b.config()).isEqualTo(tiny);
    }

    @Test
    void perStepAccuracyRisesWellAboveChanceOnTheBundledCorpus(@TempDir Path dir) throws Exception {
        // 10 distractors: chance for "positive above all of them" is 1/11. InfoNCE: in runs this short
        // the binary loss settles on the constant-logit solution first (see docs/engine.md).
        PretrainConfig cfg = ConfigOverrides.apply(tiny, List.of("run.maxUpdates=120", "run.checkpointInterval=120",
                "optimizer.lr=5.0e-3", "wav2vec1.objective=infonce"), PretrainConfig.class);
        PretrainerTest.Recorder rec = new PretrainerTest.Recorder();
        assertThat(PretrainerTest.train(PretrainerTest.newRun(dir, cfg), rec, null)).isEqualTo(RunState.FINISHED);
        List<UpdateMetrics> u = rec.updates();
        double chance = 1.0 / 11;
        double early = u.subList(0, 5).stream().mapToDouble(UpdateMetrics::accuracy).average().orElseThrow();
        double late = u.subList(100, 120).stream().mapToDouble(UpdateMetrics::accuracy).average().orElseThrow();
        assertThat(late).as("mean accuracy over the last 20 updates (first 5: %.3f)", early).isGreaterThan(2 * chance);
        double[] stepOne = u.subList(100, 120).stream().mapToDouble(m -> m.stepAccuracy()[0]).toArray();
        assertThat(java.util.Arrays.stream(stepOne).average().orElseThrow()).as("step 1 accuracy").isGreaterThan(2.5 * chance);
        assertThat(u.get(119).loss()).isLessThan(u.get(0).loss());
    }

    @Test
    void vqWav2VecTrainsWithBothQuantizersAndReportsPerplexity(@TempDir Path dir) throws Exception {
        for (String q : List.of("gumbel", "kmeans")) {
            List<String> set = new ArrayList<>(List.of("family=vq-wav2vec", "wav2vec1.quantizer=" + q, "wav2vec1.vqEntries=16",
                    "run.maxUpdates=10", "run.checkpointInterval=10"));
            if (q.equals("gumbel")) {
                set.add("quantizer.startTemperature=2.0");
            } else {
                set.add("loss.diversityWeight=1.0");
            }
            PretrainConfig cfg = q.equals("gumbel") ? withGumbelSchedule(set) : ConfigOverrides.apply(tiny, set, PretrainConfig.class);
            PretrainerTest.Recorder rec = new PretrainerTest.Recorder();
            RunFolder run = PretrainerTest.newRun(dir.resolve(q), cfg);
            assertThat(PretrainerTest.train(run, rec, null)).as(q).isEqualTo(RunState.FINISHED);
            UpdateMetrics last = rec.updates().get(5);
            assertThat(last.codePerplexity()).as(q + " code perplexity").isBetween(1.0, 32.0);
            assertThat(last.quantizerLoss()).as(q + " quantizer loss").isPositive();
            assertThat(run.codebookUsage()).isNotEmpty();
        }
    }

    @Test
    void theSmallVqPresetLearnsThroughItsGumbelQuantizer(@TempDir Path dir) throws Exception {
        // the shipped vq-wav2vec-small-cpu preset, shortened, on the trainer tests' 40 utterances:
        // the context network must predict future quantized features better than chance (1/11)
        // while the codes stay spread over more than a handful of the 2 x 64 entries
        PretrainConfig cfg = ConfigOverrides.apply(Presets.pretrain("vq-wav2vec-small-cpu"), List.of(
                "run.maxUpdates=" + VQ_UPDATES, "run.checkpointInterval=" + VQ_UPDATES), PretrainConfig.class);
        PretrainerTest.Recorder rec = new PretrainerTest.Recorder();
        assertThat(PretrainerTest.train(PretrainerTest.newRun(dir, cfg), rec, null)).isEqualTo(RunState.FINISHED);
        List<UpdateMetrics> u = rec.updates();
        double chance = 1.0 / 11;
        List<UpdateMetrics> last = u.subList(VQ_UPDATES - 20, VQ_UPDATES);
        double early = u.subList(0, 20).stream().mapToDouble(UpdateMetrics::accuracy).average().orElseThrow();
        double late = last.stream().mapToDouble(UpdateMetrics::accuracy).average().orElseThrow();
        double ppl = last.stream().mapToDouble(UpdateMetrics::codePerplexity).average().orElseThrow();
        assertThat(early).as("mean accuracy over the first 20 updates").isLessThan(1.3 * chance);
        assertThat(late).as("mean accuracy over the last 20 updates").isGreaterThan(1.6 * chance);
        assertThat(ppl).as("code perplexity over the last 20 updates").isGreaterThan(8.0);
    }

    static final int VQ_UPDATES = Integer.getInteger("vq.updates", 300);

    private static PretrainConfig withGumbelSchedule(List<String> set) throws Exception {
        String yaml = ConfigIO.toYaml(tiny).replace("loss:", "quantizer: {startTemperature: 2.0, endTemperature: 0.5, decay: 0.99}\nloss:");
        PretrainConfig base = ConfigIO.readFrom(new java.io.ByteArrayInputStream(
                yaml.replace("family: wav2vec1", "family: vq-wav2vec").replace("quantizer: none", "quantizer: gumbel")
                        .getBytes(StandardCharsets.UTF_8)), PretrainConfig.class, Path.of("t.yaml"), ConfigIO.yaml());
        return ConfigOverrides.apply(base, set.stream().filter(s -> !s.startsWith("quantizer.")).toList(), PretrainConfig.class);
    }

    @Test
    void presetsLoadWithTheReferenceGeometryAndSectionsAreValidatedPerFamily(@TempDir Path dir) throws Exception {
        PretrainConfig paper = Presets.pretrain("wav2vec1-paper");
        assertThat(paper.wav2vec1()).isEqualTo(Wav2Vec1Config.paper());
        assertThat(paper.wav2vec2()).isNull();
        assertThat(Presets.pretrain("wav2vec1-large").wav2vec1()).isEqualTo(Wav2Vec1Config.large());
        for (String[] p : Presets.PRETRAIN_WAV2VEC1) {
            PretrainConfig c = Presets.pretrain(p[0]);
            Path f = dir.resolve(p[0] + ".yaml");
            ConfigIO.write(f, c);
            assertThat(ConfigIO.read(f, PretrainConfig.class)).as(p[0]).isEqualTo(c);
            assertThat(Files.readString(f)).doesNotContain("wav2vec2:").doesNotContain("masking:");
        }
        assertThat(Presets.pretrain("vq-wav2vec-gumbel").wav2vec1().quantizer()).isEqualTo("gumbel");
        // a wav2vec 2.0 section in a wav2vec1 config is an error, not silently ignored
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, ConfigIO.toYaml(paper) + "masking: {maskProb: 0.65, maskLength: 10, minMasks: 2, requireSameMasks: true}\n");
        assertThatThrownBy(() -> ConfigIO.read(bad, PretrainConfig.class)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("do not apply to family wav2vec1");
        assertThatThrownBy(() -> ConfigOverrides.apply(paper, List.of("wav2vec1.quantizer=kmeans"), PretrainConfig.class))
                .hasMessageContaining("makes this family vq-wav2vec");
        assertThatThrownBy(() -> ConfigOverrides.apply(paper, List.of("wav2vec1.activation=tanh"), PretrainConfig.class))
                .hasMessageContaining("activation must be relu or gelu");
        Files.writeString(bad, ConfigIO.toYaml(paper).replace("predictionSteps", "predictionStep"));
        assertThatThrownBy(() -> ConfigIO.read(bad, PretrainConfig.class)).hasMessageContaining("wav2vec1.predictionStep");
    }

    @Test
    void featureExtractionWritesOneNpyPerUtteranceWithTheModelsFrames(@TempDir Path dir) throws Exception {
        RunFolder run = PretrainerTest.newRun(dir.resolve("run"), tiny);
        assertThat(PretrainerTest.train(run, new PretrainerTest.Recorder(), 2)).isEqualTo(RunState.FINISHED);
        List<Utterance> utts = PretrainerTest.train.subList(0, 3);
        FeatureExtractor fx = FeatureExtractor.load(run.dir());
        Path out = dir.resolve("features");
        FeatureExtractor.Kind kind = FeatureExtractor.Kind.CONTEXT;
        assertThat(fx.extract(utts, out, kind, (done, total, u, frames) -> { })).isEqualTo(3);

        List<String> index = Files.readAllLines(out.resolve("index.tsv"));
        assertThat(index).hasSize(4);
        int dim = tiny.wav2vec1().contextChannels();
        for (int i = 0; i < 3; i++) {
            String[] row = index.get(i + 1).split("\t");
            assertThat(row[0]).isEqualTo(utts.get(i).id());
            long samples = AudioReader.read16k(utts.get(i).audio()).samples().length;
            long frames = tiny.wav2vec1().framesFor(samples);
            assertThat(Long.parseLong(row[2])).isEqualTo(frames);
            assertThat(Integer.parseInt(row[3])).isEqualTo(dim);
            byte[] npy = Files.readAllBytes(out.resolve(row[1]));
            assertThat(new String(npy, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
            int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
            String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
            assertThat((10 + headerLength) % 64).as("numpy aligns the data to 64 bytes").isZero();
            assertThat(header).contains("'descr': '<f4'").contains("'shape': (" + frames + ", " + dim + ")");
            assertThat(npy.length).isEqualTo(10 + headerLength + frames * dim * 4);
        }
        // the same checkpoint and audio give the same bytes: evaluation mode has no randomness
        Path again = dir.resolve("again");
        fx.extract(utts.subList(0, 1), again, kind, (done, total, u, frames) -> { });
        String first = index.get(1).split("\t")[1];
        assertThat(Files.readAllBytes(again.resolve(first))).isEqualTo(Files.readAllBytes(out.resolve(first)));

        RunFolder w2v2 = PretrainerTest.newRun(dir.resolve("w2v2"), PretrainerTest.tiny);
        assertThat(PretrainerTest.train(w2v2, new PretrainerTest.Recorder(), 1)).isEqualTo(RunState.FINISHED);
        assertThatThrownBy(() -> FeatureExtractor.load(w2v2.dir()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a wav2vec1 or vq-wav2vec checkpoint");
    }
}
