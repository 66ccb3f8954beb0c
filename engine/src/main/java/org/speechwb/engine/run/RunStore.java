package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.config.ConfigIO;

/** A folder of runs, one sub-folder each (see {@link RunFolder}). */
public final class RunStore {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path root;

    public RunStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Creates a run folder with its config and provenance; the id is a timestamp plus a slug of {@code name}. */
    public RunFolder create(String name, Object config, Provenance provenance) throws IOException {
        Files.createDirectories(root);
        String slug = name == null ? "run" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        String base = LocalDateTime.now().format(STAMP) + "-" + (slug.isEmpty() ? "run" : slug);
        Path dir = root.resolve(base);
        for (int i = 2; Files.exists(dir); i++) {
            dir = root.resolve(base + "-" + i);
        }
        Files.createDirectories(dir.resolve("checkpoints"));
        RunFolder run = new RunFolder(dir);
        AtomicFiles.writeString(run.configFile(), ConfigIO.toYaml(config));
        AtomicFiles.writeString(run.provenanceFile(), ConfigIO.json().writeValueAsString(provenance));
        return run;
    }

    /**
     * Opens the run at {@code dir}, creating it (config and provenance) if it does not exist:
     * for pipelines that name their runs and continue them when rerun.
     */
    public static RunFolder openOrCreate(Path dir, Object config, Provenance provenance) throws IOException {
        RunFolder run = new RunFolder(dir);
        if (!run.exists()) {
            Files.createDirectories(dir.resolve("checkpoints"));
            AtomicFiles.writeString(run.provenanceFile(), ConfigIO.json().writeValueAsString(provenance));
            AtomicFiles.writeString(run.configFile(), ConfigIO.toYaml(config));
        }
        return run;
    }

    /** All runs, newest first. Folders without a config are not runs and are ignored. */
    public List<RunFolder> list() throws IOException {
        List<RunFolder> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path p : ds) {
                RunFolder r = new RunFolder(p);
                if (r.exists()) {
                    out.add(r);
                }
            }
        }
        out.sort(Comparator.comparing(RunFolder::id).reversed());
        return out;
    }

    public RunFolder open(String idOrPath) throws IOException {
        Path p = Path.of(idOrPath);
        RunFolder r = new RunFolder(Files.isDirectory(p) ? p : root.resolve(idOrPath));
        if (!r.exists()) {
            throw new IOException("no run at " + r.dir() + " (a run folder holds config.yaml)");
        }
        return r;
    }
}
