package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.data.TestData.utt;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FinetuneBatcherTest {

    private static final BatchingConfig CONFIG = new BatchingConfig(16_000, 1_000, 48_000, 0, false, 3);

    private static List<Utterance> utterances() {
        List<Utterance> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add(utt(String.format("f%02d", i), null, "WORDS OF " + i, 500 + 600L * i));
        }
        return out;
    }

    @Test
    void rowsArePaddedWithZerosAndCarryLengthsAndTranscripts() {
        List<Utterance> us = utterances();
        FakeAudio fake = new FakeAudio(us);
        FinetuneBatcher b = new FinetuneBatcher(us, CONFIG, new AudioCache(1 << 24), fake);

        assertThat(b.dropped()).extracting(Utterance::id).containsExactly("f00", "f26", "f27", "f28", "f29");
        int rows = 0;
        for (int i = 0; i < b.batchesInEpoch(0); i++) {
            AudioBatch batch = b.batch(new BatchPosition(0, i));
            rows += batch.size();
            assertThat(batch.samples()).isLessThanOrEqualTo(CONFIG.maxTokens());
            int longest = batch.utterances().stream().mapToInt(u -> (int) u.samples16k()).max().orElseThrow();
            assertThat(batch.length()).isEqualTo(longest);
            for (int r = 0; r < batch.size(); r++) {
                Utterance u = batch.utterances().get(r);
                float[] row = batch.audio()[r];
                assertThat(batch.lengths()[r]).isEqualTo((int) u.samples16k());
                assertThat(batch.transcripts().get(r)).isEqualTo(u.transcript());
                float[] src = fake.audio.get(u.audio());
                for (int j = 0; j < row.length; j++) {
                    assertThat(row[j]).isEqualTo(j < src.length ? src[j] : 0f);
                }
            }
        }
        assertThat(rows).isEqualTo(25);
    }

    @Test
    void unlabeledUtterancesAreRejected() {
        List<Utterance> us = new ArrayList<>(utterances());
        us.add(utt("raw", null, null, 4_000));
        assertThatThrownBy(() -> new FinetuneBatcher(us, CONFIG, AudioCache.disabled(), new FakeAudio(us)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw").hasMessageContaining("transcript");
    }

    @Test
    void normalisationLeavesPaddingAtZero() {
        List<Utterance> us = List.of(utt("a", null, "A", 2_000), utt("b", null, "B", 3_000));
        FinetuneBatcher b = new FinetuneBatcher(us, CONFIG.withNormalize(true), AudioCache.disabled(), new FakeAudio(us));
        AudioBatch batch = b.batch(new BatchPosition(0, 0));
        assertThat(batch.size()).isEqualTo(2);
        int shortRow = batch.lengths()[0] == 2_000 ? 0 : 1;
        float[] row = batch.audio()[shortRow];
        assertThat(row).hasSize(3_000);
        for (int j = 2_000; j < 3_000; j++) {
            assertThat(row[j]).isZero();
        }
        assertThat(row[0]).isNegative();
    }
}
