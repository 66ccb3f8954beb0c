package org.speechwb.app.training;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.TrainingEvent;

/** The warnings of a reopened run, read back from its log. */
final class LogWarnings {

    private LogWarnings() {
    }

    /** Warnings of a reopened run: the engine logs each one to log.txt as "warning: …". */
    static List<WarningItem> read(RunFolder run) throws IOException {
        List<WarningItem> out = new ArrayList<>();
        if (!Files.isRegularFile(run.logFile())) {
            return out;
        }
        for (String line : Files.readAllLines(run.logFile())) {
            int i = line.indexOf("  warning: ");
            if (i < 0) {
                continue;
            }
            String msg = line.substring(i + "  warning: ".length());
            Instant t;
            try {
                t = Instant.parse(line.substring(0, i).trim());
            } catch (RuntimeException e) {
                t = null;
            }
            out.add(new WarningItem(kindOf(msg), msg, -1, t));
        }
        return out;
    }

    /** The kind a warning's text suggests (the log keeps only the text). */
    static TrainingEvent.Warning.Kind kindOf(String msg) {
        String m = msg.toLowerCase(Locale.ROOT);
        if (m.contains("chance")) {
            return TrainingEvent.Warning.Kind.CHANCE_LEVEL;
        }
        if (m.contains("codebook") || m.contains("collapse") || m.contains("perplexity")) {
            return TrainingEvent.Warning.Kind.CODEBOOK_COLLAPSE;
        }
        if (m.contains("non-finite") || m.contains("nan")) {
            return TrainingEvent.Warning.Kind.NON_FINITE;
        }
        if (m.contains("checkpoint")) {
            return TrainingEvent.Warning.Kind.CHECKPOINT;
        }
        return TrainingEvent.Warning.Kind.DATA;
    }
}
