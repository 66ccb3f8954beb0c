package org.speechwb.engine.experiment;

/**
 * Settings of the low-resource experiment (see {@link LowResourceExperiment}).
 *
 * @param corpus            a labeled corpus with train/valid/test splits; empty to build one with
 *                          the synthetic recipe into the experiment folder
 * @param buildTrainMinutes minutes of training audio when the corpus is built
 * @param labeledMinutes    labeled training audio for fine-tuning (the papers' 10 minutes)
 * @param pretrainPreset    pre-training preset or config file
 * @param pretrainUpdates   pre-training updates on the unlabeled rest
 * @param finetunePreset    fine-tuning preset or config file (also used, unfrozen, for the baseline)
 * @param finetuneUpdates   fine-tuning updates, the same for both models
 * @param lmOrder           word n-gram order of the language model trained on the training transcripts
 * @param beam              beam width of the LM decoding
 * @param lmWeight          α
 * @param wordBonus         β
 * @param realSpeech        extra real-speech test set (transcripts.tsv layout); empty to skip
 * @param seed              seeds the labeled subset and every run
 */
public record ExperimentConfig(String corpus, double buildTrainMinutes, double labeledMinutes, String pretrainPreset,
                               int pretrainUpdates, String finetunePreset, int finetuneUpdates, int lmOrder, int beam,
                               double lmWeight, double wordBonus, String realSpeech, long seed) {

    public ExperimentConfig {
        if (labeledMinutes <= 0) {
            throw new IllegalArgumentException("labeledMinutes must be positive, got " + labeledMinutes);
        }
        if (pretrainUpdates < 1 || finetuneUpdates < 1) {
            throw new IllegalArgumentException("pretrainUpdates and finetuneUpdates must be positive");
        }
        if (lmOrder < 1 || beam < 1) {
            throw new IllegalArgumentException("lmOrder and beam must be at least 1");
        }
        if ((corpus == null || corpus.isBlank()) && buildTrainMinutes <= labeledMinutes) {
            throw new IllegalArgumentException("a built corpus needs more training audio (buildTrainMinutes "
                    + buildTrainMinutes + ") than the labeled subset (" + labeledMinutes + " min): the rest is pre-training data");
        }
        corpus = corpus == null ? "" : corpus;
        realSpeech = realSpeech == null ? "" : realSpeech;
    }

    /** Defaults sized to finish within about two hours on a 2-core CPU. */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig("", 120, 10, "wav2vec2-small-cpu", 6000, "ctc-small-cpu", 1500, 3, 32, 0.5, 1.0,
                "datasets/real-speech", 1);
    }
}
