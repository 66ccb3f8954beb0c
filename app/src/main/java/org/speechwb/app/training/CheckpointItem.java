package org.speechwb.app.training;

import java.nio.file.Path;

/** A checkpoint as the list shows it. */
public record CheckpointItem(int update, Path file) {
    @Override
    public String toString() {
        return "update " + update + " · " + file.getFileName();
    }
}
