package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.speechwb.engine.data.TestData.utt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PretrainBatcherTest {

    /** 60 utterances of 0.1 to 1 s, with several duplicate lengths for tie-breaking. */
    private static List<Utterance> utterances() {
        List<Utterance> out = new ArrayList<>();
        Random r = new Random(3);
        for (int i = 0; i < 60; i++) {
            out.add(utt(String.format("u%02d", i), "s" + (i % 4), null, 1_600 + 400 * r.nextInt(36)));
        }
        return out;
    }

    private static final BatchingConfig CONFIG = new BatchingConfig(8_000, 3_000, 40_000, 0, false, 7);

    private static PretrainBatcher batcher(List<Utterance> us, BatchingConfig config, FakeAudio fake) {
        return new PretrainBatcher(us, config, new AudioCache(64L << 20), fake);
    }

    @Test
    void dropsShortUtterancesAndCoversTheRestOncePerEpoch() {
        List<Utterance> us = utterances();
        PretrainBatcher b = batcher(us, CONFIG, new FakeAudio(us));

        assertThat(b.dropped()).isNotEmpty().allSatisfy(u -> assertThat(u.samples16k()).isLessThan(3_000));
        assertThat(b.utterances()).allSatisfy(u -> assertThat(u.samples16k()).isGreaterThanOrEqualTo(3_000));
        assertThat(b.utterances().size() + b.dropped().size()).isEqualTo(us.size());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = new ArrayList<>();
            for (int[] batch : b.plan(epoch)) {
                for (int i : batch) {
                    seen.add(i);
                }
            }
            assertThat(seen).hasSize(b.utterances().size()).doesNotHaveDuplicates();
            assertThat(b.plan(epoch).length).isEqualTo(b.batchesInEpoch(epoch));
        }
    }

    @Test
    void everyBatchIsCroppedToItsShortestAndRespectsMaxTokens() {
        List<Utterance> us = utterances();
        FakeAudio fake = new FakeAudio(us);
        PretrainBatcher b = batcher(us, CONFIG, fake);

        for (int epoch = 0; epoch < 3; epoch++) {
            for (int i = 0; i < b.batchesInEpoch(epoch); i++) {
                AudioBatch batch = b.batch(new BatchPosition(epoch, i));
                long shortest = batch.utterances().stream().mapToLong(Utterance::samples16k).min().orElseThrow();
                assertThat(batch.length()).isEqualTo((int) Math.min(shortest, CONFIG.maxSampleSize()));
                assertThat(batch.samples()).isLessThanOrEqualTo(CONFIG.maxTokens());
                assertThat(batch.lengths()).containsOnly(batch.length());
                for (int row = 0; row < batch.size(); row++) {
                    float[] x = batch.audio()[row];
                    float[] src = fake.audio.get(batch.utterances().get(row).audio());
                    int start = (int) (x[0] - (float) fake.number.get(batch.utterances().get(row).audio()) * FakeAudio.STRIDE);
                    assertThat(start).isBetween(0, src.length - x.length);
                    assertThat(x).isEqualTo(Arrays.copyOfRange(src, start, start + x.length));
                }
            }
        }
    }

    @Test
    void batchesHoldNeighboursInLengthOrderAndBatchOrderIsShuffled() {
        List<Utterance> us = utterances();
        PretrainBatcher b = batcher(us, CONFIG, new FakeAudio(us));
        int[][] plan = b.plan(0);
        List<int[]> ranges = new ArrayList<>();
        for (int[] batch : plan) {
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int i : batch) {
                int size = (int) Math.min(b.utterances().get(i).samples16k(), CONFIG.maxSampleSize());
                lo = Math.min(lo, size);
                hi = Math.max(hi, size);
            }
            ranges.add(new int[] {lo, hi});
        }
        // size-sorted bucketing: the size ranges of different batches overlap at most at their edges
        for (int[] a : ranges) {
            for (int[] c : ranges) {
                if (a != c) {
                    assertThat(a[1] <= c[0] || c[1] <= a[0]).isTrue();
                }
            }
        }
        List<Integer> firstSizes = ranges.stream().map(r -> r[1]).toList();
        List<Integer> sortedDesc = new ArrayList<>(firstSizes);
        sortedDesc.sort((x, y) -> y - x);
        assertThat(firstSizes).isNotEqualTo(sortedDesc);
    }

    @Test
    void maxBatchSizeLimitsRows() {
        List<Utterance> us = utterances();
        BatchingConfig capped = new BatchingConfig(8_000, 3_000, 400_000, 3, false, 7);
        PretrainBatcher b = batcher(us, capped, new FakeAudio(us));
        assertThat(List.of(b.plan(0))).allSatisfy(batch -> assertThat(batch.length).isBetween(1, 3));
    }

    @Test
    void normalisedRowsHaveZeroMeanAndUnitVariance() {
        // equal lengths below the crop limit: rows are whole utterances, normalised as fairseq does
        List<Utterance> us = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            us.add(utt("n" + i, null, null, 4_000));
        }
        FakeAudio fake = new FakeAudio(us);
        PretrainBatcher b = batcher(us, CONFIG.withNormalize(true), fake);

        AudioBatch batch = b.batch(new BatchPosition(0, 0));
        assertThat(batch.length()).isEqualTo(4_000);
        for (float[] row : batch.audio()) {
            double mean = Arrays.stream(toDouble(row)).average().orElseThrow();
            double var = Arrays.stream(toDouble(row)).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
            assertThat(mean).isCloseTo(0, within(1e-4));
            assertThat(var).isCloseTo(1, within(1e-3));
        }
        assertThat(fake.audio.get(us.get(0).audio())[1]).isEqualTo(1f); // cached source is not modified
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    @Test
    void sameSeedSameBatchesAndOtherSeedOrEpochDiffers() {
        List<Utterance> us = utterances();
        PretrainBatcher a = batcher(us, CONFIG, new FakeAudio(us));
        List<Utterance> reversed = new ArrayList<>(us);
        java.util.Collections.reverse(reversed);
        PretrainBatcher same = batcher(reversed, CONFIG, new FakeAudio(us));
        PretrainBatcher other = batcher(us, CONFIG.withSeed(8), new FakeAudio(us));

        assertThat(same.plan(0)).isDeepEqualTo(a.plan(0));
        assertThat(Arrays.deepEquals(other.plan(0), a.plan(0))).isFalse();
        assertThat(Arrays.deepEquals(a.plan(1), a.plan(0))).isFalse();
        for (int i = 0; i < a.batchesInEpoch(0); i++) {
            BatchPosition p = new BatchPosition(0, i);
            assertThat(same.batch(p).audio()).isDeepEqualTo(a.batch(p).audio());
        }
    }

    @Test
    void streamResumedAtAPositionYieldsTheSameBatchesAsAnUninterruptedRun() {
        List<Utterance> us = utterances();
        PretrainBatcher b = batcher(us, CONFIG, new FakeAudio(us));
        int perEpoch = b.batchesInEpoch(0);
        List<AudioBatch> uninterrupted = new ArrayList<>();
        try (BatchStream s = b.stream(BatchPosition.start(0), 3, 2)) {
            while (s.hasNext()) {
                uninterrupted.add(s.next());
            }
        }
        assertThat(uninterrupted).hasSize(3 * perEpoch);

        int stopAfter = perEpoch + 2;
        BatchPosition checkpoint;
        List<AudioBatch> resumed = new ArrayList<>();
        try (BatchStream s = b.stream(BatchPosition.start(0), 3, 2)) {
            for (int i = 0; i < stopAfter; i++) {
                resumed.add(s.next());
            }
            checkpoint = s.position();
        }
        assertThat(checkpoint).isEqualTo(new BatchPosition(1, 2));
        // a fresh batcher, as after a restart
        PretrainBatcher restarted = batcher(us, CONFIG, new FakeAudio(us));
        try (BatchStream s = restarted.stream(checkpoint, 3, 2)) {
            while (s.hasNext()) {
                resumed.add(s.next());
            }
        }
        assertSameBatches(resumed, uninterrupted);

        try (BatchStream s = b.stream(BatchPosition.start(0), 3, 2)) {
            s.next();
            s.next();
            s.seek(new BatchPosition(2, 1));
            assertThat(s.position()).isEqualTo(new BatchPosition(2, 1));
            AudioBatch afterSeek = s.next();
            assertSameBatches(List.of(afterSeek), List.of(uninterrupted.get(2 * perEpoch + 1)));
        }
    }

    private static void assertSameBatches(List<AudioBatch> actual, List<AudioBatch> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).position()).isEqualTo(expected.get(i).position());
            assertThat(actual.get(i).ids()).isEqualTo(expected.get(i).ids());
            assertThat(actual.get(i).audio()).isDeepEqualTo(expected.get(i).audio());
        }
    }

    @Test
    void decodedAudioIsCachedAcrossEpochs() {
        List<Utterance> us = utterances();
        FakeAudio fake = new FakeAudio(us);
        PretrainBatcher b = batcher(us, CONFIG, fake);
        try (BatchStream s = b.stream(BatchPosition.start(0), 2, 2)) {
            s.forEachRemaining(batch -> { });
        }
        assertThat(fake.loads.get()).isEqualTo(b.utterances().size());
        assertThat(b.cache().hits()).isEqualTo(b.utterances().size());
    }

    @Test
    void aFileCorruptAtLoadTimeIsSkippedAndReported() {
        List<Utterance> us = utterances();
        FakeAudio fake = new FakeAudio(us);
        PretrainBatcher b = batcher(us, CONFIG, fake);
        Utterance bad = b.utterances().get(5);
        fake.corrupt = bad.audio();

        Set<String> ids = new HashSet<>();
        int batches = 0;
        try (BatchStream s = b.stream(BatchPosition.start(0), 2, 3)) {
            while (s.hasNext()) {
                AudioBatch batch = s.next();
                batches++;
                ids.addAll(batch.ids());
                if (!batch.skipped().isEmpty()) {
                    assertThat(batch.skipped()).singleElement().satisfies(k -> {
                        assertThat(k.file()).isEqualTo(bad.audio());
                        assertThat(k.reason()).isEqualTo(SkippedFile.Reason.TRUNCATED);
                    });
                }
            }
        }
        assertThat(ids).doesNotContain(bad.id()).hasSize(b.utterances().size() - 1);
        assertThat(batches).isEqualTo(2 * b.batchesInEpoch(0));
        assertThat(b.loadFailures()).singleElement().satisfies(k -> assertThat(k.file()).isEqualTo(bad.audio()));
    }

    @Test
    void aLoaderFailureSurfacesToTheConsumerWithTheFileName() {
        List<Utterance> us = utterances();
        FakeAudio fake = new FakeAudio(us);
        PretrainBatcher b = batcher(us, CONFIG, fake);
        Utterance victim = b.utterances().get(b.plan(0)[1][0]);
        fake.broken = victim.audio();

        try (BatchStream s = b.stream(BatchPosition.start(0), 1, 2)) {
            s.next();
            assertThatThrownBy(s::next)
                    .isInstanceOf(BatchLoadException.class)
                    .hasMessageContaining(victim.audio().toString())
                    .hasMessageContaining("epoch 0 batch 1")
                    .hasRootCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(s::next).isInstanceOf(BatchLoadException.class);
        }
    }

    @Test
    void closingAStreamStopsItsThreadEvenWithAFullQueue() throws InterruptedException {
        List<Utterance> us = utterances();
        PretrainBatcher b = batcher(us, CONFIG, new FakeAudio(us));
        BatchStream s = b.stream(BatchPosition.start(0));
        s.next();
        Thread.sleep(50); // let the loader fill its queue and block on it
        s.close();
        s.close();
        assertThat(s.loaderAlive()).isFalse();
        assertThatThrownBy(s::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void everythingTooShortIsAClearError() {
        List<Utterance> tiny = List.of(utt("t", null, null, 100));
        assertThatThrownBy(() -> batcher(tiny, CONFIG, new FakeAudio(tiny)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no utterances left");
    }
}
