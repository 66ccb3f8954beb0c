package org.speechwb.engine.eval;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Transcripts keyed by utterance id, read from a TSV file: {@code id<TAB>text} per line (a line
 * without a tab is read as Kaldi's {@code id text} layout), or a
 * file with a header line naming its columns, of which {@code id} and {@code text} are used and
 * {@code split} when present (the workbench corpus's {@code utterances.tsv}, the real-speech
 * {@code transcripts.tsv}). A header is recognised by a first line whose first column is
 * {@code id}. An empty text is allowed (an utterance decoded to nothing).
 */
public final class TranscriptTable {

    /** One transcript; {@code split} is {@link ScoreReport#ALL} when the file has no split column. */
    public record Row(String id, String text, String split, int line) {
    }

    private final Path file;
    private final Map<String, Row> rows;

    private TranscriptTable(Path file, Map<String, Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    public static TranscriptTable read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
        int idCol = 0;
        int textCol = 1;
        int splitCol = -1;
        int start = 0;
        if (!lines.isEmpty()) {
            String first = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
            String[] head = first.split("\t", -1);
            if (head[0].strip().toLowerCase(Locale.ROOT).equals("id")) {
                start = 1;
                textCol = -1;
                for (int i = 0; i < head.length; i++) {
                    String h = head[i].strip().toLowerCase(Locale.ROOT);
                    if (h.equals("text")) {
                        textCol = i;
                    } else if (h.equals("split")) {
                        splitCol = i;
                    }
                }
                if (textCol < 0) {
                    throw new IOException(file + ":1: the header has no \"text\" column (columns: " + first.replace("\t", ", ")
                            + ")");
                }
            }
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int n = start; n < lines.size(); n++) {
            String line = lines.get(n);
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (start == 0 && f.length == 1) {
                // Kaldi's "text" layout: id, a space, the words
                f = line.strip().split("\\s+", 2);
            }
            int needed = Math.max(idCol, Math.max(textCol, splitCol)) + 1;
            if (f.length < needed && !(f.length == needed - 1 && textCol == needed - 1)) {
                throw new IOException(file + ":" + (n + 1) + ": expected " + needed + " tab-separated columns, found "
                        + f.length + " (format: id<TAB>text)");
            }
            String id = f[idCol].strip();
            if (id.isEmpty()) {
                throw new IOException(file + ":" + (n + 1) + ": empty utterance id");
            }
            String text = textCol < f.length ? f[textCol].strip() : "";
            String split = splitCol >= 0 && splitCol < f.length && !f[splitCol].isBlank() ? f[splitCol].strip()
                    : ScoreReport.ALL;
            Row previous = rows.put(id, new Row(id, text, split, n + 1));
            if (previous != null) {
                throw new IOException(file + ":" + (n + 1) + ": utterance id \"" + id + "\" already on line "
                        + previous.line());
            }
        }
        return new TranscriptTable(file, rows);
    }

    public Path file() {
        return file;
    }

    public Map<String, Row> rows() {
        return rows;
    }
}
