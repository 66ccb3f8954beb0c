package org.speechwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.testutil.RepoFiles;

/** Reading transcript tables, pairing by id, per-split summaries and the CSV / Markdown reports. */
class WerReportTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void scoresPerSplitFromACorpusTableWithHeader() throws IOException {
        Path ref = write("ref.tsv", "id\tpath\tspeaker\tsplit\ttext\n"
                + "u1\ta.flac\ts1\ttrain\tTHE CAT SAT\n"
                + "u2\tb.flac\ts1\ttest\tA B C D\n"
                + "u3\tc.flac\ts2\ttest\tE F\n");
        Path hyp = write("hyp.tsv", "u1\tthe cat sat.\nu2\tA X C D\nu9\tSTRAY\n");
        ScoreReport r = new WerScorer(true).score(TranscriptTable.read(ref), TranscriptTable.read(hyp));
        assertThat(r.missingHypotheses()).containsExactly("u3");
        assertThat(r.unmatchedHypotheses()).containsExactly("u9");
        List<SplitSummary> splits = r.bySplit();
        assertThat(splits).extracting(SplitSummary::split).containsExactly("train", "test");
        assertThat(splits.get(0).wer()).isZero();
        // test: 1 substitution + 2 deletions (missing hypothesis) over 6 words
        assertThat(splits.get(1).words()).isEqualTo(new ErrorCounts(1, 0, 2, 6));
        assertThat(splits.get(1).wer()).isCloseTo(0.5, within(1e-12));
        assertThat(r.overall().words().referenceLength()).isEqualTo(9);
        assertThat(r.overall().utterances()).isEqualTo(3);
    }

    @Test
    void withoutNormalisationCaseCounts() throws IOException {
        Path ref = write("r.tsv", "u1\tTHE CAT\n");
        Path hyp = write("h.tsv", "u1\tthe cat\n");
        assertThat(new WerScorer(false).score(TranscriptTable.read(ref), TranscriptTable.read(hyp)).overall().wer())
                .isEqualTo(1.0);
        assertThat(new WerScorer(true).score(TranscriptTable.read(ref), TranscriptTable.read(hyp)).overall().wer())
                .isZero();
    }

    @Test
    void readsKaldiStyleAndEmptyHypotheses() throws IOException {
        TranscriptTable t = TranscriptTable.read(write("k.txt", "u1 HELLO THERE\nu2\nu3\t\n"));
        assertThat(t.rows().get("u1").text()).isEqualTo("HELLO THERE");
        assertThat(t.rows().get("u2").text()).isEmpty();
        assertThat(t.rows().get("u3").text()).isEmpty();
        assertThat(t.rows().get("u1").split()).isEqualTo(ScoreReport.ALL);
    }

    @Test
    void tableErrorsNameFileAndLine() throws IOException {
        Path dup = write("dup.tsv", "u1\tA\nu2\tB\nu1\tC\n");
        assertThatThrownBy(() -> TranscriptTable.read(dup)).hasMessageContaining("dup.tsv:3")
                .hasMessageContaining("already on line 1");
        Path noText = write("nt.tsv", "id\tpath\nu1\ta.wav\n");
        assertThatThrownBy(() -> TranscriptTable.read(noText)).hasMessageContaining("nt.tsv:1")
                .hasMessageContaining("no \"text\" column");
    }

    @Test
    void readsTheRealSpeechTranscripts() throws IOException {
        TranscriptTable t = TranscriptTable.read(RepoFiles.root().resolve("datasets/real-speech/transcripts.tsv"));
        assertThat(t.rows()).containsKey("spk1_snt1");
        assertThat(t.rows().get("spk1_snt1").text()).isEqualTo("THE CHILD ALMOST HURT THE SMALL DOG");
    }

    @Test
    void writesCsvAndMarkdown() throws IOException {
        ScoreReport r = new ScoreReport(List.of(
                UtteranceScore.of("u1", "test", "THE CAT SAT ON THE MAT", "THE BAT SAT THE MAT"),
                UtteranceScore.of("u,2", "test", "IT'S \"OK\"", "IT'S \"OK\""),
                UtteranceScore.of("u3", "valid", "", "NOISE")), List.of(), List.of());
        Path csv = dir.resolve("out/report.csv");
        ReportWriter.writeCsv(r, csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("id,split,ref,hyp,errors,S,I,D,N,WER,CER");
        // CER: C→B and "ON " deleted = 4 of 22 characters
        assertThat(lines.get(1)).isEqualTo("u1,test,THE CAT SAT ON THE MAT,THE BAT SAT THE MAT,2,1,0,1,6,0.3333,0.1818");
        assertThat(lines.get(2)).isEqualTo("\"u,2\",test,\"IT'S \"\"OK\"\"\",\"IT'S \"\"OK\"\"\",0,0,0,0,2,0.0000,0.0000");
        assertThat(lines.get(3)).endsWith(",1,0,1,0,0,inf,inf");

        Path md = dir.resolve("out/report.md");
        ReportWriter.writeMarkdown(r, md, "WER report", List.of("Hypotheses: hyp.tsv"));
        String text = Files.readString(md);
        assertThat(text).startsWith("# WER report\n\nHypotheses: hyp.tsv");
        assertThat(text).contains("| test | 2 | 8 | 1 | 0 | 1 | 25.00% |");
        assertThat(text).contains("| all | 3 | 8 | 1 | 1 | 1 | 37.50% |");
        assertThat(text).contains("## test").contains("## valid");
        assertThat(text).contains("- `u1` WER 33.33% (S 1, I 0, D 1 of 6), CER 18.18%: THE [CAT→BAT] SAT [-ON] THE MAT");
        assertThat(text).contains("- `u,2` correct: IT'S \"OK\"");
        assertThat(text).contains("WER inf");
    }
}
