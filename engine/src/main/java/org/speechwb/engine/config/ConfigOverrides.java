package org.speechwb.engine.config;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies {@code section.field=value} overrides (e.g. {@code masking.maskProb=0.5},
 * {@code run.maxUpdates=200}) to a config, then rebuilds it through its validating
 * constructors, so an override can never produce an invalid config.
 */
public final class ConfigOverrides {

    private ConfigOverrides() {
    }

    public static <T> T apply(T config, List<String> overrides, Class<T> type) throws ConfigException {
        if (overrides == null || overrides.isEmpty()) {
            return config;
        }
        ObjectMapper json = ConfigIO.json();
        ObjectNode root = json.valueToTree(config);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(null, "override '" + o + "' is not of the form section.field=value", null);
            }
            String[] path = o.substring(0, eq).trim().split("\\.");
            String raw = o.substring(eq + 1).trim();
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = node.get(path[i]);
                if (!(child instanceof ObjectNode obj)) {
                    throw new ConfigException(null, "override '" + o + "': no section '" + path[i] + "'", null);
                }
                node = obj;
            }
            String field = path[path.length - 1];
            if (!node.has(field)) {
                throw new ConfigException(null, "override '" + o + "': no field '" + field + "' (fields: "
                        + iterable(node.fieldNames()) + ")", null);
            }
            JsonNode value;
            try {
                value = ConfigIO.yaml().readTree(raw);
            } catch (java.io.IOException e) {
                throw new ConfigException(null, "override '" + o + "': cannot parse value '" + raw + "'", e);
            }
            node.set(field, value);
        }
        try {
            return json.treeToValue(root, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw new ConfigException(null, "invalid after overrides " + overrides + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage()), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(null, "invalid after overrides " + overrides + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String iterable(java.util.Iterator<String> it) {
        StringBuilder sb = new StringBuilder();
        it.forEachRemaining(s -> sb.append(sb.length() == 0 ? "" : ", ").append(s));
        return sb.toString();
    }
}
