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
    private final Mirror mirror;
    private BufferedWriter out;

    /**
     * Receives every appended record's numeric fields as well (e.g. a TensorBoard event file).
     * Its failures are the mirror's own business: the metrics file is the record of the run.
     */
    public interface Mirror extends AutoCloseable {
        /** @param values field name (arrays as {@code name/1}, {@code name/2}, …) to value */
        void record(long step, java.util.Map<String, Double> values);

        @Override
        void close();
    }

    public MetricsLog(Path file, Class<T> type) {
        this(file, type, null);
    }

    public MetricsLog(Path file, Class<T> type, Mirror mirror) {
        this.file = file;
        this.type = type;
        this.mirror = mirror;
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
        if (mirror != null) {
            com.fasterxml.jackson.databind.JsonNode node = JSON.valueToTree(record);
            java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                com.fasterxml.jackson.databind.JsonNode v = e.getValue();
                if (v.isNumber() && !e.getKey().equals("update")) {
                    values.put(e.getKey(), v.asDouble());
                } else if (v.isArray()) {
                    for (int i = 0; i < v.size(); i++) {
                        if (v.get(i).isNumber()) {
                            values.put(e.getKey() + "/" + (i + 1), v.get(i).asDouble());
                        }
                    }
                }
            });
            mirror.record(node.path("update").asLong(), values);
        }
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
        closeWriter();
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
        if (mirror != null) {
            mirror.close();
        }
        closeWriter();
    }

    private void closeWriter() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
