package org.speechwb.engine.experiment;

import java.util.List;

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

    /** (baseline − model) / baseline in percent; 0 for a zero baseline. */
    public static double reduction(double baseline, double model) {
        return baseline == 0 ? 0 : 100 * (baseline - model) / baseline;
    }
}
