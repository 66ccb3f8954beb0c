package org.speechwb.engine.config;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The configurations shipped in {@code resources/presets/} (on the class path under
 * {@code /presets/}): the reference BASE and LARGE recipes and a small CPU preset.
 */
public final class Presets {

    /** Preset names with a one-line description, in display order. */
    public static final List<String[]> PRETRAIN = List.of(
            new String[] {"wav2vec2-small-cpu", "small model that learns on the bundled corpus in minutes on 2 cores"},
            new String[] {"wav2vec2-base", "fairseq wav2vec 2.0 BASE (95 M parameters), LibriSpeech recipe"},
            new String[] {"wav2vec2-large", "fairseq wav2vec 2.0 LARGE (317 M parameters), LV-60k recipe"});

    private Presets() {
    }

    public static PretrainConfig pretrain(String name) throws ConfigException {
        String resource = "/presets/" + name + ".yaml";
        try (InputStream in = Presets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(null, "no preset named '" + name + "' (known: "
                        + PRETRAIN.stream().map(p -> p[0]).toList() + ")", null);
            }
            return ConfigIO.readFrom(in, PretrainConfig.class, Path.of("presets", name + ".yaml"), ConfigIO.yaml());
        } catch (java.io.IOException e) {
            throw new ConfigException(null, "cannot read preset " + name + ": " + e.getMessage(), e);
        }
    }

    /** A preset name, or a path to a YAML/JSON file. */
    public static PretrainConfig pretrainFromNameOrFile(String nameOrPath) throws ConfigException {
        Path p = Path.of(nameOrPath);
        if (java.nio.file.Files.isRegularFile(p)) {
            return ConfigIO.read(p, PretrainConfig.class);
        }
        return pretrain(nameOrPath);
    }
}
