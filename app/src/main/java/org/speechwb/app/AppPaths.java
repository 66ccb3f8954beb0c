package org.speechwb.app;

import java.nio.file.Path;

/**
 * Where the workbench finds its data and keeps its state. Every location can be overridden by a
 * system property so tests (and people with several checkouts) never touch the real ones.
 *
 * @param home      the project folder ({@code -Dspeechwb.home}, set by ./workbench), for the bundled corpus
 * @param runs      run folders ({@code -Dspeechwb.runs}, default {@code <home>/runs}, as the CLI)
 * @param configDir preferences ({@code -Dspeechwb.config.dir}, default {@code ~/.config/speechwb})
 */
public record AppPaths(Path home, Path runs, Path configDir) {

    public static final String BUNDLED_CORPUS = "datasets/harvard-tts";

    public AppPaths {
        home = home.toAbsolutePath().normalize();
        runs = runs.toAbsolutePath().normalize();
        configDir = configDir.toAbsolutePath().normalize();
    }

    public static AppPaths fromSystemProperties() {
        Path home = Path.of(System.getProperty("speechwb.home", ".")).toAbsolutePath().normalize();
        String runs = System.getProperty("speechwb.runs");
        String cfg = System.getProperty("speechwb.config.dir");
        return new AppPaths(home, runs != null ? Path.of(runs) : home.resolve("runs"),
                cfg != null ? Path.of(cfg) : Path.of(System.getProperty("user.home"), ".config", "speechwb"));
    }

    /** The synthetic corpus committed with the project: what a first launch opens. */
    public Path bundledCorpus() {
        return home.resolve(BUNDLED_CORPUS);
    }
}
