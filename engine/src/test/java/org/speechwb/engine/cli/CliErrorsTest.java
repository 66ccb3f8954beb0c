package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** User errors end the command with one line on standard error and a non-zero exit code. */
class CliErrorsTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpeechWbCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void aMissingDatasetPathIsOneLineWithoutAStackTrace() {
        Path missing = tmp.resolve("no-such-corpus");
        Run r = run("pretrain", "--data", missing.toString(), "--runs", tmp.resolve("runs").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).isEqualTo("speechwb: error: no such file or folder: " + missing + System.lineSeparator());
    }

    @Test
    void aMissingCheckpointIsOneLine() {
        Path missing = tmp.resolve("no-such-run/checkpoint-3.ckpt");
        Run r = run("inspect", "--checkpoint", missing.toString(), "--audio", tmp.resolve("a.wav").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).startsWith("speechwb: error: ").contains(missing.toString()).doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void aCorruptCheckpointIsOneLine() throws Exception {
        Path bad = Files.writeString(tmp.resolve("checkpoint-7.ckpt"), "not a zip", StandardCharsets.UTF_8);
        Run r = run("inspect", "--checkpoint", bad.toString(), "--audio", tmp.resolve("a.wav").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).startsWith("speechwb: error: ").contains("checkpoint-7.ckpt").doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void verboseAddsTheStackTrace() {
        Path missing = tmp.resolve("missing.ckpt");
        Run r = run("inspect", "--verbose", "--checkpoint", missing.toString(), "--audio", "a.wav");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("Exception").contains("\tat ");
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow()).startsWith("speechwb: error: ")
                .contains(missing.toString());
        Run before = run("--verbose", "inspect", "--checkpoint", missing.toString(), "--audio", "a.wav");
        assertThat(before.err()).contains("\tat ");
    }

    @Test
    void gridSeedsThatAreNotACountOrAllOrExceedTheSeedsAreOneLineBeforeAnythingIsWritten() {
        Path out = tmp.resolve("exp");
        Run words = run("experiment", "--out", out.toString(), "--grid-seeds", "many");
        assertThat(words.exitCode()).isNotZero();
        assertThat(words.err()).isEqualTo("speechwb: error: --grid-seeds: expected a number of seeds or 'all', got"
                + " 'many'" + System.lineSeparator());
        Run tooMany = run("experiment", "--out", out.toString(), "--seeds", "1,2", "--grid-seeds", "3");
        assertThat(tooMany.err()).isEqualTo("speechwb: error: gridSeeds must be between 1 and the number of seeds (2),"
                + " got 3" + System.lineSeparator());
        assertThat(out).doesNotExist();
        assertThat(ExperimentCommand.gridSeeds("ALL", 3)).isEqualTo(3);
        assertThat(ExperimentCommand.gridSeeds(" 2 ", 3)).isEqualTo(2);
    }
}
