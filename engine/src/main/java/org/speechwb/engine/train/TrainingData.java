package org.speechwb.engine.train;

import java.util.List;
import java.util.Locale;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;

/** Which utterances of a dataset a run trains on. */
public final class TrainingData {

    private TrainingData() {
    }

    /**
     * @param split "all", or a split name ("train", "valid", "test"); when the dataset defines
     *              no splits at all, every utterance is used for "train"
     */
    public static List<Utterance> select(Dataset dataset, String split) {
        String s = split == null ? "train" : split.toLowerCase(Locale.ROOT);
        if (s.equals("all")) {
            return dataset.utterances();
        }
        boolean anySplit = dataset.utterances().stream().anyMatch(u -> u.split() != null);
        if (!anySplit) {
            if (s.equals("train")) {
                return dataset.utterances();
            }
            throw new IllegalArgumentException(dataset.root() + " defines no splits; use split 'all' or 'train'");
        }
        List<Utterance> out = dataset.utterances().stream().filter(u -> s.equals(u.split())).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dataset.root() + " has no utterances in split '" + s + "'");
        }
        return out;
    }
}
