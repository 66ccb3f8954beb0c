package org.speechwb.engine.train;

import java.nio.file.Path;

/**
 * What a trainer reports. Together with {@link TrainingListener} this is the only coupling
 * between the engine and anything that watches it (the workbench, the CLI, tests).
 */
public sealed interface TrainingEvent {

    /** The run is set up; {@code resumedFrom} is 0 for a fresh run. */
    record Started(String runId, Path runDir, String device, long parameters, int resumedFrom, int maxUpdates)
            implements TrainingEvent {
    }

    /** One optimiser update finished (or was skipped); {@code codeCounts[g][v]} over its masked frames. */
    record Updated(UpdateMetrics metrics, long[][] codeCounts) implements TrainingEvent {
    }

    record CheckpointSaved(Path file, int update) implements TrainingEvent {
    }

    /** One CTC fine-tuning update finished. */
    record FinetuneUpdated(FinetuneMetrics metrics) implements TrainingEvent {
    }

    /** A validation pass of a fine-tuning run finished. */
    record Validated(ValidationResult result) implements TrainingEvent {
    }

    /** Something the researcher should see now. */
    record Warning(Kind kind, String message, int update) implements TrainingEvent {
        public enum Kind { CHANCE_LEVEL, CODEBOOK_COLLAPSE, NON_FINITE, DATA, CHECKPOINT }
    }

    record StateChanged(RunState state, String message) implements TrainingEvent {
    }
}
