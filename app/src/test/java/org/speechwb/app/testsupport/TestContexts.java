package org.speechwb.app.testsupport;

import java.nio.file.Path;
import java.util.List;

import org.speechwb.app.AppPaths;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.shell.AppPreferences;
import org.speechwb.app.shell.ExecutorBackgroundTasks;
import org.speechwb.app.shell.FxNotifier;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;

/** A real screen context (real background threads, real session) with its folders in a temp dir. */
public final class TestContexts {

    private TestContexts() {
    }

    /** Session holding the bundled corpus cut to {@code utterances} training utterances and {@code config}. */
    public static ScreenContext context(Path tmp, PretrainConfig config, int utterances) throws Exception {
        return context(tmp.resolve("runs"), tmp, config, utterances, 0);
    }

    /**
     * As {@link #context(Path, PretrainConfig, int)} with runs kept in {@code runs} and the first
     * {@code valid} validation utterances of the corpus as the validation split.
     */
    public static ScreenContext context(Path runs, Path tmp, PretrainConfig config, int utterances, int valid)
            throws Exception {
        ExecutorBackgroundTasks tasks = new ExecutorBackgroundTasks();
        WorkbenchSession session = new WorkbenchSession(tasks);
        Dataset ds = TinyFixtures.corpus();
        List<Utterance> train = TinyFixtures.train(utterances);
        List<Utterance> validation = valid > 0 ? TinyRuns.validUtterances(ds, valid) : List.of();
        session.setDataset(ds, null, SplitChoice.PREDEFINED_TRAIN, new Splits(train, validation, List.of()));
        session.configProperty().set(config);
        session.configNameProperty().set("tiny");
        FxNotifier notifier = new FxNotifier(() -> null, tasks);
        AppPaths paths = new AppPaths(TinyRuns.home(), runs, tmp.resolve("config"));
        return new ScreenContext(session, tasks, notifier, AppPreferences.load(paths.configDir()), paths, () -> null);
    }
}
