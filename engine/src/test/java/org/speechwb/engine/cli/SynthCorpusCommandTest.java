package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCorpusCommandTest {

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
        System.setProperty("speechwb.home", org.speechwb.engine.testutil.RepoFiles.root().toString());
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
    void dryRunPrintsThePlanOfTheDefaultRecipe() {
        Run r = run("synth-corpus", "--dry-run", "--out", tmp.resolve("c").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("train 532 sentences").contains("valid  71 sentences").contains("test  107 sentences")
                .contains("excluded 10 sentences");
        assertThat(tmp.resolve("c")).doesNotExist();
    }

    @Test
    void badOptionsGiveAClearErrorAndExitCode1() {
        Run r = run("synth-corpus", "--out", tmp.toString(), "--voices", "festival-kal");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unknown TTS engine 'festival'");

        Run missing = run("synth-corpus", "--out", tmp.toString(), "--text", tmp.resolve("nope.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read the prompt file").contains("nope.txt");
    }
}
