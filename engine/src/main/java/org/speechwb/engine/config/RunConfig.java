package org.speechwb.engine.config;

/**
 * Length and bookkeeping of a run.
 *
 * @param maxUpdates          optimiser updates to run (400 000 for BASE)
 * @param checkpointInterval  updates between checkpoints
 * @param keepCheckpoints     newest checkpoints kept on disk (older ones are deleted)
 * @param seed                seeds initialisation, batch order, masks, negatives and noise
 * @param nanTolerance        consecutive non-finite updates skipped before the run stops
 * @param warnAfterUpdates    health warnings (chance-level loss, codebook collapse) only after this many updates
 */
public record RunConfig(int maxUpdates, int checkpointInterval, int keepCheckpoints, long seed, int nanTolerance,
                        int warnAfterUpdates) {

    public RunConfig {
        if (maxUpdates < 1) {
            throw new IllegalArgumentException("run.maxUpdates must be at least 1, got " + maxUpdates);
        }
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("run.checkpointInterval must be at least 1, got " + checkpointInterval);
        }
        if (keepCheckpoints < 1) {
            throw new IllegalArgumentException("run.keepCheckpoints must be at least 1, got " + keepCheckpoints);
        }
        if (nanTolerance < 1) {
            throw new IllegalArgumentException("run.nanTolerance must be at least 1, got " + nanTolerance);
        }
        if (warnAfterUpdates < 0) {
            throw new IllegalArgumentException("run.warnAfterUpdates cannot be negative, got " + warnAfterUpdates);
        }
    }
}
