package org.speechwb.engine.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files the repository ships (datasets/, resources/) from wherever tests run. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root: the nearest folder above the working directory holding datasets/real-speech. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("datasets").resolve("real-speech"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no datasets/real-speech above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
