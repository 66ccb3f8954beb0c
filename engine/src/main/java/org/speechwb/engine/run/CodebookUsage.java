package org.speechwb.engine.run;

/**
 * Code usage counts summed over a window of updates ending at {@code update}: how often each
 * of the V entries of each group was chosen (argmax) at masked frames. One line of a run's
 * {@code codebook.jsonl}; the workbench draws usage histograms and the usage heatmap from it.
 */
public record CodebookUsage(int update, long[][] counts) {
}
