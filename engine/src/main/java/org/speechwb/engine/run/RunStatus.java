package org.speechwb.engine.run;

import org.speechwb.engine.train.RunState;

/** The small file that tells, without reading metrics, where a run stands. */
public record RunStatus(RunState state, int update, int maxUpdates, String updatedAt, String message) {
}
