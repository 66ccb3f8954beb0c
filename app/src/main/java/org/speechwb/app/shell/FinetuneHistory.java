package org.speechwb.app.shell;

import java.io.IOException;
import java.util.List;

import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * What a fine-tuning run has written so far: one line per update in {@code metrics.jsonl} and
 * one per validation pass in {@code validation.jsonl}. Read off the FX thread.
 */
public record FinetuneHistory(List<FinetuneMetrics> metrics, List<ValidationResult> validations) {

    public FinetuneHistory {
        metrics = List.copyOf(metrics);
        validations = List.copyOf(validations);
    }

    public static FinetuneHistory read(RunFolder run) throws IOException {
        return new FinetuneHistory(MetricsLog.read(run.metricsFile(), FinetuneMetrics.class),
                MetricsLog.read(run.validationFile(), ValidationResult.class));
    }

    public FinetuneMetrics last() {
        return metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
    }

    /** The validation of the checkpoint the run kept ({@link ValidationResult#kept}); null before the first. */
    public ValidationResult best() {
        return ValidationResult.kept(validations);
    }
}
