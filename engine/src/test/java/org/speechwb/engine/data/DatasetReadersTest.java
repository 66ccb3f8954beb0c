package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.data.TestData.flac;
import static org.speechwb.engine.data.TestData.text;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReadersTest {

    @TempDir
    Path tmp;

    private static Map<String, Utterance> byId(Dataset ds) {
        return ds.utterances().stream().collect(Collectors.toMap(Utterance::id, Function.identity()));
    }

    @Test
    void workbenchCorpusReadsColumnsAndSkipsBadRowsByLine() throws IOException {
        wav(tmp.resolve("audio/alice/a1.wav"), 1.0, 16_000);
        wav(tmp.resolve("audio/alice/a2.wav"), 0.5, 16_000);
        wav(tmp.resolve("audio/bob/b1.wav"), 2.0, 22_050);
        text(tmp.resolve("utterances.tsv"), """
                id\tpath\tspeaker\tsplit\ttext
                a1\taudio/alice/a1.wav\talice\ttrain\tTHE CAT SAT
                a2\taudio/alice/a2.wav\talice\tvalid\t
                b1\taudio/bob/b1.wav\tbob\ttest\tA  DOG\tBARKED
                b1\taudio/bob/b1.wav\tbob\ttest\tA DOG
                gone\taudio/bob/gone.wav\tbob\ttrain\tNOTHING
                """);

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.format()).isEqualTo(DatasetFormat.WORKBENCH_CORPUS);
        assertThat(ds.utterances()).extracting(Utterance::id).containsExactly("a1", "a2", "b1");
        Map<String, Utterance> u = byId(ds);
        assertThat(u.get("a1").transcript()).isEqualTo("THE CAT SAT");
        assertThat(u.get("a1").split()).isEqualTo("train");
        assertThat(u.get("a1").frames()).isEqualTo(16_000);
        assertThat(u.get("a2").labeled()).isFalse();
        assertThat(u.get("b1").speaker()).isEqualTo("bob");
        assertThat(u.get("b1").sampleRate()).isEqualTo(22_050);
        assertThat(u.get("b1").samples16k()).isEqualTo(32_000);
        assertThat(ds.skipped()).extracting(SkippedFile::reason, SkippedFile::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(SkippedFile.Reason.BAD_LINE, 4),
                        org.assertj.core.groups.Tuple.tuple(SkippedFile.Reason.MISSING_FILE, 6));
        SkippedFile missing = ds.skipped().stream().filter(s -> s.reason() == SkippedFile.Reason.MISSING_FILE)
                .findFirst().orElseThrow();
        assertThat(missing.file()).isEqualTo(tmp.resolve("audio/bob/gone.wav").toAbsolutePath());
        assertThat(missing.describe()).contains("gone.wav", "utterances.tsv line 6");
    }

    @Test
    void workbenchCorpusWithWrongHeaderIsAnErrorNamingTheFile() throws IOException {
        wav(tmp.resolve("a.wav"), 0.2, 16_000);
        text(tmp.resolve("utterances.tsv"), "id\tpath\ttext\na\ta.wav\tHI\n");

        assertThatThrownBy(() -> DatasetLoader.open(tmp))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("utterances.tsv line 1")
                .hasMessageContaining("id\\tpath\\tspeaker\\tsplit\\ttext");
    }

    @Test
    void flatFolderHasNoSpeakersAndReadsSameNameTranscripts() throws IOException {
        wav(tmp.resolve("one.wav"), 0.5, 16_000);
        wav(tmp.resolve("TWO.WAV"), 0.25, 8_000);
        flac(tmp.resolve("three.flac"), 0.75, 16_000);
        text(tmp.resolve("one.txt"), "hello\n  world \n");
        text(tmp.resolve("notes.md"), "not audio, not a transcript");
        text(tmp.resolve(".hidden.wav"), "macOS resource fork, ignored");

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.format()).isEqualTo(DatasetFormat.FOLDER);
        assertThat(ds.utterances()).extracting(Utterance::id).containsExactly("TWO", "one", "three");
        assertThat(ds.utterances()).allSatisfy(u -> assertThat(u.speaker()).isNull());
        Map<String, Utterance> u = byId(ds);
        assertThat(u.get("one").transcript()).isEqualTo("hello world");
        assertThat(u.get("TWO").labeled()).isFalse();
        assertThat(u.get("TWO").sampleRate()).isEqualTo(8_000);
        assertThat(u.get("three").frames()).isEqualTo(12_000);
        assertThat(ds.skipped()).isEmpty();
    }

    @Test
    void nestedFolderTakesSpeakerFromParentFolder() throws IOException {
        wav(tmp.resolve("alice/s1.wav"), 0.2, 16_000);
        wav(tmp.resolve("bob/session2/s1.wav"), 0.2, 16_000);
        wav(tmp.resolve("loose.wav"), 0.2, 16_000);

        Dataset ds = DatasetLoader.open(tmp);

        Map<String, Utterance> u = byId(ds);
        assertThat(u).containsOnlyKeys("alice/s1", "bob/session2/s1", "loose");
        assertThat(u.get("alice/s1").speaker()).isEqualTo("alice");
        assertThat(u.get("bob/session2/s1").speaker()).isEqualTo("session2");
        assertThat(u.get("loose").speaker()).isNull();
    }

    @Test
    void sameNameWavAndFlacKeepOneAndReportTheOther() throws IOException {
        wav(tmp.resolve("x.wav"), 0.2, 16_000);
        flac(tmp.resolve("x.flac"), 0.2, 16_000);

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.utterances()).singleElement().satisfies(u -> assertThat(u.audio().getFileName().toString())
                .isEqualTo("x.flac"));
        assertThat(ds.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkippedFile.Reason.DUPLICATE_ID);
            assertThat(s.file().getFileName().toString()).isEqualTo("x.wav");
            assertThat(s.detail()).contains("x.flac");
        });
    }

    private Path libriSubset(Path subset) throws IOException {
        flac(subset.resolve("19/198/19-198-0000.flac"), 0.5, 16_000);
        flac(subset.resolve("19/198/19-198-0001.flac"), 0.25, 16_000);
        text(subset.resolve("19/198/19-198.trans.txt"),
                "19-198-0000 NORTHANGER ABBEY\n19-198-0001 CHAPTER ONE\n19-198-0002 NO AUDIO FOR THIS\n");
        flac(subset.resolve("26/495/26-495-0000.flac"), 0.3, 16_000);
        text(subset.resolve("26/495/26-495.trans.txt"), "26-495-0000 A TALE\n");
        flac(subset.resolve("26/496/26-496-0000.flac"), 0.3, 16_000); // chapter without transcripts
        return subset;
    }

    @Test
    void libriSpeechSubsetFolder() throws IOException {
        Path subset = libriSubset(tmp.resolve("train-clean-5"));

        Dataset ds = DatasetLoader.open(subset);

        assertThat(ds.format()).isEqualTo(DatasetFormat.LIBRISPEECH);
        assertThat(ds.utterances()).extracting(Utterance::id)
                .containsExactly("19-198-0000", "19-198-0001", "26-495-0000", "26-496-0000");
        Map<String, Utterance> u = byId(ds);
        assertThat(u.get("19-198-0000").transcript()).isEqualTo("NORTHANGER ABBEY");
        assertThat(u.get("19-198-0000").speaker()).isEqualTo("19");
        assertThat(u.get("19-198-0000").split()).isEqualTo("train");
        assertThat(u.get("26-496-0000").labeled()).isFalse();
        assertThat(ds.warnings()).anySatisfy(w -> assertThat(w).contains("26-496.trans.txt"));
        assertThat(ds.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkippedFile.Reason.MISSING_FILE);
            assertThat(s.source().getFileName().toString()).isEqualTo("19-198.trans.txt");
            assertThat(s.line()).isEqualTo(3);
        });
    }

    @Test
    void libriSpeechParentOfSeveralSubsetsMapsSubsetNamesToSplits() throws IOException {
        libriSubset(tmp.resolve("LibriSpeech/train-clean-5"));
        flac(tmp.resolve("LibriSpeech/dev-clean-2/84/121123/84-121123-0000.flac"), 0.4, 16_000);
        text(tmp.resolve("LibriSpeech/dev-clean-2/84/121123/84-121123.trans.txt"), "84-121123-0000 GO DO YOU HEAR\n");

        Dataset ds = DatasetLoader.open(tmp.resolve("LibriSpeech"));

        assertThat(ds.format()).isEqualTo(DatasetFormat.LIBRISPEECH);
        assertThat(ds.utterances()).hasSize(5);
        assertThat(byId(ds).get("84-121123-0000").split()).isEqualTo("valid");
        assertThat(byId(ds).get("26-495-0000").split()).isEqualTo("train");
    }

    @Test
    void fairseqManifestWithRelativeRootAndLabels() throws IOException {
        wav(tmp.resolve("audio/x/u1.wav"), 0.5, 16_000);
        wav(tmp.resolve("audio/x/u2.wav"), 0.25, 16_000);
        text(tmp.resolve("man/train.tsv"), "../audio\nx/u1.wav\t8000\nx/u2.wav\t4000\n");
        text(tmp.resolve("man/train.ltr"), "H E L L O | W O R L D |\nB Y E |\n");

        Dataset ds = DatasetLoader.open(tmp.resolve("man/train.tsv"));

        assertThat(ds.format()).isEqualTo(DatasetFormat.FAIRSEQ_MANIFEST);
        assertThat(ds.utterances()).extracting(Utterance::id, Utterance::transcript).containsExactly(
                org.assertj.core.groups.Tuple.tuple("x/u1", "HELLO WORLD"),
                org.assertj.core.groups.Tuple.tuple("x/u2", "BYE"));
        assertThat(ds.utterances().get(0).audio()).isEqualTo(tmp.resolve("audio/x/u1.wav").toAbsolutePath());
        assertThat(ds.warnings()).isEmpty();
    }

    @Test
    void fairseqManifestPrefersWordsAndSkipsMissingAndBadRowsByLine() throws IOException {
        wav(tmp.resolve("u1.wav"), 0.5, 16_000);
        text(tmp.resolve("valid.tsv"), ".\nu1.wav\t8000\nmissing.wav\t100\nu1.wav\tmany\n");
        text(tmp.resolve("valid.wrd"), "hello there\nGONE\nBAD\n");
        text(tmp.resolve("valid.ltr"), "H E L L O | T H E R E |\nG O N E |\nB A D |\n");

        Dataset ds = DatasetLoader.open(tmp.resolve("valid.tsv"));

        assertThat(ds.utterances()).singleElement().satisfies(u -> assertThat(u.transcript()).isEqualTo("hello there"));
        assertThat(ds.skipped()).extracting(SkippedFile::reason, SkippedFile::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(SkippedFile.Reason.MISSING_FILE, 3),
                org.assertj.core.groups.Tuple.tuple(SkippedFile.Reason.BAD_LINE, 4));
    }

    @Test
    void fairseqLabelCountMismatchIsAnErrorNamingTheLabelFile() throws IOException {
        wav(tmp.resolve("u1.wav"), 0.5, 16_000);
        wav(tmp.resolve("u2.wav"), 0.5, 16_000);
        text(tmp.resolve("train.tsv"), ".\nu1.wav\t8000\nu2.wav\t8000\n");
        text(tmp.resolve("train.ltr"), "A |\n");

        assertThatThrownBy(() -> DatasetLoader.open(tmp.resolve("train.tsv")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("train.ltr line 2")
                .hasMessageContaining("1 label line(s)")
                .hasMessageContaining("2 audio row(s)");
    }

    @Test
    void fairseqLengthDisagreeingWithHeaderIsAWarning() throws IOException {
        wav(tmp.resolve("u1.wav"), 0.5, 16_000);
        text(tmp.resolve("train.tsv"), ".\nu1.wav\t7999\n");

        Dataset ds = DatasetLoader.open(tmp.resolve("train.tsv"));

        assertThat(ds.utterances()).singleElement().satisfies(u -> assertThat(u.frames()).isEqualTo(8_000));
        assertThat(ds.warnings()).singleElement().asString().contains("train.tsv line 2", "7999");
    }

    @Test
    void realSpeechTranscriptsTsv() throws IOException {
        Path realSpeech = TestData.repoRoot().resolve("datasets/real-speech");

        Dataset ds = DatasetLoader.open(realSpeech);

        assertThat(ds.format()).isEqualTo(DatasetFormat.TRANSCRIPTS_TSV);
        assertThat(ds.utterances()).hasSize(12);
        assertThat(ds.skipped()).isEmpty();
        assertThat(ds.utterances().stream().filter(Utterance::labeled)).hasSize(10);
        assertThat(ds.utterances()).extracting(Utterance::speaker).containsOnly("spk1", "spk2");
        assertThat(ds.utterances()).allSatisfy(u -> {
            assertThat(u.sampleRate()).isEqualTo(16_000);
            assertThat(u.seconds()).isBetween(0.5, 30.0);
        });
        Map<String, Utterance> u = byId(ds);
        assertThat(u.get("spk2_snt2").transcript()).isEqualTo("WHAT JOY THERE IS IN LIVING");
        assertThat(u.get("spk1_snt6").labeled()).isFalse();
    }

    @Test
    void transcriptsTsvRowWithoutAudioIsSkippedByLine() throws IOException {
        wav(tmp.resolve("wav/a_1.wav"), 0.2, 16_000);
        text(tmp.resolve("transcripts.tsv"), "id\ttext\na_1\tONE\nb_2\tTWO\n");

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.utterances()).singleElement().satisfies(u -> {
            assertThat(u.speaker()).isEqualTo("a");
            assertThat(u.transcript()).isEqualTo("ONE");
        });
        assertThat(ds.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkippedFile.Reason.MISSING_FILE);
            assertThat(s.line()).isEqualTo(3);
            assertThat(s.file().getFileName().toString()).isEqualTo("b_2.wav");
        });
    }
}
