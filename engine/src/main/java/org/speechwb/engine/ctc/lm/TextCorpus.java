package org.speechwb.engine.ctc.lm;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Sentences for language-model training and evaluation: a plain text file, one sentence per
 * line, each line put through {@link TranscriptNormalizer} so that the LM sees exactly the
 * alphabet the CTC model spells (upper case, digits spelled out, punctuation removed). Lines
 * with nothing speakable are skipped.
 */
public final class TextCorpus {

    private TextCorpus() {
    }

    /** The normalised, non-empty lines of a UTF-8 text file. */
    public static List<String> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            String s = TranscriptNormalizer.normalize(line.startsWith("\uFEFF") ? line.substring(1) : line);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * {@code sentences} without those in {@code exclude} (compared after normalisation): keeps
     * the sentences of a test set out of the LM that will decode it.
     */
    public static List<String> without(List<String> sentences, Collection<String> exclude) {
        Set<String> drop = new HashSet<>();
        for (String s : exclude) {
            drop.add(TranscriptNormalizer.normalize(s));
        }
        List<String> out = new ArrayList<>();
        for (String s : sentences) {
            if (!drop.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
