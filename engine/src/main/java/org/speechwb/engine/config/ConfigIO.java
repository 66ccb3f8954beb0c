package org.speechwb.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * Reads and writes configs as YAML (.yaml/.yml) or JSON (anything else). Unknown fields are
 * errors, so a typo never silently falls back to a default; validation errors from the
 * records come back as {@link ConfigException} naming the file and the offending field.
 */
public final class ConfigIO {

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private ConfigIO() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        // optional config sections (PretrainConfig's family-specific ones) read as null when absent
        m.setInjectableValues(new InjectableValues.Std().addValue(PretrainConfig.ABSENT_WAV2VEC2, null)
                .addValue(PretrainConfig.ABSENT_WAV2VEC1, null).addValue(PretrainConfig.ABSENT_MASKING, null)
                .addValue(PretrainConfig.ABSENT_QUANTIZER, null)
                .addValue(DataConfig.ABSENT_EPSILON, null)
                .addValue(LossConfig.ABSENT_LEVEL_POOL, null).addValue(LossConfig.ABSENT_MFCC_CLUSTERS, null)
                .addValue(LossConfig.ABSENT_MFCC_CMVN, null)
                .addValue(DataConfig.ABSENT_GAIN_JITTER, null).addValue(FinetuneConfig.ABSENT_SELECTION, null));
        return m;
    }

    public static ObjectMapper mapperFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    public static <T> T read(Path file, Class<T> type) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return readFrom(in, type, file, mapperFor(file));
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read config: " + e.getMessage(), e);
        }
    }

    /** A config held as YAML text (the one a checkpoint stores), with errors naming {@code source}. */
    public static <T> T readYaml(String yaml, Class<T> type, Path source) throws ConfigException {
        return readFrom(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)), type,
                source, YAML);
    }

    public static <T> T readFrom(InputStream in, Class<T> type, Path source, ObjectMapper mapper) throws ConfigException {
        try {
            return mapper.readValue(in, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(source, "invalid " + path(e) + ": " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new ConfigException(source, "unknown field " + path(e) + " (known: " + e.getKnownPropertyIds() + ")", e);
        } catch (JsonMappingException e) {
            String msg = e.getOriginalMessage();
            if (msg.startsWith("Missing creator property")) {
                throw new ConfigException(source, "missing field " + path(e), e);
            }
            throw new ConfigException(source, "bad field " + path(e) + ": " + msg, e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, "not valid " + (mapper == YAML ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(source, "cannot read config: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Object config) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toString(config, mapperFor(file)));
    }

    public static String toString(Object config, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toYaml(Object config) {
        return toString(config, YAML);
    }

    private static String path(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            parts.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return parts.isEmpty() ? "config" : String.join(".", parts).replace(".[", "[");
    }
}
