package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.cli.SpeechWbCli;

import picocli.CommandLine;

/** The dataset subcommands, run in-process on the shipped real-speech set. */
class DataCliTest {

    @TempDir
    Path tmp;

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = new CommandLine(new SpeechWbCli()).execute(args);
            assertThat(rc).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void datasetInfoPrintsTheSummary() {
        String out = run("dataset-info", TestData.repoRoot().resolve("datasets/real-speech").toString());
        assertThat(out).contains("TRANSCRIPTS_TSV", "Utterances:     12", "10 of 12", "spk1", "spk2",
                "16000 Hz x12", "Fingerprint:");
    }

    @Test
    void exportManifestWritesSpeakerSplits() {
        String out = run("export-manifest", TestData.repoRoot().resolve("datasets/real-speech").toString(),
                "-o", tmp.toString(), "--split", "SPEAKER", "--valid", "0", "--test", "0.3", "--labeled-only");
        assertThat(out).contains("train.tsv: 5 rows", "test.tsv: 5 rows", "valid: empty");
        assertThat(tmp.resolve("train.ltr")).exists();
        assertThat(tmp.resolve("test.wrd")).exists();
    }
}
