package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.speechwb.engine.data.TestData.text;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSummaryTest {

    @TempDir
    Path tmp;

    @Test
    void numbersOfAKnownTree() throws IOException {
        wav(tmp.resolve("alice/a1.wav"), 0.5, 16_000);
        wav(tmp.resolve("alice/a2.wav"), 1.5, 16_000);
        text(tmp.resolve("alice/a2.txt"), "SOME WORDS");
        wav(tmp.resolve("bob/b1.wav"), 3.0, 8_000);
        text(tmp.resolve("bob/b1.txt"), "MORE WORDS");
        wav(tmp.resolve("bob/b2.wav"), 12.0, 16_000);
        text(tmp.resolve("bob/broken.wav"), "not audio");

        DatasetSummary s = DatasetLoader.open(tmp).summary();

        assertThat(s.utterances()).isEqualTo(4);
        assertThat(s.totalSeconds()).isCloseTo(17.0, within(1e-9));
        assertThat(s.totalHours()).isCloseTo(17.0 / 3600, within(1e-12));
        // bins 0-1, 1-2, 2-5, 5-10, 10-15, 15-20, 20-30, 30+
        assertThat(s.histogram()).containsExactly(1, 1, 1, 0, 1, 0, 0, 0);
        assertThat(s.speakers()).isEqualTo(2);
        assertThat(s.speakerSeconds().get("alice")).isCloseTo(2.0, within(1e-9));
        assertThat(s.speakerSeconds().get("bob")).isCloseTo(15.0, within(1e-9));
        assertThat(s.unknownSpeaker()).isZero();
        assertThat(s.labeled()).isEqualTo(2);
        assertThat(s.labeledShareByCount()).isCloseTo(0.5, within(1e-12));
        assertThat(s.labeledShareByDuration()).isCloseTo(4.5 / 17.0, within(1e-12));
        assertThat(s.sampleRates()).containsExactly(java.util.Map.entry(8_000, 1), java.util.Map.entry(16_000, 3));
        assertThat(s.skipped()).singleElement().satisfies(k -> assertThat(k.file().getFileName().toString())
                .isEqualTo("broken.wav"));

        String text = s.render();
        assertThat(text).contains("Utterances:     4", "2 of 4", "50.0% by count", "8000 Hz x1", "16000 Hz x3",
                "10-15 s", "alice", "Skipped:        1", "broken.wav");
        assertThat(s.toString()).isEqualTo(text);
    }

    @Test
    void binsAreHalfOpen() {
        assertThat(DatasetSummary.binOf(0.0)).isZero();
        assertThat(DatasetSummary.binOf(0.999)).isZero();
        assertThat(DatasetSummary.binOf(1.0)).isEqualTo(1);
        assertThat(DatasetSummary.binOf(15.6)).isEqualTo(5);
        assertThat(DatasetSummary.binOf(400)).isEqualTo(7);
        assertThat(DatasetSummary.binLabel(7)).isEqualTo("30+ s");
        assertThat(DatasetSummary.binLabel(2)).isEqualTo("2-5 s");
    }

    @Test
    void emptyDatasetRendersWithoutDividingByZero() {
        DatasetSummary s = DatasetSummary.of(java.util.List.of(), java.util.List.of(), java.util.List.of());
        assertThat(s.labeledShareByCount()).isZero();
        assertThat(s.labeledShareByDuration()).isZero();
        assertThat(s.render()).contains("Utterances:     0");
    }
}
