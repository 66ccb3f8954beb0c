package org.speechwb.app.training;

import java.time.Instant;

import org.speechwb.engine.train.TrainingEvent;

/** A warning as the list shows it; {@code update} is -1 when only the log knows it. */
public record WarningItem(TrainingEvent.Warning.Kind kind, String message, int update, Instant time) {
    @Override
    public String toString() {
        return (update >= 0 ? "update " + update + " · " : "") + message;
    }
}
