package org.speechwb.engine.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.speechwb.engine.experiment.LowResourceExperiment.StageTime;

/**
 * The stage times of one invocation of an experiment, each stage listed once, with the folder's
 * {@link StageLedger} behind them. A stage that first needs a shared one (pre-training, the
 * language model, the probes) triggers it inside its own time; {@link #ownSeconds} takes that
 * nested time out, so the report's stage times add up to the wall clock.
 */
final class StageClock {

    /** When a stage started, and how many stages had been recorded by then. */
    record Mark(long nanos, int stagesBefore) {
    }

    private final StageLedger ledger;
    private final List<StageTime> stages = new ArrayList<>();
    /** Ids of the stages listed in this invocation: a cached result read twice (grid, then scoring) is one row. */
    private final Set<String> listed = new HashSet<>();

    StageClock(StageLedger ledger) {
        this.ledger = ledger;
    }

    Mark start() {
        return new Mark(System.nanoTime(), stages.size());
    }

    /** Seconds since {@code m} less those of the stages recorded since then. */
    double ownSeconds(Mark m) {
        double nested = stages.subList(m.stagesBefore(), stages.size()).stream().mapToDouble(StageTime::seconds).sum();
        return Math.max(0, (System.nanoTime() - m.nanos()) / 1e9 - nested);
    }

    /** Records a stage's time here and in the folder's ledger; a reused stage took none. */
    void record(String id, String label, double seconds, boolean reused) throws IOException {
        if (!listed.add(id) && reused) {
            return;
        }
        stages.add(reused ? new StageTime(label, 0, true, ledger.total(id))
                : new StageTime(label, seconds, false, ledger.add(id, seconds)));
    }

    /** Time spent on a stage that did not finish (it continues next invocation): the ledger keeps it, the list does not. */
    void unfinished(String id, double seconds) throws IOException {
        ledger.add(id, seconds);
    }

    List<StageTime> stages() {
        return List.copyOf(stages);
    }

    /** Every stage the folder has run, in every invocation. */
    double folderSeconds() {
        return ledger.sum();
    }
}
