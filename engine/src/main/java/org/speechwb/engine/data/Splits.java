package org.speechwb.engine.data;

import java.util.List;

/** A train/valid/test partition of utterances; each list is sorted by id. */
public record Splits(List<Utterance> train, List<Utterance> valid, List<Utterance> test) {

    public Splits {
        train = List.copyOf(train);
        valid = List.copyOf(valid);
        test = List.copyOf(test);
    }

    public int size() {
        return train.size() + valid.size() + test.size();
    }

    /** The split called "train", "valid" or "test". */
    public List<Utterance> get(String name) {
        return switch (name) {
            case "train" -> train;
            case "valid" -> valid;
            case "test" -> test;
            default -> throw new IllegalArgumentException("no split '" + name + "' (train, valid, test)");
        };
    }
}
