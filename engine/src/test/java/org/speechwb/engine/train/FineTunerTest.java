package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.testutil.RepoFiles;

/** CTC fine-tuning end to end on a tiny model and a slice of the bundled corpus. */
class FineTunerTest {

    static List<Utterance> train;
    static List<Utterance> valid;
    static FinetuneConfig tiny;

    @BeforeAll
    static void load() throws Exception {
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        train = TrainingData.select(ds, "train").subList(0, 24);
        valid = TrainingData.select(ds, "valid").subList(0, 6);
        try (InputStream in = FineTunerTest.class.getResourceAsStream("/tiny-finetune.yaml")) {
            tiny = ConfigIO.readFrom(in, FinetuneConfig.class, Path.of("tiny-finetune.yaml"), ConfigIO.yaml());
        }
        PretrainerTest.load();
    }

    static RunFolder newRun(Path dir, Object cfg) throws Exception {
        Provenance p = new Provenance("datasets/harvard-tts", "WORKBENCH_CORPUS", "test", "train", train.size(), 0,
                "test", Provenance.ENGINE_VERSION, "CPU", "test", "17", "test", Provenance.now(), List.of());
        return new RunStore(dir).create("ft", cfg, p);
    }

    @Test
    void fineTunesAPretrainedModelValidatesAndDecodes(@TempDir Path dir) throws Exception {
        RunFolder pre = PretrainerTest.newRun(dir.resolve("pre"), PretrainerTest.tiny);
        assertThat(PretrainerTest.train(pre, new PretrainerTest.Recorder(), 6)).isEqualTo(RunState.FINISHED);

        FinetuneConfig cfg = Presets.forPretrained(tiny, pre.dir());
        assertThat(cfg.pretrained()).isEqualTo(pre.dir().toAbsolutePath().toString());
        RunFolder run = newRun(dir.resolve("ft"), cfg);
        List<TrainingEvent> events = new ArrayList<>();
        assertThat(new FineTuner(run, train, valid, events::add, null).run()).isEqualTo(RunState.FINISHED);

        List<FinetuneMetrics> m = MetricsLogReader.finetune(run);
        assertThat(m).hasSize(12);
        assertThat(m.subList(0, 4)).allMatch(x -> x.stage().equals("head"));
        assertThat(m.subList(4, 12)).allMatch(x -> x.stage().equals("transformer"));
        assertThat(m).allMatch(x -> Double.isFinite(x.loss()) && x.loss() > 0);
        assertThat(events).filteredOn(e -> e instanceof TrainingEvent.Validated).hasSize(2);
        assertThat(Files.exists(run.bestCheckpointFile())).isTrue();
        assertThat(Checkpoint.readMeta(run.bestCheckpointFile()).vocabulary()).contains("|", "A", "<blank>");

        // the feature encoder stayed as pre-trained (frozen); the head moved
        Checkpoint.Loaded p0 = Checkpoint.read(pre.checkpoints().get(pre.checkpoints().size() - 1));
        Checkpoint.Loaded f1 = Checkpoint.read(run.checkpointFile(12));
        int conv = indexOf(p0, "encoder.conv1.w");
        int conv2 = indexOf(f1, "encoder.conv1.w");
        assertThat(f1.params().get(conv2)).isEqualTo(p0.params().get(conv));
        int fc = indexOf(p0, "encoder.layers.0.fc1.w");
        assertThat(f1.params().get(indexOf(f1, "encoder.layers.0.fc1.w"))).isNotEqualTo(p0.params().get(fc));

        Recognizer r = Recognizer.open(run.dir());
        Transcriber.Result res = new Transcriber(r, null, null).transcribe(valid.get(0).audio());
        assertThat(res.greedy().text()).matches("[A-Z' ]*");
    }

    @Test
    void fineTuningMayKeepOnlyTheLowestPreTrainedLayersButNotAddAny(@TempDir Path dir) throws Exception {
        RunFolder pre = PretrainerTest.newRun(dir.resolve("pre"), PretrainerTest.tiny);
        assertThat(PretrainerTest.train(pre, new PretrainerTest.Recorder(), 4)).isEqualTo(RunState.FINISHED);
        FinetuneConfig two = Presets.forPretrained(tiny, pre.dir());
        assertThat(two.wav2vec2().layers()).isEqualTo(2);

        // head only until update 11, so at checkpoint 6 the kept layer must still be the pre-trained one
        FinetuneConfig one = org.speechwb.engine.config.ConfigOverrides.apply(two, List.of("wav2vec2.layers=1",
                "freezeUpdates=11", "run.checkpointInterval=6", "run.keepCheckpoints=4"), FinetuneConfig.class);
        RunFolder run = newRun(dir.resolve("ft"), one);
        assertThat(new FineTuner(run, train, valid, e -> { }, null).run()).isEqualTo(RunState.FINISHED);
        Checkpoint.Loaded p0 = Checkpoint.read(pre.checkpoints().get(pre.checkpoints().size() - 1));
        Checkpoint.Loaded f1 = Checkpoint.read(run.checkpointFile(6));
        assertThat(f1.params().get(indexOf(f1, "encoder.layers.0.fc1.w")))
                .isEqualTo(p0.params().get(indexOf(p0, "encoder.layers.0.fc1.w")));
        assertThat(f1.meta().tensors()).noneMatch(t -> t.name().startsWith("encoder.layers.1."));
        assertThat(Files.readString(run.logFile())).contains("initialised");
        assertThat(new Transcriber(Recognizer.open(run.dir()), null, null).transcribe(valid.get(0).audio()).greedy().text())
                .matches("[A-Z' ]*");

        FinetuneConfig three = org.speechwb.engine.config.ConfigOverrides.apply(two, List.of("wav2vec2.layers=3"),
                FinetuneConfig.class);
        assertThatThrownBy(() -> FineTuner.pretrainedWeights(three))
                .hasMessageContaining("at most its 2 Transformer layers");
    }

