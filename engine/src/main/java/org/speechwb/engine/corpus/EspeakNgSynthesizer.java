package org.speechwb.engine.corpus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * espeak-ng: {@code -v voice+variant -s wpm -p pitch -f text -w out.wav}, 22.05 kHz output.
 *
 * <p>Speed maps to words per minute around espeak-ng's default of 175; pitch maps to its 0-99
 * pitch scale around the default 50, which moves the fundamental roughly in proportion
 * (measured: -p 30/50/70 gives about 84/101/124 Hz for en-us). The text goes through a file so
 * that no sentence can be mistaken for an option.
 */
public final class EspeakNgSynthesizer implements Synthesizer {

    static final int DEFAULT_WPM = 175;
    static final int DEFAULT_PITCH = 50;
    private static final Pattern VERSION = Pattern.compile("text-to-speech:\\s*(\\S+)");

    private static final Pattern VARIANT_FILE = Pattern.compile("!v/(\\S+)");

    private final String program;
    private final Duration timeout;
    private volatile Set<String> languages;
    private volatile Set<String> variants;

    public EspeakNgSynthesizer(Duration timeout) {
        this(TtsEngine.ESPEAK_NG.program(), timeout);
    }

    EspeakNgSynthesizer(String program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    @Override
    public TtsEngine engine() {
        return TtsEngine.ESPEAK_NG;
    }

    @Override
    public void synthesize(TtsVoice voice, String text, Prosody prosody, Path wavOut) throws TtsException {
        if (voice.engine() != TtsEngine.ESPEAK_NG) {
            throw new IllegalArgumentException("not an espeak-ng voice: " + voice);
        }
        Path textFile = SynthesisFiles.writeText(wavOut, text);
        try {
            String name = voice.voice() + (voice.variant().isEmpty() ? "" : "+" + voice.variant());
            int wpm = (int) Math.round(DEFAULT_WPM * prosody.speed());
            int pitch = (int) Math.max(0, Math.min(99, Math.round(DEFAULT_PITCH * prosody.pitch())));
            ExternalProgram.run(List.of(program, "-v", name, "-s", Integer.toString(wpm),
                    "-p", Integer.toString(pitch), "-f", textFile.toString(), "-w", wavOut.toString()), timeout);
            SynthesisFiles.requireAudio(program, voice, wavOut);
        } finally {
            SynthesisFiles.deleteQuietly(textFile);
        }
    }

    @Override
    public void requireVoice(TtsVoice voice) throws TtsException {
        if (languages == null) {
            languages = column(ExternalProgram.run(List.of(program, "--voices"), timeout));
            variants = variantNames(ExternalProgram.run(List.of(program, "--voices=variant"), timeout));
        }
        if (!languages.contains(voice.voice())) {
            throw new TtsException("espeak-ng has no voice '" + voice.voice() + "' (needed for " + voice.speakerId()
                    + "); list them with `espeak-ng --voices=en`");
        }
        if (!voice.variant().isEmpty() && !variants.contains(voice.variant())) {
            throw new TtsException("espeak-ng has no variant '" + voice.variant() + "' (needed for " + voice.speakerId()
                    + "); list them with `espeak-ng --voices=variant`");
        }
    }

    /** The Language column of {@code espeak-ng --voices}. */
    private static Set<String> column(String listing) {
        Set<String> names = new HashSet<>();
        String[] lines = listing.split("\\R");
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length >= 2) {
                names.add(fields[1]);
            }
        }
        return names;
    }

    /** Variant names are the file names after "!v/" in {@code espeak-ng --voices=variant}. */
    private static Set<String> variantNames(String listing) {
        Set<String> names = new HashSet<>();
        Matcher m = VARIANT_FILE.matcher(listing);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Override
    public String version() throws TtsException {
        String out = ExternalProgram.run(List.of(program, "--version"), timeout);
        Matcher m = VERSION.matcher(out);
        return "espeak-ng " + (m.find() ? m.group(1) : out.strip().split("\\R")[0]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "espeak-ng (%s)", program);
    }
}
