package org.speechwb.engine.corpus;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from the test's working folder (Maven runs tests in engine/). */
final class RepoRoot {

    private RepoRoot() {
    }

    static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("datasets"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no folder named datasets/ above " + Path.of("").toAbsolutePath());
    }
}
