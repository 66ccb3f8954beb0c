package org.speechwb.engine.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Pairs hypotheses with references by utterance id and scores them.
 *
 * <p>By default both sides go through {@link TranscriptNormalizer} first, so that case,
 * punctuation and spelled-out numbers in a hypothesis file produced elsewhere do not count as
 * errors; the workbench's own decoders already emit normalised text, for which this changes
 * nothing.
 */
public final class WerScorer {

    private static final Logger LOG = LoggerFactory.getLogger(WerScorer.class);

    private final boolean normalize;

    public WerScorer(boolean normalize) {
        this.normalize = normalize;
    }

    public ScoreReport score(TranscriptTable references, TranscriptTable hypotheses) {
        return score(references.rows(), hypotheses.rows());
    }

    /** References and hypotheses keyed by id; the references' order is the report's order. */
    public ScoreReport score(Map<String, TranscriptTable.Row> references, Map<String, TranscriptTable.Row> hypotheses) {
        List<UtteranceScore> scores = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (TranscriptTable.Row ref : references.values()) {
            TranscriptTable.Row hyp = hypotheses.get(ref.id());
            if (hyp == null) {
                missing.add(ref.id());
            }
            scores.add(UtteranceScore.of(ref.id(), ref.split(), clean(ref.text()), hyp == null ? "" : clean(hyp.text())));
        }
        List<String> unmatched = new ArrayList<>();
        for (String id : hypotheses.keySet()) {
            if (!references.containsKey(id)) {
                unmatched.add(id);
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("{} reference utterance(s) have no hypothesis and are scored as empty (all deletions), e.g. {}",
                    missing.size(), missing.get(0));
        }
        if (!unmatched.isEmpty()) {
            LOG.warn("{} hypothesis id(s) have no reference and are ignored, e.g. {}", unmatched.size(), unmatched.get(0));
        }
        return new ScoreReport(scores, missing, unmatched);
    }

    private String clean(String text) {
        return normalize ? TranscriptNormalizer.normalize(text) : String.join(" ", EditAlignment.words(text));
    }
}
