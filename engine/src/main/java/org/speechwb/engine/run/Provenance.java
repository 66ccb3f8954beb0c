package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a run's result came from: the data (path, format, fingerprint, size), the code (git
 * commit) and the machine (backend, device). Written once when a run is created.
 */
public record Provenance(String datasetPath, String datasetFormat, String datasetFingerprint, String split,
                         int utterances, double hours, String gitCommit, String engineVersion, String backend,
                         String device, String javaVersion, String os, String createdAt, List<String> command) {

    public static final String ENGINE_VERSION = "0.1.0";

    public static String now() {
        return Instant.now().toString();
    }

    /** The commit of the checkout the engine runs from ("unknown" outside a git checkout). */
    public static String gitCommit(Path from) {
        Path dir = from.toAbsolutePath();
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            if (p.waitFor(3, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String sha = new String(p.getInputStream().readAllBytes()).trim();
                Process s = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                        .directory(dir.toFile()).redirectErrorStream(true).start();
                boolean dirty = s.waitFor(3, TimeUnit.SECONDS) && s.exitValue() == 0
                        && !new String(s.getInputStream().readAllBytes()).isBlank();
                return dirty ? sha + "-dirty" : sha;
            }
            p.destroyForcibly();
        } catch (IOException e) {
            // git not installed: read the files instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path d = dir; d != null; d = d.getParent()) {
            Path head = d.resolve(".git/HEAD");
            if (Files.isRegularFile(head)) {
                try {
                    String h = Files.readString(head).trim();
                    if (h.startsWith("ref: ")) {
                        Path ref = d.resolve(".git").resolve(h.substring(5));
                        return Files.isRegularFile(ref) ? Files.readString(ref).trim() : h.substring(5);
                    }
                    return h;
                } catch (IOException e) {
                    return "unknown";
                }
            }
        }
        return "unknown";
    }
}
