package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.speechwb.engine.config.ConfigIO;

/**
 * The fields in which the configurations of several runs differ, as TensorBoard's HParams and
 * W&B's run comparer show them: each config file is read as a plain tree (no validation, so an
 * old or hand-edited config still compares), flattened to dotted field names
 * ({@code optimizer.lr}, {@code wav2vec2.convLayers[0].kernel}), and a field is listed when its
 * value is not the same in every run, including when some runs do not have it.
 *
 * @param runs the runs compared, in the order given; {@link Row#values()} follows it
 */
public record ConfigDiff(List<String> runs, List<Row> rows) {

    /** One differing field; {@code values.get(i)} is run i's value, or null where the run has no such field. */
    public record Row(String field, List<String> values) {
    }

    public ConfigDiff {
        runs = List.copyOf(runs);
        rows = List.copyOf(rows);
    }

    /** Compares the {@code config.yaml} of each run folder. */
    public static ConfigDiff of(List<RunFolder> folders) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (RunFolder f : folders) {
            files.put(f.id(), f.configFile());
        }
        return ofFiles(files);
    }

    /** Compares config files (YAML or JSON) by name; a missing file compares as an empty config. */
    public static ConfigDiff ofFiles(Map<String, Path> files) throws IOException {
        Map<String, Map<String, String>> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Path p = e.getValue();
            if (Files.isRegularFile(p)) {
                JsonNode tree = ConfigIO.mapperFor(p).readTree(p.toFile());
                if (tree != null) {
                    flatten("", tree, fields);
                }
            }
            flat.put(e.getKey(), fields);
        }
        return of(flat);
    }

    /** Compares already flattened configs: run name → (field → value). */
    public static ConfigDiff of(Map<String, Map<String, String>> configs) {
        // fields in the order the first run that has them lists them: sections stay together
        Set<String> fields = new LinkedHashSet<>();
        configs.values().forEach(m -> fields.addAll(m.keySet()));
        List<Row> rows = new ArrayList<>();
        for (String field : fields) {
            List<String> values = new ArrayList<>();
            for (Map<String, String> m : configs.values()) {
                values.add(m.get(field));
            }
            if (values.stream().distinct().count() > 1) {
                rows.add(new Row(field, java.util.Collections.unmodifiableList(values)));
            }
        }
        return new ConfigDiff(new ArrayList<>(configs.keySet()), rows);
    }

    /** Every leaf of {@code node} under its dotted name; an empty list or object is a leaf of its own. */
    public static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Objects.requireNonNull(out);
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
