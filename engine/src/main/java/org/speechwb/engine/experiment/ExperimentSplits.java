package org.speechwb.engine.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.train.TrainingData;

/**
 * The experiment's speaker-disjoint protocol. A corpus with predefined splits keeps them; one
 * without (a Kaldi directory, a folder) is split by speaker with a fixed seed, independent of the
 * labeled-subset seeds, so every seed and every arm sees the same test and validation speakers.
 * Test speakers are held out of everything: pre-training, labeled subsets, validation, the LM.
 *
 * @param train      everything the models may learn from: pre-training audio (transcribed or not)
 *                   and the pool the labeled subsets are drawn from
 * @param valid      transcribed utterances of the validation speakers (for choosing checkpoints and settings)
 * @param test       transcribed utterances of the test speakers (scored only)
 * @param untranscribedHeldOut untranscribed utterances of validation and test speakers, left out
 * @param description one line for the log and the report
 */
public record ExperimentSplits(List<Utterance> train, List<Utterance> valid, List<Utterance> test,
                               int untranscribedHeldOut, String description) {

    /** Seed of the speaker split; fixed so that seeds vary only the labeled subsets. */
    public static final long SPEAKER_SPLIT_SEED = 20261203L;

    public static ExperimentSplits of(Dataset ds, double validFraction, double testFraction) {
        boolean predefined = ds.utterances().stream().anyMatch(u -> u.split() != null);
        Splits s;
        String how;
        if (predefined) {
            s = new Splits(TrainingData.select(ds, "train"), TrainingData.select(ds, "valid"),
                    TrainingData.select(ds, "test"));
            how = "the corpus' own train/valid/test splits";
        } else {
            s = DatasetSplitter.bySpeaker(ds.utterances(), validFraction, testFraction, SPEAKER_SPLIT_SEED);
            how = String.format(Locale.ROOT, "split by speaker (valid %.0f %%, test %.0f %% of the audio, seed %d)",
                    100 * validFraction, 100 * testFraction, SPEAKER_SPLIT_SEED);
        }
        Set<String> trainSpeakers = speakers(s.train());
        Set<String> overlap = new TreeSet<>(speakers(s.test()));
        overlap.retainAll(trainSpeakers);
        if (!overlap.isEmpty() && !predefined) {
            throw new IllegalStateException("speaker split leaked test speakers into training: " + overlap);
        }
        List<Utterance> valid = s.valid().stream().filter(Utterance::labeled).toList();
        List<Utterance> test = s.test().stream().filter(Utterance::labeled).toList();
        int dropped = s.valid().size() - valid.size() + s.test().size() - test.size();
        if (valid.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException(ds.root() + ": the experiment needs transcribed validation and test "
                    + "utterances, got " + valid.size() + " and " + test.size());
        }
        String desc = String.format(Locale.ROOT, "%s: train %d speakers (%d utterances, %.1f min, %d transcribed), "
                        + "valid %d speakers (%d transcribed utterances), test %d speakers (%d transcribed utterances)%s%s",
                how, trainSpeakers.size(), s.train().size(), minutes(s.train()),
                s.train().stream().filter(Utterance::labeled).count(), speakers(valid).size(), valid.size(),
                speakers(test).size(), test.size(),
                dropped > 0 ? "; " + dropped + " untranscribed held-out utterance(s) left out" : "",
                overlap.isEmpty() ? "" : "; WARNING: the corpus' own splits share speakers " + overlap);
        return new ExperimentSplits(s.train(), valid, test, dropped, desc);
    }

    static Set<String> speakers(List<Utterance> us) {
        return us.stream().map(u -> u.speaker() == null ? "?" : u.speaker()).collect(Collectors.toCollection(TreeSet::new));
    }

    static double minutes(List<Utterance> us) {
        return us.stream().mapToDouble(Utterance::seconds).sum() / 60;
    }
}
