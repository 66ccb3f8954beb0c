package org.speechwb.engine.interop.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads transformers' {@code trainer_state.json} (written at checkpoints and at the end):
 * {@code log_history} entries with {@code loss}/{@code grad_norm}/{@code learning_rate} are
 * training points, entries with {@code eval_*} keys validation points, at {@code step}. The
 * file may contain bare {@code NaN}.
 */
public final class TrainerStateReader {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private TrainerStateReader() {
    }

    public static List<LogPoint> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a readable trainer_state.json (" + e.getMessage() + ")", e);
        }
        JsonNode history = root == null ? null : root.get("log_history");
        if (history == null || !history.isArray()) {
            throw new IOException(file + ": no log_history array; is this transformers' trainer_state.json?");
        }
        List<LogPoint> out = new ArrayList<>();
        for (JsonNode e : history) {
            if (!e.has("step")) {
                continue;
            }
            boolean eval = false;
            Map<String, Double> values = new LinkedHashMap<>();
            for (var it = e.fields(); it.hasNext(); ) {
                var f = it.next();
                String ours = MetricNames.TRANSFORMERS.get(f.getKey());
                if (ours != null && (f.getValue().isNumber() || f.getValue().isTextual())) {
                    values.put(ours, FairseqLogReader.number(f.getValue()));
                    eval |= f.getKey().startsWith("eval_");
                }
            }
            if (!values.isEmpty() && !(values.size() == 1 && values.containsKey("epoch"))) {
                out.add(new LogPoint(eval ? "valid" : "train", e.get("step").asLong(), values));
            }
        }
        return out;
    }
}
