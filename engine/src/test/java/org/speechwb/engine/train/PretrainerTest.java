package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.FolderLock;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.testutil.RepoFiles;

/** The trainer on a tiny model and a slice of the bundled corpus. */
class PretrainerTest {

    static List<Utterance> train;
    static PretrainConfig tiny;

    @BeforeAll
    static void load() throws Exception {
        if (tiny != null) {
            return;
        }
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        train = TrainingData.select(ds, "train").subList(0, 40);
        try (InputStream in = PretrainerTest.class.getResourceAsStream("/tiny-pretrain.yaml")) {
            tiny = ConfigIO.readFrom(in, PretrainConfig.class, Path.of("tiny-pretrain.yaml"), ConfigIO.yaml());
        }
    }

    static RunFolder newRun(Path dir, PretrainConfig cfg) throws IOException {
        Provenance p = new Provenance("datasets/harvard-tts", "WORKBENCH_CORPUS", "test", "train", train.size(), 0,
                "test", Provenance.ENGINE_VERSION, "CPU", "test", "17", "test", Provenance.now(), List.of());
        return new RunStore(dir).create("tiny", cfg, p);
    }

    /** Collects events; optionally requests a stop after a given update. */
    static class Recorder implements TrainingListener {
        final List<TrainingEvent> events = new ArrayList<>();
        Pretrainer trainer;
        int stopAfter = -1;

        @Override
        public void onEvent(TrainingEvent e) {
            events.add(e);
            if (e instanceof TrainingEvent.Updated u && u.metrics().update() == stopAfter) {
                trainer.requestStop();
            }
        }

        List<UpdateMetrics> updates() {
            return events.stream().filter(e -> e instanceof TrainingEvent.Updated).map(e -> ((TrainingEvent.Updated) e).metrics())
                    .toList();
        }
    }

    static RunState train(RunFolder run, Recorder rec, Integer maxUpdates) {
        Pretrainer t = new Pretrainer(run, train, rec, maxUpdates);
        rec.trainer = t;
        return t.run();
    }

    @Test
    void stopAndResumeGivesTheSameMetricsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Recorder straight = new Recorder();
        RunFolder a = newRun(dir.resolve("a"), tiny);
        assertThat(train(a, straight, null)).isEqualTo(RunState.FINISHED);

        RunFolder b = newRun(dir.resolve("b"), tiny);
        Recorder first = new Recorder();
        first.stopAfter = 10;
        assertThat(train(b, first, null)).isEqualTo(RunState.STOPPED);
        assertThat(first.updates()).hasSize(10);
        assertThat(Files.exists(b.checkpointFile(10))).isTrue();
        Recorder second = new Recorder();
        assertThat(train(b, second, null)).isEqualTo(RunState.FINISHED);
        assertThat(second.events.get(1)).isInstanceOfSatisfying(TrainingEvent.Started.class,
                s -> assertThat(s.resumedFrom()).isEqualTo(10));

