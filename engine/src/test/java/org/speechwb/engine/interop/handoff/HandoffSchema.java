package org.speechwb.engine.interop.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The target engines' config schemas committed as test data, and a checker that names every key
 * the target does not have and every value of the wrong type.
 */
final class HandoffSchema {

    private final JsonNode root;

    private HandoffSchema(JsonNode root) {
        this.root = root;
    }

    static HandoffSchema load(String resource) throws IOException {
        try (InputStream in = HandoffSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new HandoffSchema(new ObjectMapper().readTree(in));
        }
    }

    /** fairseq: each top-level group checked against its dataclass (by {@code _name} for registries). */
    List<String> checkFairseq(Map<String, Object> yaml) {
        List<String> problems = new ArrayList<>();
        JsonNode groups = root.get("groups");
        for (Map.Entry<String, Object> g : yaml.entrySet()) {
            if (!(g.getValue() instanceof Map<?, ?> fields)) {
                problems.add(g.getKey() + ": not a group");
                continue;
            }
            Object name = fields.get("_name");
            String key = name == null ? g.getKey() : g.getKey() + "/" + name;
            JsonNode schema = groups.get(key);
            if (schema == null) {
                problems.add(key + ": no such fairseq config group");
                continue;
            }
            for (Map.Entry<?, ?> f : fields.entrySet()) {
                if (f.getKey().equals("_name")) {
                    continue;
                }
                check(key + "." + f.getKey(), schema.get(f.getKey().toString()), f.getValue(), problems);
            }
        }
        return problems;
    }

    /** transformers: a flat section ({@code script_args}, {@code config}, {@code preprocessor_config}). */
    List<String> checkFlat(String section, Iterator<Map.Entry<String, Object>> entries) {
        List<String> problems = new ArrayList<>();
        JsonNode schema = root.get(section);
        while (entries.hasNext()) {
            Map.Entry<String, Object> e = entries.next();
            check(section + "." + e.getKey(), schema.get(e.getKey()), e.getValue(), problems);
        }
        return problems;
    }

    private static void check(String where, JsonNode type, Object value, List<String> problems) {
        if (type == null) {
            problems.add(where + ": no such field");
            return;
        }
        String t = type.asText();
        if (value == null || t.equals("any") || t.startsWith("other:")) {
            return;
        }
        boolean ok;
        if (t.startsWith("choice:")) {
            ok = value instanceof String s && List.of(t.substring(7).split(",")).contains(s);
        } else if (t.startsWith("list[")) {
            String inner = t.substring(5, t.length() - 1);
            ok = value instanceof List<?> l && l.stream().allMatch(x -> scalar(inner, x));
        } else {
            ok = scalar(t, value);
        }
        if (!ok) {
            problems.add(where + ": " + value + " (" + value.getClass().getSimpleName() + ") is not " + t);
        }
    }

    private static boolean scalar(String t, Object v) {
        return switch (t) {
            case "int" -> v instanceof Integer || v instanceof Long;
            case "float" -> v instanceof Number;
            case "bool", "flag" -> v instanceof Boolean;
            case "str" -> v instanceof String;
            default -> true;
        };
    }
}
