package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** UTF-8 metadata reading shared by the readers (a leading BOM from spreadsheet tools is dropped). */
final class TextFiles {

    private TextFiles() {
    }

    static List<String> lines(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new DatasetFormatException(file, "not UTF-8 text");
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    /** Collapses runs of whitespace (tabs, newlines) to single spaces and trims. */
    static String normaliseText(String s) {
        return s == null ? null : s.strip().replaceAll("\\s+", " ");
    }
}
