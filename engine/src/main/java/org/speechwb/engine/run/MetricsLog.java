package org.speechwb.engine.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Append-only JSON-lines file of records (one update's metrics per line). Every line is
 * flushed to the operating system as soon as it is written, so a killed process (kill -9)
 * loses at most the line being written; a torn last line is ignored when reading.
 */
public final class MetricsLog<T> implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Class<T> type;
    private BufferedWriter out;

    public MetricsLog(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
    }

    public Path file() {
        return file;
    }

    public synchronized void append(T record) throws IOException {
        if (out == null) {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        out.write(JSON.writeValueAsString(record));
        out.write('\n');
        out.flush();
    }

    /** All complete, parseable lines; a damaged line (a crash mid-write) is skipped. */
    public List<T> readAll() throws IOException {
        return read(file, type);
    }

    public static <T> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readValue(line, type));
            } catch (JsonProcessingException e) {
                // torn line from a killed process: skip it
            }
        }
        return out;
    }

    /**
     * Rewrites the file keeping only records accepted by {@code keep} (used on resume: the
     * updates after the checkpoint will be recomputed and logged again).
     */
    public synchronized void retain(java.util.function.Predicate<T> keep) throws IOException {
        close();
        List<T> all = readAll();
        StringBuilder sb = new StringBuilder();
        for (T r : all) {
            if (keep.test(r)) {
                sb.append(JSON.writeValueAsString(r)).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
