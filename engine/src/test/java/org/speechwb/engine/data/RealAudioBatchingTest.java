package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batching through the real decoder: the shipped real-speech set, and a file corrupted after the scan. */
class RealAudioBatchingTest {

    @TempDir
    Path tmp;

    @Test
    void realSpeechPretrainingAndFinetuningBatches() throws IOException {
        Dataset ds = DatasetLoader.open(TestData.repoRoot().resolve("datasets/real-speech"));
        BatchingConfig config = new BatchingConfig(48_000, 16_000, 96_000, 0, true, 1);

        PretrainBatcher pre = new PretrainBatcher(ds.utterances(), config, new AudioCache(32L << 20));
        Set<String> seen = new HashSet<>();
        try (BatchStream s = pre.stream(BatchPosition.start(0), 1, 2)) {
            while (s.hasNext()) {
                AudioBatch b = s.next();
                assertThat(b.samples()).isLessThanOrEqualTo(config.maxTokens());
                assertThat(b.skipped()).isEmpty();
                seen.addAll(b.ids());
            }
        }
        assertThat(seen).hasSize(pre.utterances().size());

        List<Utterance> labeled = ds.utterances().stream().filter(Utterance::labeled).toList();
        FinetuneBatcher fine = new FinetuneBatcher(labeled, BatchingConfig.wav2vec2Finetuning(1),
                AudioCache.disabled());
        AudioBatch first = fine.batch(BatchPosition.start(0));
        assertThat(first.transcripts()).allSatisfy(t -> assertThat(t).isNotBlank());
        for (int r = 0; r < first.size(); r++) {
            assertThat(first.lengths()[r]).isEqualTo((int) first.utterances().get(r).samples16k());
        }
    }

    @Test
    void aFileCorruptedAfterTheScanIsSkippedAtLoadTime() throws IOException {
        TestData.wav(tmp.resolve("a.wav"), 1.0, 16_000);
        TestData.wav(tmp.resolve("b.wav"), 1.0, 16_000);
        TestData.wav(tmp.resolve("c.wav"), 1.0, 22_050);
        Dataset ds = DatasetLoader.open(tmp);
        Files.writeString(tmp.resolve("b.wav"), "overwritten with text after the scan");

        PretrainBatcher pre = new PretrainBatcher(ds.utterances(), new BatchingConfig(16_000, 0, 64_000, 0, false, 1),
                AudioCache.disabled());
        AudioBatch batch = pre.batch(BatchPosition.start(0));

        assertThat(batch.ids()).containsExactlyInAnyOrder("a", "c");
        assertThat(batch.length()).isEqualTo(16_000);
        assertThat(batch.skipped()).singleElement().satisfies(s -> {
            assertThat(s.file().getFileName().toString()).isEqualTo("b.wav");
            assertThat(s.reason()).isEqualTo(SkippedFile.Reason.NOT_AUDIO);
        });
    }
}
