package org.speechwb.engine.corpus;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The synthesizer for each engine, checked before any audio is made: every program a recipe
 * needs must run and every voice must exist, so a missing install fails in the first second
 * with one clear message instead of after an hour of partial output.
 */
public final class TtsToolchain {

    private final Map<TtsEngine, Synthesizer> synthesizers = new EnumMap<>(TtsEngine.class);

    public TtsToolchain(Collection<? extends Synthesizer> synthesizers) {
        for (Synthesizer s : synthesizers) {
            this.synthesizers.put(s.engine(), s);
        }
    }

    /** espeak-ng and flite from the PATH, each call limited to {@code timeout}. */
    public static TtsToolchain system(Duration timeout) {
        return new TtsToolchain(List.of(new EspeakNgSynthesizer(timeout), new FliteSynthesizer(timeout)));
    }

    public Synthesizer synthesizer(TtsEngine engine) {
        Synthesizer s = synthesizers.get(engine);
        if (s == null) {
            throw new IllegalStateException("no synthesizer configured for " + engine.program());
        }
        return s;
    }

    /**
     * Verifies that the programs for {@code voices} run and that each voice is installed, and
     * returns their versions ("espeak-ng" -&gt; "espeak-ng 1.51").
     *
     * @throws TtsException naming the first missing program or voice
     */
    public Map<String, String> check(Collection<TtsVoice> voices) throws TtsException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (TtsEngine engine : new TreeSet<>(voices.stream().map(TtsVoice::engine).toList())) {
            versions.put(engine.program(), synthesizer(engine).version());
        }
        for (TtsVoice v : voices) {
            synthesizer(v.engine()).requireVoice(v);
        }
        return versions;
    }
}
