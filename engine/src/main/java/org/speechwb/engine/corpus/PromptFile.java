package org.speechwb.engine.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Reads a prompt file: one sentence a line, UTF-8; blank lines and lines starting with '#' are
 * skipped, as are lines with nothing speakable and repeats of an earlier sentence (same
 * normalised transcript), because a repeated sentence could land in two splits and break the
 * sentence-disjointness of the corpus.
 */
public final class PromptFile {

    private PromptFile() {
    }

    public static List<Prompt> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the prompt file " + file + ": " + e.getMessage(), e);
        }
        return parse(lines);
    }

    static List<Prompt> parse(List<String> lines) {
        List<Prompt> prompts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip().replaceAll("\\s+", " ");
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String transcript = TranscriptNormalizer.normalize(text);
            if (!transcript.isEmpty() && seen.add(transcript)) {
                prompts.add(new Prompt(i + 1, text, transcript));
            }
        }
        return prompts;
    }
}
