package org.speechwb.engine.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Sentences that must not appear anywhere in a synthetic corpus, matched approximately.
 *
 * <p>The real-speech transcripts we evaluate on were written by ear and do not spell the
 * Harvard sentences exactly ("KEN PAIRS LACK FULL FLAVOR" for "Canned pears lack full flavor",
 * "TEAR THIN SHEEP FROM THE OTHER PAT" for "Tear a thin sheet from the yellow pad"), so an
 * exact match would let those sentences leak into training. A prompt is excluded when the
 * character edit distance between the normalised texts is at most {@value #MAX_DISTANCE_RATIO}
 * of the longer one. On the 720 Harvard sentences the real transcripts match their sentence at
 * 0.27 or less, while the nearest other sentence is at 0.46 or more, and no two Harvard sentences
 * are closer than 0.43 to each other, so the threshold neither misses nor over-excludes.
 */
public final class SentenceExclusion {

    static final double MAX_DISTANCE_RATIO = 0.35;

    private final List<String> sentences;

    public SentenceExclusion(List<String> sentences) {
        this.sentences = sentences.stream().map(TranscriptNormalizer::normalize).filter(s -> !s.isEmpty()).toList();
    }

    public static SentenceExclusion none() {
        return new SentenceExclusion(List.of());
    }

    /**
     * Reads the sentences to exclude: a TSV with a header that has a {@code text} column (like
     * datasets/real-speech/transcripts.tsv), or else a plain file with one sentence a line.
     */
    public static SentenceExclusion read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the exclusion list " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            return none();
        }
        int textColumn = Arrays.asList(lines.get(0).split("\t", -1)).indexOf("text");
        List<String> out = new ArrayList<>();
        for (String line : textColumn >= 0 ? lines.subList(1, lines.size()) : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (textColumn >= 0) {
                String[] fields = line.split("\t", -1);
                if (fields.length <= textColumn) {
                    throw new IOException(file + ": row without a text column: " + line);
                }
                out.add(fields[textColumn]);
            } else {
                out.add(line);
            }
        }
        return new SentenceExclusion(out);
    }

    /** The normalised sentences this exclusion holds. */
    public List<String> sentences() {
        return sentences;
    }

    /** The excluded sentence that {@code transcript} matches, if any. */
    public Optional<String> match(String transcript) {
        String t = TranscriptNormalizer.normalize(transcript);
        for (String s : sentences) {
            if (similar(t, s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    static boolean similar(String a, String b) {
        int longer = Math.max(a.length(), b.length());
        if (longer == 0) {
            return true;
        }
        int budget = (int) Math.floor(MAX_DISTANCE_RATIO * longer);
        if (Math.abs(a.length() - b.length()) > budget) {
            return false;
        }
        return editDistance(a, b) <= budget;
    }

    /** Levenshtein distance (insert, delete, substitute, each cost 1). */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            char ca = a.charAt(i - 1);
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (ca == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
