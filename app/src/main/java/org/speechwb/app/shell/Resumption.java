package org.speechwb.app.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;

/**
 * The data a stopped run goes on with: the dataset its provenance names (refused when its
 * fingerprint changed, since that would not continue the same run) and the utterances the
 * trainer recorded when it started. Prepared off the FX thread, started on it.
 */
public record Resumption(RunFolder run, boolean finetune, List<Utterance> train, List<Utterance> valid,
                         String description) {

    /** Reads what {@code run} needs to resume; {@code train} falls back to the recorded split for old runs. */
    public static Resumption prepare(RunFolder run) throws IOException {
        Provenance prov = run.provenance();
        Dataset ds = DatasetLoader.open(Path.of(prov.datasetPath()));
        if (!ds.fingerprint().equals(prov.datasetFingerprint())) {
            throw new IOException("the data at " + prov.datasetPath() + " differs from what run " + run.id()
                    + " was trained on (fingerprint " + ds.fingerprint() + " vs " + prov.datasetFingerprint()
                    + "); resuming would not continue the same run");
        }
        boolean ft = run.isFinetune();
        List<Utterance> train;
        List<Utterance> valid = List.of();
        if (ft) {
            train = run.readUtterances("train", ds);
            valid = run.hasUtterances("valid") ? run.readUtterances("valid", ds) : List.of();
        } else if (run.hasUtterances("train")) {
            train = run.readUtterances("train", ds);
        } else {
            SplitChoice choice = SplitChoice.parse(prov.split());
            train = choice.trainingSet(choice.apply(ds));
        }
        String desc = String.format(Locale.ROOT, "%s, %s: %d utterances%s", ds.root().getFileName(), prov.split(),
                train.size(), ft ? ", " + valid.size() + " for validation" : "");
        return new Resumption(run, ft, train, valid, desc);
    }

    /** Starts the trainer; call on the UI thread. */
    public ActiveRun start(WorkbenchSession session) {
        return start(session, null);
    }

    /**
     * Starts the trainer up to {@code maxUpdates} instead of the config's {@code run.maxUpdates}
     * (null: the config's): how a finished run is extended, as {@code speechwb resume --updates N} does.
     */
    public ActiveRun start(WorkbenchSession session, Integer maxUpdates) {
        return finetune ? session.startFinetuning(run, train, valid, maxUpdates, description)
                : session.startTraining(run, train, maxUpdates, description);
    }
}
