package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.speechwb.engine.data.TestData.text;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestExporterTest {

    @TempDir
    Path tmp;

    @Test
    void lettersFollowFairseqLibriLabels() {
        assertThat(ManifestExporter.toLetters("hello  world")).isEqualTo("H E L L O | W O R L D |");
        assertThat(ManifestExporter.toLetters("IT'S")).isEqualTo("I T ' S |");
    }

    @Test
    void labeledExportRoundTripsThroughTheManifestReader() throws IOException {
        Path data = tmp.resolve("data");
        wav(data.resolve("alice/a1.wav"), 0.5, 16_000);
        text(data.resolve("alice/a1.txt"), "HELLO WORLD");
        wav(data.resolve("bob/b1.wav"), 0.2, 22_050);
        text(data.resolve("bob/b1.txt"), "the quick  fox");
        Dataset original = DatasetLoader.open(data);

        ManifestExporter.ExportedManifest m = ManifestExporter.write(tmp.resolve("out"), "train", original.utterances());

        assertThat(m.labeled()).isTrue();
        assertThat(Files.readAllLines(m.tsv())).containsExactly(data.toAbsolutePath().toString(),
                "alice/a1.wav\t8000", "bob/b1.wav\t3200");
        assertThat(Files.readAllLines(m.ltr())).containsExactly("H E L L O | W O R L D |",
                "T H E | Q U I C K | F O X |");
        assertThat(Files.readAllLines(m.wrd())).containsExactly("HELLO WORLD", "the quick fox");

        Dataset back = DatasetLoader.open(m.tsv());
        assertThat(back.format()).isEqualTo(DatasetFormat.FAIRSEQ_MANIFEST);
        assertThat(back.skipped()).isEmpty();
        assertThat(back.warnings()).isEmpty();
        assertThat(back.utterances()).extracting(Utterance::id, Utterance::audio, Utterance::transcript,
                        Utterance::frames, Utterance::sampleRate)
                .containsExactlyElementsOf(original.utterances().stream().map(u -> org.assertj.core.groups.Tuple.tuple(
                        u.id(), u.audio(), u.transcript(), u.frames(), u.sampleRate())).toList());
        assertThat(back.fingerprint()).isEqualTo(original.fingerprint());
    }

    @Test
    void unlabeledExportWritesNoLabelsAndRemovesStaleOnes() throws IOException {
        wav(tmp.resolve("a.wav"), 0.1, 16_000);
        wav(tmp.resolve("b.wav"), 0.1, 16_000);
        text(tmp.resolve("a.txt"), "ONLY ONE IS LABELED");
        Path out = tmp.resolve("out");
        text(out.resolve("all.ltr"), "S T A L E |\n");
        List<Utterance> utts = DatasetLoader.open(tmp).utterances();

        ManifestExporter.ExportedManifest m = ManifestExporter.write(out, "all", utts);

        assertThat(m.labeled()).isFalse();
        assertThat(m.rows()).isEqualTo(2);
        assertThat(out.resolve("all.ltr")).doesNotExist();
        assertThat(out.resolve("all.wrd")).doesNotExist();
        Dataset back = DatasetLoader.open(m.tsv());
        assertThat(back.utterances()).extracting(Utterance::id).containsExactly("a", "b");
        assertThat(back.utterances()).noneMatch(Utterance::labeled);
    }
}
