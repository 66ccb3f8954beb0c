package org.speechwb.app.experiment;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;

/**
 * One editable knob of {@link PretrainConfig}, found by walking the config's records, so a
 * field added to the engine appears in the editor without touching the app.
 *
 * @param path     {@code section.field}, as {@code ConfigOverrides} takes it
 * @param category the group shown in the editor (Model, Masking, …)
 * @param type     the Java type of the field
 */
public record ConfigField(String path, String section, String name, String category, Class<?> type,
                          String description) {

    /** Editor groups in the order a researcher thinks about them. */
    public static final List<String> CATEGORIES = List.of("Model", "Masking", "Quantizer", "Loss", "Optimizer", "Data",
            "Run");

    private static final Map<String, String> SECTION_CATEGORY = Map.of("wav2vec2", "Model", "wav2vec1", "Model",
            "masking", "Masking",
            "quantizer", "Quantizer", "loss", "Loss", "optimizer", "Optimizer", "data", "Data", "run", "Run");

    public enum Kind { INT, LONG, DOUBLE, BOOLEAN, CHOICE, CONV_LAYERS, TEXT }

    public Kind kind() {
        if (type == int.class || type == Integer.class) {
            return Kind.INT;
        }
        if (type == long.class || type == Long.class) {
            return Kind.LONG;
        }
        if (type == double.class || type == Double.class) {
            return Kind.DOUBLE;
        }
        if (type == boolean.class || type == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (type == List.class) {
            return Kind.CONV_LAYERS;
        }
        if (type.isEnum() || !choices().isEmpty()) {
            return Kind.CHOICE;
        }
        return Kind.TEXT;
    }

    /** Values offered for a choice field, as written in config files. */
    public List<String> choices() {
        if (type == ExtractorMode.class) {
            return List.of("default", "layer_norm");
        }
        return switch (path) {
            case "optimizer.schedule" -> List.of("polynomial", "cosine", "tri_stage");
            case "wav2vec1.activation" -> List.of("relu", "gelu");
            case "wav2vec1.normalization" -> List.of("group", "layer");
            case "wav2vec1.objective" -> List.of("binary", "infonce");
            case "wav2vec1.quantizer" -> List.of("none", "gumbel", "kmeans");
            default -> List.of();
        };
    }

    /** Every field of every section, in declaration order within {@link #CATEGORIES} order. */
    public static List<ConfigField> all() {
        List<ConfigField> out = new ArrayList<>();
        for (RecordComponent section : PretrainConfig.class.getRecordComponents()) {
            Class<?> st = section.getType();
            if (!st.isRecord()) {
                continue; // "family" has its own selector
            }
            String category = SECTION_CATEGORY.getOrDefault(section.getName(), section.getName());
            for (RecordComponent f : st.getRecordComponents()) {
                String path = section.getName() + "." + f.getName();
                out.add(new ConfigField(path, section.getName(), f.getName(), category, f.getType(),
                        FieldDocs.describe(path)));
            }
        }
        out.sort(java.util.Comparator.comparingInt(f -> CATEGORIES.indexOf(f.category())));
        return out;
    }

    /** "maskProb" → "mask prob". */
    public String label() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /**
     * Checks the text typed for this field before it is handed to the config.
     *
     * @return null when it parses, else what is wrong
     */
    public String parseError(String text) {
        String t = text == null ? "" : text.trim();
        try {
            switch (kind()) {
                case INT -> Integer.parseInt(t);
                case LONG -> Long.parseLong(t);
                case DOUBLE -> {
                    double d = Double.parseDouble(t);
                    if (!Double.isFinite(d)) {
                        return "must be a finite number";
                    }
                }
                case BOOLEAN -> {
                    if (!t.equals("true") && !t.equals("false")) {
                        return "must be true or false";
                    }
                }
                case CONV_LAYERS -> parseConvLayers(t);
                case CHOICE -> {
                    if (!choices().isEmpty() && !choices().contains(t)) {
                        return "must be one of " + String.join(", ", choices());
                    }
                }
                case TEXT -> {
                    if (t.isEmpty()) {
                        return "must not be empty";
                    }
                }
            }
        } catch (NumberFormatException e) {
            return switch (kind()) {
                case INT, LONG -> "'" + t + "' is not a whole number";
                case DOUBLE -> "'" + t + "' is not a number";
                default -> "cannot read '" + t + "'";
            };
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    /** The YAML value handed to ConfigOverrides for typed text (which must parse). */
    public String toOverrideValue(String text) {
        String t = text.trim();
        if (kind() == Kind.CONV_LAYERS) {
            StringBuilder sb = new StringBuilder("[");
            for (ConvLayerSpec l : parseConvLayers(t)) {
                sb.append(sb.length() > 1 ? ", " : "").append("{channels: ").append(l.channels()).append(", kernel: ")
                        .append(l.kernel()).append(", stride: ").append(l.stride()).append('}');
            }
            return sb.append(']').toString();
        }
        return t;
    }

    /**
     * Parses the compact encoder notation {@code (512,10,5) (512,3,2)x4 (512,2,2)x2}:
     * (channels, kernel, stride) per layer, {@code xN} repeats a layer.
     */
    public static List<ConvLayerSpec> parseConvLayers(String text) {
        List<ConvLayerSpec> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)(?:\\s*[x×*]\\s*(\\d+))?")
                .matcher(text);
        int end = 0;
        while (m.find()) {
            if (!text.substring(end, m.start()).isBlank()) {
                throw new IllegalArgumentException("write layers as (channels,kernel,stride), optionally followed by xN");
            }
            int repeat = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
            for (int i = 0; i < repeat; i++) {
                out.add(new ConvLayerSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))));
            }
            end = m.end();
        }
        if (!text.substring(end).isBlank() || out.isEmpty()) {
            throw new IllegalArgumentException("write layers as (channels,kernel,stride), optionally followed by xN");
        }
        return out;
    }

    /** The inverse of {@link #parseConvLayers}, with repeats folded. */
    public static String formatConvLayers(List<ConvLayerSpec> layers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < layers.size(); ) {
            ConvLayerSpec l = layers.get(i);
            int j = i;
            while (j < layers.size() && layers.get(j).equals(l)) {
                j++;
            }
            sb.append(sb.length() > 0 ? " " : "").append('(').append(l.channels()).append(',').append(l.kernel())
                    .append(',').append(l.stride()).append(')');
            if (j - i > 1) {
                sb.append('x').append(j - i);
            }
            i = j;
        }
        return sb.toString();
    }
}
