package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One comparison the experiment reports as a relative reduction, (baseline − model) / baseline:
 * the papers' two and the controls. The report and the workbench both list these, so an arm
 * added here shows in both.
 *
 * @param baseline arm key of the reference
 * @param model    arm key of the arm compared with it
 * @param title    the report's wording
 * @param label    a short form for a table column
 */
public record Comparison(String baseline, String model, String title, String label) {

    /** In the order the report gives them. */
    public static final List<Comparison> ALL = List.of(
            new Comparison("scratch", "wav2vec2", "wav2vec 2.0 pre-training over scratch",
                    "wav2vec 2.0 pre-training over scratch"),
            new Comparison("logmel", "wav2vec1", "wav2vec 1.0 features over log-mel", "wav2vec 1.0 features over log-mel"),
            new Comparison("wav2vec1-random", "wav2vec1",
                    "pre-trained wav2vec 1.0 context over the same at random initialisation",
                    "pre-trained context over random init"),
            new Comparison("logmel", "wav2vec2-features", "wav2vec 2.0 layer over log-mel", "wav2vec 2.0 layer over log-mel"),
            new Comparison("wav2vec2-random-features", "wav2vec2-features",
                    "pre-trained wav2vec 2.0 layer over the same layer at random initialisation",
                    "pre-trained layer over random init"));

    /**
     * The reduction on one decoder, of the means over the seeds both arms have scored.
     *
     * @param seeds those seeds, in increasing order; empty when an aggregate predates
     *              per-seed figures (its mean over all its seeds is used)
     * @param partial whether either arm has a scored seed the other lacks (a run in progress):
     *                the arms' own means, over their own seeds, would not be comparable
     */
    public record Reduction(double wer, double cer, List<String> seeds, boolean partial) {
        public Reduction {
            seeds = List.copyOf(seeds);
        }

        /** "seed 1", "seeds 1, 2, 3"; "" when the seeds are not known. */
        public String seedsLabel() {
            return SeedsLabel.of(seeds);
        }
    }

    /** This comparison on one decoder, or empty when the two arms share no scored seed. */
    public static Optional<Reduction> of(LowResourceExperiment.Aggregate baseline, LowResourceExperiment.Aggregate model) {
        if (baseline == null || model == null) {
            return Optional.empty();
        }
        Map<String, Map<String, Double>> b = baseline.perSeed();
        Map<String, Map<String, Double>> m = model.perSeed();
        if (b == null || b.isEmpty() || m == null || m.isEmpty()) {
            return Optional.of(new Reduction(reduction(baseline.wer(), model.wer()), reduction(baseline.cer(),
                    model.cer()), List.of(), false));
        }
        List<String> common = new ArrayList<>(b.keySet());
        common.retainAll(m.keySet());
        common.sort(Comparator.comparing((String seed) -> seed.length()).thenComparing(seed -> seed)); // 2 before 10
        if (common.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Reduction(reduction(mean(b, common, "wer"), mean(m, common, "wer")),
                reduction(mean(b, common, "cer"), mean(m, common, "cer")), common,
                common.size() < b.size() || common.size() < m.size()));
    }

    private static double mean(Map<String, Map<String, Double>> perSeed, List<String> seeds, String metric) {
        return seeds.stream().mapToDouble(s -> perSeed.get(s).get(metric)).average().orElseThrow();
    }

    /** (baseline − model) / baseline in percent; NaN (no relative change exists) for a zero baseline. */
    public static double reduction(double baseline, double model) {
        return baseline == 0 ? Double.NaN : 100 * (baseline - model) / baseline;
    }

    /** "+9.2 %", or "–" where there is no relative change (a zero baseline). */
    public static String percent(double reduction) {
        return Double.isNaN(reduction) ? "–" : String.format(java.util.Locale.ROOT, "%+.1f %%", reduction);
    }
}