        List<UpdateMetrics> expected = straight.updates();
        List<UpdateMetrics> resumed = new ArrayList<>(first.updates());
        resumed.addAll(second.updates());
        assertThat(resumed).hasSize(20);
        for (int i = 0; i < 20; i++) {
            UpdateMetrics e = expected.get(i);
            UpdateMetrics r = resumed.get(i);
            assertThat(r.update()).isEqualTo(e.update());
            assertThat(r.loss()).as("loss at update %d", i + 1).isCloseTo(e.loss(), within(1e-4 * Math.abs(e.loss())));
            assertThat(r.accuracy()).isCloseTo(e.accuracy(), within(1e-6));
            assertThat(r.gradNorm()).isCloseTo(e.gradNorm(), within(1e-3 * e.gradNorm()));
            assertThat(r.codePerplexity()).isCloseTo(e.codePerplexity(), within(1e-3));
        }
        // the metrics file of the resumed run holds each update exactly once
        assertThat(b.metrics()).extracting(UpdateMetrics::update).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void pauseHoldsTheRunBetweenUpdates(@TempDir Path dir) throws Exception {
        RunFolder run = newRun(dir, tiny);
        List<Integer> updatesWhilePaused = new ArrayList<>();
        Recorder rec = new Recorder() {
            boolean paused;

            @Override
            public void onEvent(TrainingEvent e) {
                super.onEvent(e);
                if (e instanceof TrainingEvent.Updated u) {
                    if (paused) {
                        updatesWhilePaused.add(u.metrics().update());
                    }
                    if (u.metrics().update() == 3) {
                        trainer.requestPause();
                        paused = true;
                        new Thread(() -> {
                            try {
                                Thread.sleep(300);
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                            paused = false;
                            trainer.requestResume();
                        }).start();
                    }
                }
            }
        };
        assertThat(train(run, rec, 6)).isEqualTo(RunState.FINISHED);
        assertThat(updatesWhilePaused).isEmpty();
        assertThat(rec.events).anyMatch(e -> e instanceof TrainingEvent.StateChanged s && s.state() == RunState.PAUSED);
    }

    @Test
    void corruptCheckpointGivesAClearError(@TempDir Path dir) throws Exception {
        RunFolder run = newRun(dir, tiny);
        assertThat(train(run, new Recorder(), 10)).isEqualTo(RunState.FINISHED);
        Path ckpt = run.checkpointFile(10);
        Checkpoint.read(ckpt); // intact
        try (RandomAccessFile f = new RandomAccessFile(ckpt.toFile(), "rw")) {
            f.seek(f.length() / 3);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoint.read(ckpt))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(ckpt.toString())
                .hasMessageContaining("corrupt");
        Files.writeString(ckpt, "not a checkpoint");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Checkpoint.read(ckpt))
                .hasMessageContaining(ckpt.toString());
        // resuming a run whose only checkpoint is damaged fails with that message
        Recorder rec = new Recorder();
        assertThat(train(run, rec, 12)).isEqualTo(RunState.FAILED);
        assertThat(rec.events).anyMatch(e -> e instanceof TrainingEvent.StateChanged s && s.message().contains(ckpt.toString()));
    }

    /** A second trainer on a run folder another job trains is refused and writes nothing there. */
    @Test
    void aRunAnotherJobTrainsIsRefusedAndLeftUntouched(@TempDir Path dir) throws Exception {
        RunFolder run = newRun(dir, tiny);
        assertThat(train(run, new Recorder(), 2)).isEqualTo(RunState.FINISHED);
        byte[] status = Files.readAllBytes(run.statusFile());
        byte[] log = Files.readAllBytes(run.logFile());
        try (FolderLock other = FolderLock.acquire(run.dir(), "a training of run " + run.id())) {
            Recorder rec = new Recorder();
            assertThat(train(run, rec, 4)).isEqualTo(RunState.FAILED);
            assertThat(rec.events).anyMatch(e -> e instanceof TrainingEvent.StateChanged s
                    && s.state() == RunState.FAILED && s.message().contains(run.dir() + " is in use"));
            assertThat(rec.updates()).isEmpty();
            assertThat(Files.readAllBytes(run.statusFile())).isEqualTo(status);
            assertThat(Files.readAllBytes(run.logFile())).isEqualTo(log);
        }
        // once the other job ends the run goes on, holding the folder while it trains
        boolean[] heldWhileTraining = {false};
        Recorder watch = new Recorder() {
            @Override
            public void onEvent(TrainingEvent e) {
                super.onEvent(e);
                if (e instanceof TrainingEvent.Updated) {
                    heldWhileTraining[0] = run.isTraining();
                }
            }
        };
        assertThat(train(run, watch, 4)).isEqualTo(RunState.FINISHED);
        assertThat(heldWhileTraining[0]).isTrue();
        assertThat(run.isTraining()).isFalse();
    }

