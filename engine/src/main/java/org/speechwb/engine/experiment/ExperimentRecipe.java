package org.speechwb.engine.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.probe.ProbeRecipe;

/**
 * An experiment folder's {@code recipe.json}: the settings every cached model and score in the
 * folder depends on. Seeds, arms, grids (keyed by setting) and extra test sets may change between
 * invocations; these may not, or cached stages would be reused under settings they were not made
 * with. The rule for choosing models and the probe recipe are the folder's own: a folder continues
 * with the ones it started with, because its cached choices and probes were made by them.
 *
 * <p>Keys added after folders existed are written only when they differ from what those folders
 * did, so that older folders still match.
 */
final class ExperimentRecipe {

    static final String FILE = "recipe.json";

    /** What a folder keeps from its first invocation: its selection rule and its probe recipe. */
    record Kept(ModelSelection selection, ProbeRecipe probes) {
        /** A new folder's. */
        static final Kept NEW = new Kept(ModelSelection.DEFAULT, ProbeRecipe.DEFAULT);
    }

    private ExperimentRecipe() {
    }

    /**
     * The rule and probe recipe the folder started with; for a new folder the defaults. A recipe
     * from before the rule was recorded gets the default rule (which {@link #check} then reports
     * as a change); one from before probes had seeds gets {@link ProbeRecipe#SINGLE}, as its cached
     * probes, and the layers its wav2vec2-features arm took, were made that way.
     *
     * @throws IOException naming the file, when it names a rule or probe recipe that does not exist
     */
    static Kept read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Kept.NEW;
        }
        JsonNode recipe = parse(file);
        try {
            JsonNode rule = recipe.path("selection");
            ModelSelection selection = rule.isTextual() ? ModelSelection.fromDescription(rule.asText())
                    : ModelSelection.DEFAULT;
            JsonNode p = recipe.path("probes");
            if (p.isMissingNode()) {
                return new Kept(selection, ProbeRecipe.SINGLE);
            }
            List<Long> seeds = new ArrayList<>();
            p.path("seeds").forEach(n -> seeds.add(n.asLong()));
            return new Kept(selection, new ProbeRecipe(p.path("lr").asDouble(), seeds));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file) throws IOException {
        try {
            JsonNode recipe = ConfigIO.json().readTree(file.toFile());
            if (!recipe.isObject()) {
                throw new IOException(file + ": not an experiment recipe (a JSON object of settings)");
            }
            return recipe;
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The recipe of an experiment with these settings, in a folder that keeps {@code kept}. */
    static Map<String, Object> of(ExperimentConfig cfg, Kept kept) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("corpus", cfg.corpus());
        r.put("buildTrainMinutes", cfg.buildTrainMinutes());
        r.put("labeledMinutes", cfg.labeledMinutes());
        r.put("labeledVoices", cfg.labeledVoices());
        r.put("validFraction", cfg.validFraction());
        r.put("testFraction", cfg.testFraction());
        r.put("pretrainPreset", cfg.pretrainPreset());
        r.put("pretrainUpdates", cfg.pretrainUpdates());
        r.put("finetunePreset", cfg.finetunePreset());
        r.put("finetuneUpdates", cfg.finetuneUpdates());
        r.put("featurePreset", cfg.featurePreset());
        r.put("featureUpdates", cfg.featureUpdates());
        r.put("acousticUpdates", cfg.acousticUpdates());
        r.put("probeUpdates", cfg.probeUpdates());
        r.put("lmOrder", cfg.lmOrder());
        r.put("beam", cfg.beam());
        r.put("lmWeight", cfg.lmWeight());
        r.put("wordBonus", cfg.wordBonus());
        if (cfg.pretrainSeed() != 1) {
            // 1 is the seed every run used before the option existed
            r.put("pretrainSeed", cfg.pretrainSeed());
        }
        if (cfg.givenPretrainedModel()) {
            r.put("pretrainedModel", cfg.pretrainedModel());
        }
        if (cfg.pretrainPerSeed()) {
            r.put("pretrainPerSeed", true);
        }
        r.put("selection", kept.selection().description());
        if (!kept.probes().equals(ProbeRecipe.SINGLE)) {
            r.put("probes", kept.probes().toMap());
        }
        return r;
    }

    /**
     * Writes {@code recipe} as the folder's recipe if it has none, and otherwise checks that it
     * is the one the folder has.
     *
     * @throws IllegalArgumentException listing every setting that differs, with both values
     */
    static void check(Path folder, Map<String, Object> recipe) throws IOException {
        Path file = folder.resolve(FILE);
        TypeReference<LinkedHashMap<String, Object>> map = new TypeReference<>() { };
        // through text, as the file is read: a long converted in memory stays a Long, read back it is an Integer
        Map<String, Object> now = ConfigIO.json().readValue(ConfigIO.json().writeValueAsString(recipe), map);
        if (!Files.isRegularFile(file)) {
            Files.writeString(file, ConfigIO.json().writerWithDefaultPrettyPrinter().writeValueAsString(now));
            return;
        }
        Map<String, Object> before = ConfigIO.json().convertValue(parse(file), map);
        List<String> changed = new ArrayList<>();
        now.forEach((k, v) -> {
            if (!Objects.equals(v, before.get(k))) {
                changed.add(k + " " + before.get(k) + " -> " + v);
            }
        });
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException(folder + " holds an experiment made with other settings ("
                    + String.join(", ", changed) + "); its cached models would not match them. Use another --out,"
                    + " or the same settings.");
        }
    }
}
