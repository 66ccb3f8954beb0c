package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.train.UpdateMetrics;

/**
 * One run on disk:
 * <pre>
 * config.yaml        the full configuration (never changed after creation)
 * provenance.json    data, code and machine the run came from
 * status.json        state, update and last message (rewritten atomically)
 * metrics.jsonl      one line per update, append-only
 * codebook.jsonl     code usage counts per window of updates
 * log.txt            human-readable log
 * checkpoints/       checkpoint-&lt;update&gt;.ckpt, written atomically
 * </pre>
 */
public final class RunFolder {

    private static final Pattern CKPT = Pattern.compile("checkpoint-(\\d+)\\.ckpt");

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public String id() {
        return dir.getFileName().toString();
    }

    public Path configFile() {
        return dir.resolve("config.yaml");
    }

    public Path provenanceFile() {
        return dir.resolve("provenance.json");
    }

    public Path statusFile() {
        return dir.resolve("status.json");
    }

    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    public Path codebookFile() {
        return dir.resolve("codebook.jsonl");
    }

    public Path logFile() {
        return dir.resolve("log.txt");
    }

    public Path checkpointDir() {
        return dir.resolve("checkpoints");
    }

    public Path checkpointFile(int update) {
        return checkpointDir().resolve(String.format("checkpoint-%08d.ckpt", update));
    }

    public boolean exists() {
        return Files.isRegularFile(configFile());
    }

    /**
     * Whether a training holds this run now, in this process or another (a command-line run, an
     * experiment): its status then describes that training, and nothing else may train the run.
     */
    public boolean isTraining() {
        return FolderLock.isHeld(dir);
    }

    public PretrainConfig config() throws ConfigException {
        return ConfigIO.read(configFile(), PretrainConfig.class);
    }

    /** True for a CTC fine-tuning run (its config has a vocabulary), false for pre-training. */
    public boolean isFinetune() {
        try {
            return ConfigIO.yaml().readTree(configFile().toFile()).has("vocabulary");
        } catch (IOException e) {
            return false;
        }
    }

    public org.speechwb.engine.config.FinetuneConfig finetuneConfig() throws ConfigException {
        return ConfigIO.read(configFile(), org.speechwb.engine.config.FinetuneConfig.class);
    }

    /** Fine-tuning: the checkpoint whose validation the run's selection rule ranks best so far. */
    public Path bestCheckpointFile() {
        return checkpointDir().resolve("best.ckpt");
    }

    /** TensorBoard scalar event files mirroring the metrics ({@code tensorboard --logdir runs/}). */
    public Path tensorboardDir() {
        return dir.resolve("tensorboard");
    }

    public Path validationFile() {
        return dir.resolve("validation.jsonl");
    }

    public Provenance provenance() throws IOException {
        return ConfigIO.json().readValue(provenanceFile().toFile(), Provenance.class);
    }

    public Optional<RunStatus> status() {
        try {
            return Optional.of(ConfigIO.json().readValue(statusFile().toFile(), RunStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void writeStatus(RunStatus status) throws IOException {
        AtomicFiles.writeString(statusFile(), ConfigIO.json().writeValueAsString(status));
    }

    public List<UpdateMetrics> metrics() throws IOException {
        return MetricsLog.read(metricsFile(), UpdateMetrics.class);
    }

    public List<CodebookUsage> codebookUsage() throws IOException {
        return MetricsLog.read(codebookFile(), CodebookUsage.class);
    }

    /**
     * The checkpoint a "checkpoint file or run folder" argument means: the file itself, or the
     * run's newest checkpoint.
     *
     * @throws CheckpointException if a run folder has no checkpoint yet
     */
    public static Path newestCheckpoint(Path checkpointOrRun) throws CheckpointException, IOException {
        if (!Files.isDirectory(checkpointOrRun)) {
            return checkpointOrRun;
        }
        List<Path> all = new RunFolder(checkpointOrRun).checkpoints();
        if (all.isEmpty()) {
            throw new CheckpointException(checkpointOrRun, "this run has no checkpoint yet", null);
        }
        return all.get(all.size() - 1);
    }

    /** Checkpoints, oldest first. */
    public List<Path> checkpoints() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(checkpointDir())) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(checkpointDir(), "checkpoint-*.ckpt")) {
            for (Path p : ds) {
                if (CKPT.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(RunFolder::updateOf));
        return out;
    }

    public static int updateOf(Path checkpoint) {
        Matcher m = CKPT.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Records the exact utterances a run uses ({@code which} = "train" or "valid"): a labeled
     * subset or a custom split is a seeded draw and datasets grow, so a resumed run reads these
     * ids back instead of re-deriving them.
     */
    public void writeUtterances(String which, List<org.speechwb.engine.data.Utterance> utterances) throws IOException {
        Files.write(dir.resolve(which + "-utterances.txt"), utterances.stream().map(org.speechwb.engine.data.Utterance::id)
                .toList());
    }

    public boolean hasUtterances(String which) {
        return Files.isRegularFile(dir.resolve(which + "-utterances.txt"));
    }

    /** The utterances recorded by {@link #writeUtterances}, looked up in {@code dataset}. */
    public List<org.speechwb.engine.data.Utterance> readUtterances(String which, org.speechwb.engine.data.Dataset dataset)
            throws IOException {
        Path f = dir.resolve(which + "-utterances.txt");
        java.util.Map<String, org.speechwb.engine.data.Utterance> byId = new java.util.HashMap<>();
        for (org.speechwb.engine.data.Utterance u : dataset.utterances()) {
            byId.put(u.id(), u);
        }
        List<org.speechwb.engine.data.Utterance> out = new ArrayList<>();
        for (String id : Files.readAllLines(f)) {
            if (id.isBlank()) {
                continue;
            }
            org.speechwb.engine.data.Utterance u = byId.get(id.trim());
            if (u == null) {
                throw new IOException(f + ": utterance " + id + " is not in " + dataset.root());
            }
            out.add(u);
        }
        return out;
    }

    /** Appends a line to the human-readable log (flushed). */
    public void log(String line) {
        try {
            Files.writeString(logFile(), Provenance.now() + "  " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is informational; never fail a run over it
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
