package org.speechwb.engine.interop.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads fairseq training logs written with {@code --log-format json}: {@code hydra_train.log}
 * lines ({@code [time][train_inner][INFO] - {...}}), the plain-logging form
 * ({@code time | INFO | train_inner | {...}}) and bare JSON lines. Values are strings in the
 * file ("3.449", "nan"); {@code train_inner} lines are per-update points, {@code valid}
 * lines (keys prefixed {@code valid_}) validation points. Other lines are ignored; a line that
 * looks like a record but does not parse is counted, and a last line without its end (the file
 * is being written) is left for the next read.
 */
public final class FairseqLogReader {

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    private static final Pattern HYDRA = Pattern.compile("^\\[[^\\]]*\\]\\[([^\\]]+)\\]\\[[A-Z]+\\] - (\\{.*)$");
    private static final Pattern PLAIN = Pattern.compile("^.*?\\| [A-Z]+ \\| ([\\w.]+) \\| (\\{.*)$");

    private FairseqLogReader() {
    }

    /**
     * @param points    in file order
     * @param bytesRead offset after the last complete line (where a follower continues)
     * @param malformed record lines that did not parse
     */
    public record Result(List<LogPoint> points, long bytesRead, int malformed) {
    }

    public static Result read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Result parse(byte[] bytes) {
        List<LogPoint> out = new ArrayList<>();
        int malformed = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
            start = i + 1;
            String logger;
            String json;
            Matcher h = HYDRA.matcher(line);
            Matcher p = PLAIN.matcher(line);
            if (h.matches()) {
                logger = h.group(1);
                json = h.group(2);
            } else if (p.matches()) {
                logger = p.group(1);
                json = p.group(2);
            } else if (line.startsWith("{")) {
                logger = null;
                json = line;
            } else {
                continue;
            }
            try {
                LogPoint point = point(logger, JSON.readTree(json));
                if (point != null) {
                    out.add(point);
                }
            } catch (IOException e) {
                malformed++;
            }
        }
        return new Result(out, start, malformed);
    }

    private static LogPoint point(String logger, JsonNode n) {
        if ("train".equals(logger)) {
            return null; // the epoch summary repeats what train_inner logged
        }
        boolean valid = "valid".equals(logger) || n.has("valid_loss");
        String prefix = valid ? "valid_" : "";
        JsonNode updates = n.has("num_updates") ? n.get("num_updates") : n.get(prefix + "num_updates");
        if (updates == null) {
            return null;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            String key = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
            String ours = MetricNames.FAIRSEQ.get(key);
            if (ours != null) {
                double v = number(e.getValue());
                // fairseq reports WER and UER in percent; ours are fractions
                values.put(ours, ours.equals("wer") || ours.equals("cer") ? v / 100 : v);
            }
        });
        return new LogPoint(valid ? "valid" : "train", (long) number(updates), values);
    }

    /** fairseq writes numbers as strings, including "nan" and "inf". */
    static double number(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        String s = v.asText().strip().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }
}
