package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.testutil.RepoFiles;

import picocli.CommandLine;

/** The lm, wer and bench-decode subcommands end to end on the repository's text. */
class CtcCommandsTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SpeechWbCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String previous = System.getProperty("speechwb.home");
        System.setProperty("speechwb.home", RepoFiles.root().toString());
        try {
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            if (previous == null) {
                System.clearProperty("speechwb.home");
            } else {
                System.setProperty("speechwb.home", previous);
            }
        }
    }

    @Test
    void lmTrainsWritesArpaAndReportsHeldOutPerplexity() throws Exception {
        Path arpa = tmp.resolve("lm/harvard.arpa");
        Run r = run("lm", "--text", "datasets/text/harvard-sentences.txt", "--held-out-every", "10", "--out", arpa.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained a 3-gram model on 648 sentences").contains("held-out text:  perplexity")
                .contains("unigram model on the held-out text");
        assertThat(NgramModel.readArpa(arpa).order()).isEqualTo(3);
    }

    @Test
    void lmExcludesTestSentences() {
        Path arpa = tmp.resolve("x.arpa");
        Run r = run("lm", "--text", "datasets/text/harvard-sentences.txt", "--exclude", "datasets/harvard-tts/test.wrd",
                "--held-out", "datasets/harvard-tts/test.wrd", "--order", "2", "--out", arpa.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("excluded 107 training sentence(s)").contains("2-gram model on 613 sentences");
    }

    @Test
    void lmReportsAMissingFile() {
        Run r = run("lm", "--text", tmp.resolve("none.txt").toString(), "--out", tmp.resolve("o.arpa").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("lm: no such file").contains("none.txt");
    }

    @Test
    void werWritesReports() throws Exception {
        Path hyp = tmp.resolve("hyp.tsv");
        Files.writeString(hyp, "spk1_snt1\tthe child almost hurt the small dog\nspk1_snt2\tDROP THE TWO WHEN YOU ADD FIGURES\n",
                StandardCharsets.UTF_8);
        Path out = tmp.resolve("report");
        Run r = run("wer", "--ref", "datasets/real-speech/transcripts.tsv", "--hyp", hyp.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("split").contains("had no hypothesis");
        assertThat(Files.readString(out.resolve("wer.md"))).contains("[TUE→TWO]").contains("[-THE]");
        assertThat(Files.readAllLines(out.resolve("wer.csv")).get(1)).startsWith("spk1_snt1,all,");
    }

    @Test
    void benchDecodeRunsOnASmallCase() {
        Run r = run("bench-decode", "--utterances", "20", "--beam", "8", "--show", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("greedy").contains("beam, no LM").contains("beam + 3-gram LM");
    }
}
