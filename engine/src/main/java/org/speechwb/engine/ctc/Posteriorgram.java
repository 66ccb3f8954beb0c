package org.speechwb.engine.ctc;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.text.Vocabulary;

/**
 * Per-frame token probabilities of one utterance, the picture researchers look at to see what a
 * CTC model has learned (peaky letter spikes on a blank background when it works, a flat or
 * all-blank image when it has collapsed). Plain data for drawing: frame t, class c →
 * {@code probabilities[t][c]}; the arrays are shared, not copied.
 *
 * @param symbols      one label per class (the vocabulary's tokens)
 * @param frameSeconds seconds per frame, for a time axis
 */
public record Posteriorgram(float[][] probabilities, List<String> symbols, double frameSeconds) {

    /** From log-posteriors {@code [frames][classes]}. */
    public static Posteriorgram fromLogProbs(float[][] logProbs, Vocabulary vocabulary, double frameSeconds) {
        float[][] p = new float[logProbs.length][];
        for (int t = 0; t < logProbs.length; t++) {
            if (logProbs[t].length != vocabulary.size()) {
                throw new IllegalArgumentException("frame " + t + " has " + logProbs[t].length
                        + " classes but the vocabulary has " + vocabulary.size());
            }
            p[t] = new float[logProbs[t].length];
            for (int c = 0; c < p[t].length; c++) {
                p[t][c] = (float) Math.exp(logProbs[t][c]);
            }
        }
        return new Posteriorgram(p, vocabulary.tokens(), frameSeconds);
    }

    /** From the logits {@code [B, T, C]} of utterance {@code b}, its first {@code frames} frames. */
    public static Posteriorgram fromLogits(INDArray logits, int b, int frames, Vocabulary vocabulary, double frameSeconds) {
        return fromLogProbs(LogProbs.utteranceLogSoftmax(logits, b, frames), vocabulary, frameSeconds);
    }

    public int frames() {
        return probabilities.length;
    }

    public int classes() {
        return symbols.size();
    }

    /** The most probable class of frame {@code t}. */
    public int argmax(int t) {
        float[] row = probabilities[t];
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** CSV: {@code frame,seconds,<one column per symbol>}, probabilities with 6 decimals. */
    public void writeCsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder head = new StringBuilder("frame,seconds");
            for (String s : symbols) {
                head.append(',').append(s.equals(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s);
            }
            w.write(head.append('\n').toString());
            for (int t = 0; t < probabilities.length; t++) {
                StringBuilder row = new StringBuilder();
                row.append(t).append(',').append(String.format(Locale.ROOT, "%.3f", t * frameSeconds));
                for (float v : probabilities[t]) {
                    row.append(',').append(String.format(Locale.ROOT, "%.6f", v));
                }
                w.write(row.append('\n').toString());
            }
        }
    }
}
