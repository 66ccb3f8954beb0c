package org.speechwb.engine.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import org.speechwb.engine.config.ConfigIO;

/**
 * Seconds each stage of an experiment folder has taken, summed over every invocation. A long
 * experiment is stopped and continued (a crash, a closed laptop, a session's end), and each
 * invocation only times what it did itself; this file keeps the rest, so that what a run from
 * nothing costs can be told from a run that was continued. Kept in {@value #FILE}.
 */
final class StageLedger {

    static final String FILE = "stage-times.json";

    private final Path file;
    private final Map<String, Double> seconds;

    private StageLedger(Path file, Map<String, Double> seconds) {
        this.file = file;
        this.seconds = seconds;
    }

    /** The folder's ledger; empty where none was written yet (a new folder, or one older than the ledger). */
    static StageLedger open(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Map<String, Double> seconds = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                seconds.putAll(ConfigIO.json().readValue(file.toFile(), new TypeReference<Map<String, Double>>() { }));
            } catch (IOException e) {
                throw new IOException(file + " is not a stage-time ledger (" + e.getMessage()
                        + "); delete it to start the times afresh", e);
            }
        }
        return new StageLedger(file, seconds);
    }

    /** Adds time spent on a stage now, writes the ledger, and returns the stage's total. */
    double add(String stage, double secs) throws IOException {
        double total = seconds.merge(stage, secs, Double::sum);
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, ConfigIO.json().writeValueAsString(seconds));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return total;
    }

    /** The stage's total so far; 0 if it was never timed here. */
    double total(String stage) {
        return seconds.getOrDefault(stage, 0.0);
    }

    /** Every stage this folder has run, in every invocation. */
    double sum() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