    @Test
    void nonFiniteUpdatesAreSkippedThenTheRunStops(@TempDir Path dir) throws Exception {
        PretrainConfig exploding = ConfigOverrides.apply(tiny, List.of("optimizer.lr=1.0e30", "optimizer.clipNorm=0",
                "optimizer.warmupUpdates=0"), PretrainConfig.class);
        RunFolder run = newRun(dir, exploding);
        Recorder rec = new Recorder();
        assertThat(train(run, rec, 20)).isEqualTo(RunState.FAILED);
        assertThat(rec.events).filteredOn(e -> e instanceof TrainingEvent.Warning w
                && w.kind() == TrainingEvent.Warning.Kind.NON_FINITE).hasSize(3);
        assertThat(rec.updates()).anyMatch(UpdateMetrics::skipped);
        assertThat(run.status().orElseThrow().message()).contains("consecutive updates had a non-finite");
    }

    /**
     * Trains {@code updates} updates of the tiny config as it is, then twice with {@code override}:
     * the metrics of the three runs, in that order.
     */
    private static List<List<UpdateMetrics>> plainThenTwiceWith(Path dir, String override, int updates) throws Exception {
        PretrainConfig changed = ConfigOverrides.apply(tiny, List.of(override), PretrainConfig.class);
        List<List<UpdateMetrics>> out = new ArrayList<>();
        for (PretrainConfig cfg : List.of(tiny, changed, changed)) {
            Recorder rec = new Recorder();
            assertThat(train(newRun(dir.resolve("run" + out.size()), cfg), rec, updates)).isEqualTo(RunState.FINISHED);
            out.add(rec.updates());
        }
        for (int i = 0; i < updates; i++) {
            assertThat(out.get(2).get(i).loss()).as("the same config trains the same").isEqualTo(out.get(1).get(i).loss());
        }
        return out;
    }

    @Test
    void levelMatchedDistractorsChangeTheTaskAndTrainDeterministically(@TempDir Path dir) throws Exception {
        List<List<UpdateMetrics>> runs = plainThenTwiceWith(dir, "loss.levelPool=4", 3);
        // same weights, masks and audio at update 1: only the distractors differ
        assertThat(runs.get(1).get(0).contrastive()).isNotCloseTo(runs.get(0).get(0).contrastive(), within(1e-4));
    }

    @Test
    void gainJitterChangesWhatTheModelHearsAndTrainsDeterministically(@TempDir Path dir) throws Exception {
        List<List<UpdateMetrics>> runs = plainThenTwiceWith(dir, "data.gainJitterDb=12", 2);
        // same weights, masks and distractors at update 1: only the audio's loudness differs
        assertThat(runs.get(1).get(0).penalty()).isNotCloseTo(runs.get(0).get(0).penalty(), within(1e-6));
        assertThat(runs.get(1).get(0).maskedFraction()).isEqualTo(runs.get(0).get(0).maskedFraction());
    }

