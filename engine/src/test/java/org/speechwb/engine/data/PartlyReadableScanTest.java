package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.audio.FlacWriter;

/**
 * Files a scan keeps although they are damaged must not pass silently: the summary warns, at the
 * length actually present, and a damaged duplicate says what is wrong with it besides its id.
 */
class PartlyReadableScanTest {

    @TempDir
    Path tmp;

    /** Noise, so that FLAC frames are of realistic size and a cut lands well inside the stream. */
    private static Path noisyFlac(Path file, double seconds) throws IOException {
        Random r = new Random(7);
        float[] x = new float[(int) Math.round(seconds * 16_000)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * r.nextGaussian());
        }
        Files.createDirectories(file.getParent());
        FlacWriter.write(file, x, 16_000);
        return file;
    }

    private static void cut(Path file, double keep) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, keep < 1 ? (int) (b.length * keep) : (int) keep));
    }

    /** Rewrites the 'data' chunk's size field: a header that claims far more than the file holds. */
    private static void claim(Path wav, long bytes) throws IOException {
        byte[] b = Files.readAllBytes(wav);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int data = s.indexOf("data");
        ByteBuffer.wrap(b, data + 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) bytes);
        Files.write(wav, b);
    }

    @Test
    void truncatedFlacAndOverclaimingWavAreKeptAtTheirRealLengthWithWarnings() throws Exception {
        TestData.wav(tmp.resolve("good.wav"), 1.0, 16_000);
        Path flac = noisyFlac(tmp.resolve("cut.flac"), 3.1);
        cut(flac, 0.1);
        Path wav = TestData.wav(tmp.resolve("huge.wav"), 0.5, 16_000);
        claim(wav, 2_000_000_000L);

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.skipped()).isEmpty();
        Utterance cutU = ds.utterances().stream().filter(u -> u.id().equals("cut")).findFirst().orElseThrow();
        double decodable = AudioReader.read(flac).samples().length / 16_000.0;
        assertThat(decodable).isLessThan(0.5);
        assertThat(cutU.seconds()).as("listed at what is there, not STREAMINFO's 3.1 s").isCloseTo(decodable,
                within(0.3));
        String warnings = String.join("\n", ds.warnings());
        assertThat(warnings).contains("2 file(s) only partly readable")
                .contains("cut.flac: STREAMINFO promises 49600 samples (3.10 s)").contains("truncated")
                .contains("huge.wav: the 'data' chunk claims 2000000000 bytes");
        assertThat(ds.summary().render()).contains("Warnings:").contains("cut.flac").contains("huge.wav");
        // a whole file is not remarked on
        assertThat(warnings).doesNotContain("good.wav");
    }

    @Test
    void aDamagedDuplicateIsReportedWithItsRealFaultAndTheWholeFileWins() throws Exception {
        TestData.wav(tmp.resolve("twin.wav"), 1.0, 16_000);
        cut(noisyFlac(tmp.resolve("twin.flac"), 3.1), 0.1);
        TestData.wav(tmp.resolve("pair.wav"), 1.0, 16_000);
        cut(noisyFlac(tmp.resolve("pair.flac"), 1.0), 30); // ends inside STREAMINFO: unusable

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.utterances()).extracting(u -> u.audio().getFileName().toString())
                .containsExactly("pair.wav", "twin.wav");
        SkippedFile twin = ds.skipped().stream().filter(s -> s.file().endsWith("twin.flac")).findFirst().orElseThrow();
        assertThat(twin.reason()).isEqualTo(SkippedFile.Reason.DUPLICATE_ID);
        assertThat(twin.detail()).contains("already used by twin.wav").contains("only partly readable")
                .contains("truncated");
        SkippedFile pair = ds.skipped().stream().filter(s -> s.file().endsWith("pair.flac")).findFirst().orElseThrow();
        assertThat(pair.detail()).contains("already used by pair.wav").contains("unusable: truncated");
    }
}
