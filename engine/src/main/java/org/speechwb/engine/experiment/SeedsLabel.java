package org.speechwb.engine.experiment;

import java.util.List;
import java.util.stream.Collectors;

/** How the experiment's reports name a set of labeled seeds, so results.md, the log and the workbench agree. */
public final class SeedsLabel {

    private SeedsLabel() {
    }

    /** "seed 1", "seeds 1, 2, 3"; "" for none. */
    public static String of(List<?> seeds) {
        return seeds.isEmpty() ? "" : (seeds.size() > 1 ? "seeds " : "seed ") + list(seeds);
    }

    /** "1, 2, 3", for a column already headed "seeds". */
    public static String list(List<?> seeds) {
        return seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
