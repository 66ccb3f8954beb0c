package org.speechwb.engine.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of a set of utterances with per-split and overall summaries, plus what did not pair up
 * (reference ids without a hypothesis are scored as empty hypotheses, i.e. all deletions, and
 * listed; hypothesis ids without a reference are ignored and listed).
 */
public final class ScoreReport {

    /** Name of the summary over all splits, and the split of utterances whose reference names none. */
    public static final String ALL = "all";

    private final List<UtteranceScore> utterances;
    private final List<String> missingHypotheses;
    private final List<String> unmatchedHypotheses;

    public ScoreReport(List<UtteranceScore> utterances, List<String> missingHypotheses, List<String> unmatchedHypotheses) {
        this.utterances = List.copyOf(utterances);
        this.missingHypotheses = List.copyOf(missingHypotheses);
        this.unmatchedHypotheses = List.copyOf(unmatchedHypotheses);
    }

    public List<UtteranceScore> utterances() {
        return utterances;
    }

    public List<String> missingHypotheses() {
        return missingHypotheses;
    }

    public List<String> unmatchedHypotheses() {
        return unmatchedHypotheses;
    }

    /** One summary per split, in order of first appearance. */
    public List<SplitSummary> bySplit() {
        Map<String, List<UtteranceScore>> groups = new LinkedHashMap<>();
        for (UtteranceScore u : utterances) {
            groups.computeIfAbsent(u.split(), k -> new ArrayList<>()).add(u);
        }
        List<SplitSummary> out = new ArrayList<>();
        for (Map.Entry<String, List<UtteranceScore>> e : groups.entrySet()) {
            out.add(summarise(e.getKey(), e.getValue()));
        }
        return out;
    }

    public SplitSummary overall() {
        return summarise(ALL, utterances);
    }

    private static SplitSummary summarise(String split, List<UtteranceScore> us) {
        ErrorCounts w = ErrorCounts.ZERO;
        ErrorCounts c = ErrorCounts.ZERO;
        int wrong = 0;
        for (UtteranceScore u : us) {
            w = w.plus(u.wordCounts());
            c = c.plus(u.characters());
            if (u.wordCounts().errors() > 0) {
                wrong++;
            }
        }
        return new SplitSummary(split, us.size(), w, c, wrong);
    }
}
