package org.speechwb.engine.corpus;

import java.util.Locale;

/** The three parts of a corpus; {@link #id()} is the name used in files ("train.tsv"). */
public enum CorpusSplit {
    TRAIN, VALID, TEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CorpusSplit fromId(String id) {
        for (CorpusSplit s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + id + "' (expected train, valid or test)");
    }
}
