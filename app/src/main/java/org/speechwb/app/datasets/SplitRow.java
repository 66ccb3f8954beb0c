package org.speechwb.app.datasets;

/** One line of the split table. */
public record SplitRow(String split, int utterances, double hours, int speakers, boolean trainsOn) {
}