    /**
     * HuBERT-style targets: the clusters are fitted before update 1 and saved with the weights, so
     * a run stopped and resumed predicts the same clusters and trains the same; the Inspector
     * shows each frame's cluster as its code.
     */
    @Test
    void mfccClusterTargetsTrainResumeAndInspectWithTheClustersFittedAtTheStart(@TempDir Path dir) throws Exception {
        PretrainConfig hubert = ConfigOverrides.apply(tiny, List.of("loss.mfccClusters=8", "loss.diversityWeight=0"),
                PretrainConfig.class);
        Recorder straight = new Recorder();
        RunFolder a = newRun(dir.resolve("a"), hubert);
        assertThat(train(a, straight, 12)).isEqualTo(RunState.FINISHED);
        RunFolder b = newRun(dir.resolve("b"), hubert);
        Recorder first = new Recorder();
        first.stopAfter = 6;
        assertThat(train(b, first, 12)).isEqualTo(RunState.STOPPED);
        Recorder second = new Recorder();
        assertThat(train(b, second, 12)).isEqualTo(RunState.FINISHED);
        List<UpdateMetrics> resumed = new ArrayList<>(first.updates());
        resumed.addAll(second.updates());
        for (int i = 0; i < 12; i++) {
            UpdateMetrics e = straight.updates().get(i);
            assertThat(resumed.get(i).loss()).as("loss at update %d", i + 1).isCloseTo(e.loss(), within(1e-4 * e.loss()));
            // 8 clusters scored alike: 3 bits
            assertThat(e.contrastive()).isBetween(0.5, 6.0);
            assertThat(e.diversity()).isZero();
            assertThat(e.codePerplexity()).as("clusters among the masked frames").isBetween(1.0, 8.0);
        }
        assertThat(Files.readString(a.logFile())).contains("fitted 8 MFCC clusters");
        assertThat(Files.readString(b.logFile())).containsOnlyOnce("fitted 8 MFCC clusters");
        assertThat(a.codebookUsage()).isEmpty();

        org.speechwb.engine.inspect.Inspector inspector = org.speechwb.engine.inspect.Inspector.open(a.dir());
        float[] audio = org.speechwb.engine.audio.AudioReader.read16k(train.get(0).audio()).samples();
        int[][] codes = inspector.codes(audio);
        org.speechwb.engine.model.w2v2.MfccClusters clusters = readClusters(a.checkpointFile(12));
        int[] labels = clusters.label(audio, codes.length);
        for (int t = 0; t < codes.length; t++) {
            assertThat(codes[t]).containsExactly(labels[t]);
        }
        assertThat(java.util.Arrays.stream(labels).distinct().count()).as("clusters in one utterance").isGreaterThan(2);
        // the random-weights twin a probe compares with predicts the same, fitted clusters
        assertThat(inspector.withRandomWeights(3).codes(audio)).isDeepEqualTo(codes);
        assertThat(readClusters(b.checkpointFile(12)).centroids()).isDeepEqualTo(clusters.centroids());
        // the optimiser leaves them alone (the tiny recipe decays every parameter)
        assertThat(hubert.optimizer().decayAllParams()).isTrue();
        assertThat(readClusters(b.checkpointFile(6)).centroids()).isDeepEqualTo(clusters.centroids());
        // the wav2vec 2.0 formats cannot hold it: export says so and how to get the model out
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.speechwb.engine.interop.handoff.FairseqCheckpointWriter
                .export(a.dir(), dir.resolve("x.pt"))).hasMessageContaining("MFCC cluster targets")
                .hasMessageContaining("export the fine-tuned model");
    }

    private static org.speechwb.engine.model.w2v2.MfccClusters readClusters(Path checkpoint) throws Exception {
        Checkpoint.Loaded c = Checkpoint.read(checkpoint);
        PretrainConfig cfg = ConfigIO.yaml().readValue(c.meta().config(), PretrainConfig.class);
        var model = new org.speechwb.engine.model.w2v2.Wav2Vec2Model(cfg.wav2vec2(), 1,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, cfg.loss());
        Checkpoint.restoreParams(c, model.params().list());
        return model.clusterTargets();
    }

    @Test
    void runFolderRecordsConfigMetricsAndCheckpoints(@TempDir Path dir) throws Exception {
        RunFolder run = newRun(dir, tiny);
        assertThat(train(run, new Recorder(), 10)).isEqualTo(RunState.FINISHED);
        assertThat(run.config()).isEqualTo(tiny);
        assertThat(run.metrics()).hasSize(10);
        assertThat(run.codebookUsage()).hasSize(1);
        assertThat(run.status().orElseThrow().state()).isEqualTo(RunState.FINISHED);
        Checkpoint.Meta meta = Checkpoint.readMeta(run.checkpointFile(10));
        assertThat(meta.update()).isEqualTo(10);
        assertThat(ConfigIO.yaml().readValue(meta.config(), PretrainConfig.class)).isEqualTo(tiny);
        UpdateMetrics last = run.metrics().get(9);
        assertThat(last.audioSecondsPerSecond()).isPositive();
        assertThat(last.maskedFraction()).isBetween(0.2, 0.9);
        assertThat(last.lr()).isPositive();
        // a torn last line (kill -9 mid-write) is ignored
        Files.writeString(run.metricsFile(), "{\"update\": 11, \"loss\"", java.nio.file.StandardOpenOption.APPEND);
        assertThat(run.metrics()).hasSize(10);
    }
}
