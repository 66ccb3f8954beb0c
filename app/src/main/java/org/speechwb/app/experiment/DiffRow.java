package org.speechwb.app.experiment;

/** A field whose value differs from the preset: {@code path: preset → current}. */
public record DiffRow(String path, String preset, String current) {
}