    @Test
    void trainsFromScratchAndResumesLikeAnUninterruptedRun(@TempDir Path dir) throws Exception {
        FinetuneConfig scratch = org.speechwb.engine.config.ConfigOverrides.apply(tiny,
                List.of("freezeUpdates=0", "freezeFeatureEncoder=false", "wav2vec2.featureGradMult=1.0"), FinetuneConfig.class);
        RunFolder a = newRun(dir.resolve("a"), scratch);
        assertThat(new FineTuner(a, train, valid, null, null).run()).isEqualTo(RunState.FINISHED);
        RunFolder b = newRun(dir.resolve("b"), scratch);
        assertThat(new FineTuner(b, train, valid, null, 6).run()).isEqualTo(RunState.FINISHED);
        assertThat(new FineTuner(b, train, valid, null, null).run()).isEqualTo(RunState.FINISHED);
        List<FinetuneMetrics> ma = MetricsLogReader.finetune(a);
        List<FinetuneMetrics> mb = MetricsLogReader.finetune(b);
        assertThat(mb).hasSize(12);
        assertThat(ma.stream().allMatch(x -> x.stage().equals("all"))).isTrue();
        for (int i = 0; i < 12; i++) {
            assertThat(mb.get(i).loss()).as("update %d", i + 1).isCloseTo(ma.get(i).loss(), within(1e-3 * ma.get(i).loss()));
        }
    }

    @Test
    void untranscribedValidationUtterancesAreLeftOutAndCountedInsteadOfFailingAtTheFirstValidation(@TempDir Path dir)
            throws Exception {
        FinetuneConfig scratch = org.speechwb.engine.config.ConfigOverrides.apply(tiny,
                List.of("freezeUpdates=0", "freezeFeatureEncoder=false", "wav2vec2.featureGradMult=1.0"),
                FinetuneConfig.class);
        List<Utterance> partly = new ArrayList<>(valid.subList(0, 3));
        valid.subList(3, 6).forEach(u -> partly.add(u.withTranscript(null)));
        RunFolder run = newRun(dir.resolve("p"), scratch);
        List<TrainingEvent> events = new ArrayList<>();
        FineTuner ft = new FineTuner(run, train, partly, events::add, null);
        assertThat(ft.untranscribedValidation()).isEqualTo(3);
        assertThat(ft.run()).isEqualTo(RunState.FINISHED);
        assertThat(events).filteredOn(e -> e instanceof TrainingEvent.Validated).hasSize(2);
        assertThat(Files.readString(run.logFile())).contains("left out 3 utterance(s) without a transcript");
        // the metrics are mirrored as TensorBoard scalars: 12 training updates, 2 validations
        List<org.speechwb.engine.interop.tensorboard.EventFileReader.Scalar> tb = new ArrayList<>();
        try (var files = Files.list(run.tensorboardDir())) {
            for (Path f : files.toList()) {
                tb.addAll(org.speechwb.engine.interop.tensorboard.EventFileReader.read(f).scalars());
            }
        }
        assertThat(tb).filteredOn(s -> s.tag().equals("train/loss")).hasSize(12);
        assertThat(tb).filteredOn(s -> s.tag().equals("valid/wer")).extracting(s -> s.step()).containsExactly(6L, 12L);
    }

    private static int indexOf(Checkpoint.Loaded c, String name) {
        for (int i = 0; i < c.meta().tensors().size(); i++) {
            if (c.meta().tensors().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no tensor " + name);
    }

    /** Reads a run's fine-tuning metrics file. */
    static final class MetricsLogReader {
        static List<FinetuneMetrics> finetune(RunFolder run) throws Exception {
            return org.speechwb.engine.run.MetricsLog.read(run.metricsFile(), FinetuneMetrics.class);
        }
    }
}
