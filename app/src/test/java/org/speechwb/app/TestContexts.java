package org.speechwb.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.speechwb.app.shell.AppPreferences;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ExecutorBackgroundTasks;
import org.speechwb.app.shell.FxNotifier;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.WorkbenchSession;
import org.testfx.util.WaitForAsyncUtils;

/** Builds screen contexts for tests: the real engine, temporary runs and preferences folders. */
public final class TestContexts {

    private TestContexts() {
    }

    /** The project folder (surefire sets speechwb.home), holding the bundled corpus. */
    public static Path home() {
        return Path.of(System.getProperty("speechwb.home", "..")).toAbsolutePath().normalize();
    }

    public static ScreenContext create(Path tmp) {
        return create(tmp, new ExecutorBackgroundTasks());
    }

    public static ScreenContext create(Path tmp, BackgroundTasks tasks) {
        AppPaths paths = new AppPaths(home(), tmp.resolve("runs"), tmp.resolve("config"));
        AppPreferences prefs = AppPreferences.load(paths.configDir());
        WorkbenchSession session = new WorkbenchSession(tasks);
        FxNotifier notifier = new FxNotifier(() -> null, tasks);
        notifier.setPopups(false);
        return new ScreenContext(session, tasks, notifier, prefs, paths, () -> null);
    }

    /** The tiny engine test config: a training run of it takes seconds. */
    public static Path tinyConfig() {
        return home().resolve("engine/src/test/resources/tiny-pretrain.yaml");
    }

    /** Opens the bundled corpus into the session with its predefined split (off the FX thread). */
    public static void loadBundled(ScreenContext ctx) {
        try {
            var ds = org.speechwb.engine.data.DatasetLoader.open(ctx.paths().bundledCorpus());
            var summary = ds.summary();
            var choice = org.speechwb.app.shell.SplitChoice.PREDEFINED_TRAIN;
            var splits = choice.apply(ds);
            WaitForAsyncUtils.asyncFx(() -> ctx.session().setDataset(ds, summary, choice, splits)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (polling on the FX thread) until {@code condition} holds. */
    public static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state) {
        try {
            await(timeout, condition);
        } catch (AssertionError e) {
            String[] s = new String[1];
            try {
                WaitForAsyncUtils.asyncFx(() -> s[0] = state.get()).get();
            } catch (Exception ignored) {
                s[0] = "?";
            }
            throw new AssertionError(e.getMessage() + "; state: " + s[0], e);
        }
    }

    public static void await(Duration timeout, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS, () -> {
                boolean[] r = new boolean[1];
                WaitForAsyncUtils.asyncFx(() -> r[0] = condition.getAsBoolean()).get();
                return r[0];
            });
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within " + timeout, e);
        }
    }
}
