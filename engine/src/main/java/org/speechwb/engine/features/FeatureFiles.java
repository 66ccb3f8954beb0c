package org.speechwb.engine.features;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.Npy;

/**
 * The folder {@code extract-features} writes, whatever model computed the features: one
 * {@code <id>.npy} per utterance (little-endian float32, C order, {@code [frames, dim]}) and
 * {@code index.tsv} ({@code id, file, frames, dim, seconds}); the caller adds its own
 * {@code features.json}. Utterances too short for one frame are reported and left out.
 */
public final class FeatureFiles {

    /** Features of one utterance in the .npy's C order: {@code values[t · dim + d]}; 0 frames when too short. */
    public record Matrix(float[] values, int frames, int dim) {
    }

    /** Which utterance was just done, and how many frames it gave. */
    public interface Progress {
        void utterance(int done, int total, Utterance u, long frames);
    }

    /** Computes the features of 16 kHz samples. */
    public interface Computation {
        Matrix compute(float[] samples) throws IOException;
    }

    /** @param dim the feature dimension (of the last file written; 0 when none was) */
    public record Written(int files, int dim) {
    }

    private FeatureFiles() {
    }

    public static Written write(List<Utterance> utterances, Path out, Progress progress, Computation features)
            throws IOException {
        Files.createDirectories(out);
        int written = 0;
        int dim = 0;
        try (BufferedWriter index = Files.newBufferedWriter(out.resolve("index.tsv"), StandardCharsets.UTF_8)) {
            index.write("id\tfile\tframes\tdim\tseconds\n");
            for (int i = 0; i < utterances.size(); i++) {
                Utterance u = utterances.get(i);
                float[] samples = AudioReader.read16k(u.audio()).samples();
                Matrix f = features.compute(samples);
                if (f.frames() == 0) {
                    progress.utterance(i + 1, utterances.size(), u, 0);
                    continue;
                }
                String name = u.id().replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
                Npy.write(out.resolve(name), f.values(), f.frames(), f.dim());
                index.write(String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%.3f%n", u.id(), name, f.frames(), f.dim(),
                        samples.length / 16000.0));
                written++;
                dim = f.dim();
                progress.utterance(i + 1, utterances.size(), u, f.frames());
            }
        }
        return new Written(written, dim);
    }
}
