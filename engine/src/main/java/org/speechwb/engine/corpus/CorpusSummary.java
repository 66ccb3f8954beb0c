package org.speechwb.engine.corpus;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a build, as recorded in corpus.json.
 *
 * @param toolVersions program name to version string
 * @param audioBytes   total size of the FLAC files
 */
public record CorpusSummary(List<SplitSummary> splits, Map<String, String> toolVersions,
                            List<CorpusSplitPlan.Excluded> excluded, long audioBytes) {

    public SplitSummary split(CorpusSplit split) {
        return splits.stream().filter(s -> s.split() == split).findFirst().orElseThrow();
    }

    public double totalSeconds() {
        return splits.stream().mapToDouble(SplitSummary::seconds).sum();
    }

    public int totalUtterances() {
        return splits.stream().mapToInt(SplitSummary::utterances).sum();
    }
}
