package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.speechwb.engine.audio.FlacWriter;
import org.speechwb.engine.audio.WavWriter;

/** Builds tiny audio trees and synthetic utterances for the dataset tests. */
final class TestData {

    private TestData() {
    }

    /** The repository root, found by walking up from the working directory to the folder holding datasets/. */
    static Path repoRoot() {
        return org.speechwb.engine.testutil.RepoFiles.root();
    }

    static float[] tone(int samples, int rate) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (0.25 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return x;
    }

    /** A 16-bit PCM WAV of {@code seconds} at {@code rate}; creates parent folders. */
    static Path wav(Path file, double seconds, int rate) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        WavWriter.write(file, tone((int) Math.round(seconds * rate), rate), rate, WavWriter.Encoding.PCM_S16);
        return file;
    }

    static Path flac(Path file, double seconds, int rate) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FlacWriter.write(file, tone((int) Math.round(seconds * rate), rate), rate);
        return file;
    }

    static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** An utterance that exists only in memory (for splitting and batching tests with a fake loader). */
    static Utterance utt(String id, String speaker, String transcript, long samples16k) {
        return new Utterance(id, Path.of("/virtual").resolve(id + ".wav"), speaker, transcript, 16_000, samples16k,
                null);
    }
}
