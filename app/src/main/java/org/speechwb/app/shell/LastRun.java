package org.speechwb.app.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;

/**
 * The run a relaunch opens on. Training and Codebook follow the session's selected run; without
 * this a new session showed "No run yet" although the runs folder was full. The run the user
 * last started or picked is remembered in the preferences; when it is gone (deleted, another
 * runs folder), the newest run is shown instead.
 */
public final class LastRun {

    private static final Logger LOG = LoggerFactory.getLogger(LastRun.class);

    private LastRun() {
    }

    /** Remembers every run the session starts or selects, at once: a crash must not forget it. */
    public static void track(ScreenContext ctx) {
        ctx.session().activeRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                remember(ctx, b.run());
            }
        });
        ctx.session().selectedRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                remember(ctx, b);
            }
        });
    }

    private static void remember(ScreenContext ctx, RunFolder run) {
        String dir = run.dir().toAbsolutePath().normalize().toString();
        if (!dir.equals(ctx.preferences().values().lastRun)) {
            ctx.preferences().values().lastRun = dir;
            ctx.preferences().save();
        }
    }

    /** Selects the remembered run, or the newest one, unless the user got to a run first. */
    public static void restore(ScreenContext ctx) {
        String remembered = ctx.preferences().values().lastRun;
        Path runs = ctx.paths().runs();
        ctx.tasks().submit("Finding the last run", () -> find(remembered, runs), run -> {
            WorkbenchSession s = ctx.session();
            if (run != null && s.selectedRunProperty().get() == null && s.activeRun() == null) {
                s.selectedRunProperty().set(run);
            }
        }, e -> LOG.warn("Could not find the last run in {}: {}", runs, e.getMessage()));
    }

    /** The remembered run if it still is one, else the newest run under {@code runs}; null when there is none. */
    static RunFolder find(String remembered, Path runs) throws IOException {
        if (remembered != null && !remembered.isBlank()) {
            RunFolder r = new RunFolder(Path.of(remembered));
            if (Files.isRegularFile(r.configFile())) {
                return r;
            }
        }
        if (!Files.isDirectory(runs)) {
            return null;
        }
        List<RunFolder> all = new RunStore(runs).list();
        return all.isEmpty() ? null : all.get(0);
    }
}
