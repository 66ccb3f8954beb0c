package org.speechwb.engine.interop.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.speechwb.engine.train.HealthMonitor;

/**
 * What the health checks of a run made elsewhere need to know about it: the number of
 * distractors (chance level is log2(K + 1) bits) and the codebook size G × V (collapse is judged
 * against it), with the warm-up after which a plateau is worth a warning. Read from the files such
 * a run leaves beside its logs, nearest first:
 * <ul>
 *   <li>fairseq: {@code .hydra/config.yaml} of a {@code fairseq-hydra-train} output folder, the
 *       config our hand-off writes ({@code config/*.yaml}), or the config dict that
 *       {@code hydra_train.log} prints first ({@code 'num_negatives': 100, ...});</li>
 *   <li>transformers: the model's {@code config.json} ({@code num_negatives},
 *       {@code num_codevector_groups}, {@code num_codevectors_per_group}).</li>
 * </ul>
 * Keys a file leaves out take the defaults of the engine that wrote it (fairseq's and
 * transformers' wav2vec 2.0 configs agree: 100 distractors, 2 × 320 codes).
 *
 * @param fineTuning the config is a fine-tuning (CTC) one: no chance level, no codebook, the
 *                   numbers below are 0
 * @param warnAfter updates before a warning is raised: the learning-rate warm-up when the config
 *                  names one (a run sits at chance level until then), at least 1,000
 * @param source    the file the values came from
 */
public record ExternalRunSettings(boolean fineTuning, int negatives, int groups, int entries, int warnAfter, Path source) {

    static final int DEFAULT_NEGATIVES = 100;
    static final int DEFAULT_GROUPS = 2;
    static final int DEFAULT_ENTRIES = 320;
    static final int MIN_WARN_AFTER = 1000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DICT_INT = Pattern.compile("'(num_negatives|latent_vars|latent_groups|warmup_updates|_name)'"
            + ": (?:'([^']*)'|(\\d+))");

    static ExternalRunSettings fineTuning(Path source) {
        return new ExternalRunSettings(true, 0, 0, 0, 0, source);
    }

    /** The monitor a pre-training run with these settings gets, as our trainer builds its own. */
    public HealthMonitor monitor() {
        if (fineTuning) {
            throw new IllegalStateException("a fine-tuning run has no chance level: " + source);
        }
        return new HealthMonitor(negatives, groups, entries, warnAfter);
    }

    /**
     * @param logs a log file or the folder of an external run
     * @return its settings, or empty when no config is found
     */
    public static Optional<ExternalRunSettings> find(Path logs) throws IOException {
        Path dir = Files.isDirectory(logs) ? logs : logs.toAbsolutePath().getParent();
        // the logs may sit in a subfolder (tensorboard/train_inner) of the run's folder
        for (int up = 0; dir != null && up < 3; up++, dir = dir.getParent()) {
            for (Path candidate : candidates(dir)) {
                Optional<ExternalRunSettings> s = read(candidate);
                if (s != null) {
                    return s;
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> candidates(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(dir.resolve(".hydra").resolve("config.yaml"));
        Path handoff = dir.resolve("config");
        if (Files.isDirectory(handoff)) {
            try (Stream<Path> s = Files.list(handoff)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(out::add);
            }
        }
        out.add(dir.resolve("config.json"));
        out.add(dir.resolve("hydra_train.log"));
        out.removeIf(p -> !Files.isRegularFile(p));
        return out;
    }

    /** @return the settings, or null when the file says nothing about the model */
    static Optional<ExternalRunSettings> read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".log")) {
            return fromLog(file);
        }
        JsonNode root;
        try {
            root = (name.endsWith(".json") ? JSON : YAML).readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a readable " + (name.endsWith(".json") ? "JSON" : "YAML") + " config ("
                    + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        if (name.endsWith(".json")) {
            // transformers: a pre-training model's config; a CTC model has no distractors to count
            if (!root.has("num_codevector_groups") && !root.has("num_negatives")) {
                return null;
            }
            JsonNode arch = root.path("architectures").path(0);
            if (arch.isTextual() && arch.asText().endsWith("ForCTC")) {
                return Optional.of(fineTuning(file));
            }
            return Optional.of(new ExternalRunSettings(false, root.path("num_negatives").asInt(DEFAULT_NEGATIVES),
                    root.path("num_codevector_groups").asInt(DEFAULT_GROUPS),
                    root.path("num_codevectors_per_group").asInt(DEFAULT_ENTRIES), MIN_WARN_AFTER, file));
        }
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            return null;
        }
        String arch = model.path("_name").asText("");
        if (!arch.startsWith("wav2vec2")) {
            return Optional.of(fineTuning(file));
        }
        int warmup = root.path("lr_scheduler").path("warmup_updates").asInt(0);
        return Optional.of(new ExternalRunSettings(false, model.path("num_negatives").asInt(DEFAULT_NEGATIVES),
                model.path("latent_groups").asInt(DEFAULT_GROUPS), model.path("latent_vars").asInt(DEFAULT_ENTRIES),
                Math.max(MIN_WARN_AFTER, warmup), file));
    }

    /**
     * fairseq prints its whole config as a Python dict on the first lines of hydra_train.log;
     * the keys we need are unique in it (the model's {@code _name} is the one after {@code 'model':}).
     */
    private static Optional<ExternalRunSettings> fromLog(Path file) throws IOException {
        String head;
        try (var in = Files.newInputStream(file)) {
            head = new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8);
        }
        int model = head.indexOf("'model': {");
        if (model < 0) {
            return null;
        }
        Matcher name = DICT_INT.matcher(head);
        if (!name.find(model) || !"_name".equals(name.group(1)) || name.group(2) == null) {
            return null;
        }
        if (!name.group(2).startsWith("wav2vec2")) {
            return Optional.of(fineTuning(file));
        }
        int negatives = DEFAULT_NEGATIVES;
        int groups = DEFAULT_GROUPS;
        int entries = DEFAULT_ENTRIES;
        int warmup = 0;
        Matcher m = DICT_INT.matcher(head);
        while (m.find()) {
            if (m.group(3) == null) {
                continue;
            }
            int v = Integer.parseInt(m.group(3));
            switch (m.group(1)) {
                case "num_negatives" -> negatives = v;
                case "latent_groups" -> groups = v;
                case "latent_vars" -> entries = v;
                case "warmup_updates" -> warmup = v;
                default -> {
                }
            }
        }
        return Optional.of(new ExternalRunSettings(false, negatives, groups, entries, Math.max(MIN_WARN_AFTER, warmup), file));
    }
}
