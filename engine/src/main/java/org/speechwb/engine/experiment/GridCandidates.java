package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.speechwb.engine.eval.ModelSelection;

/**
 * One arm's grid: every candidate setting with its validation figures averaged over the seeds it
 * was trained on, and the choice among them. The experiment chooses with it, and the report and
 * the workbench list it, so all three agree on what was chosen and why.
 */
public final class GridCandidates {

    /**
     * One candidate setting.
     *
     * @param candidate its index in the arm's grid
     * @param validWer  mean over {@code seeds} of each model's best validation WER (a fraction)
     * @param validCer  the same for CER
     */
    public record Candidate(int candidate, List<String> setting, List<Long> seeds, double validWer,
                            double validCer) {

        /** The seeds it was judged on, as "1, 2, 3". */
        public String seedsText() {
            return SeedsLabel.list(seeds);
        }

        /** The seeds it was judged on, as "seed 1" or "seeds 1, 2, 3". */
        public String seedsLabel() {
            return SeedsLabel.of(seeds);
        }
    }

    private GridCandidates() {
    }

    /** The candidates of one arm's grid results (one per candidate and seed), in grid order. */
    public static List<Candidate> of(List<LowResourceExperiment.ArmResult> results) {
        Map<Integer, List<LowResourceExperiment.ArmResult>> byCandidate = new LinkedHashMap<>();
        results.stream().sorted(java.util.Comparator.comparingInt(LowResourceExperiment.ArmResult::candidate))
                .forEach(r -> byCandidate.computeIfAbsent(r.candidate(), k -> new ArrayList<>()).add(r));
        List<Candidate> out = new ArrayList<>();
        byCandidate.forEach((i, rs) -> out.add(new Candidate(i, rs.get(0).setting(),
                rs.stream().map(LowResourceExperiment.ArmResult::seed).toList(),
                rs.stream().mapToDouble(LowResourceExperiment.ArmResult::validWer).average().orElse(Double.NaN),
                rs.stream().mapToDouble(LowResourceExperiment.ArmResult::validCer).average().orElse(Double.NaN))));
        return out;
    }

    /**
     * The candidate with the best mean validation result ({@code rule} on the means); the earlier
     * one on a tie. Means rather than a vote, because the rule already weighs how far apart two
     * settings are, and one seed's large gap should count for more than another's small one.
     */
    public static Candidate best(List<Candidate> candidates, ModelSelection rule) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no grid candidates to choose from");
        }
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (rule.better(c.validWer(), c.validCer(), best.validWer(), best.validCer())) {
                best = c;
            }
        }
        return best;
    }
}
