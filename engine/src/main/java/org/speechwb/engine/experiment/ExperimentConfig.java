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
 * @param featurePreset     wav2vec 1.0 pre-training preset or config file for the feature comparison (the papers'
 *                          frozen context features vs 80 log-mel); empty to skip that part
 * @param featureUpdates    wav2vec 1.0 pre-training updates on the unlabeled rest
 * @param acousticUpdates   updates of the small acoustic model, the same for both inputs
 * @param labeledVoices     draw the labeled subset from this many training voices only (0: from all), so that
 *                          the unlabeled audio covers voices the labeled subset lacks, as in the papers
 */
public record ExperimentConfig(String corpus, double buildTrainMinutes, double labeledMinutes, String pretrainPreset,
                               int pretrainUpdates, String finetunePreset, int finetuneUpdates, int lmOrder, int beam,
                               double lmWeight, double wordBonus, String realSpeech, long seed, String featurePreset,
                               int featureUpdates, int acousticUpdates, int labeledVoices) {

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
        if (labeledVoices < 0) {
            throw new IllegalArgumentException("labeledVoices cannot be negative (0 means all), got " + labeledVoices);
        }
        featurePreset = featurePreset == null ? "" : featurePreset;
        if (!featurePreset.isBlank() && (featureUpdates < 1 || acousticUpdates < 1)) {
            throw new IllegalArgumentException("featureUpdates and acousticUpdates must be positive");
        }
        corpus = corpus == null ? "" : corpus;
        realSpeech = realSpeech == null ? "" : realSpeech;
    }

    /** Defaults sized to finish within about two hours on a 2-core CPU. */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig("", 120, 10, "wav2vec2-small-cpu", 6000, "ctc-small-cpu", 1500, 3, 32, 0.5, 1.0,
                "datasets/real-speech", 1, "wav2vec1-small-cpu", 1500, 2000, 0);
    }
}
