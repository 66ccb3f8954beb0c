package org.speechwb.engine.corpus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * flite: {@code -voice name --setf duration_stretch=1/speed --setf f0_shift=pitch -f text -o out.wav},
 * 16 kHz output for the voices we use.
 *
 * <p>Pitch goes through {@code f0_shift}, a multiplier on the voice's own F0 contour, rather than
 * {@code int_f0_target_mean}, an absolute mean in Hz: the multiplier needs no per-voice table of
 * default F0 values and scales female and male voices alike (measured on slt: 0.8/1.3 gives
 * about 136/222 Hz from 170 Hz). The rms voice ignores both settings, so its pitch stays fixed.
 */
public final class FliteSynthesizer implements Synthesizer {

    private final String program;
    private final Duration timeout;
    private volatile Set<String> voices;

    public FliteSynthesizer(Duration timeout) {
        this(TtsEngine.FLITE.program(), timeout);
    }

    FliteSynthesizer(String program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    @Override
    public TtsEngine engine() {
        return TtsEngine.FLITE;
    }

    @Override
    public void synthesize(TtsVoice voice, String text, Prosody prosody, Path wavOut) throws TtsException {
        if (voice.engine() != TtsEngine.FLITE) {
            throw new IllegalArgumentException("not a flite voice: " + voice);
        }
        Path textFile = SynthesisFiles.writeText(wavOut, text);
        try {
            ExternalProgram.run(List.of(program, "-voice", voice.voice(),
                    "--setf", String.format(Locale.ROOT, "duration_stretch=%.4f", 1.0 / prosody.speed()),
                    "--setf", String.format(Locale.ROOT, "f0_shift=%.4f", prosody.pitch()),
                    "-f", textFile.toString(), "-o", wavOut.toString()), timeout);
            SynthesisFiles.requireAudio(program, voice, wavOut);
        } finally {
            SynthesisFiles.deleteQuietly(textFile);
        }
    }

    @Override
    public void requireVoice(TtsVoice voice) throws TtsException {
        if (voices == null) {
            String listing = ExternalProgram.run(List.of(program, "-lv"), timeout);
            int colon = listing.indexOf(':');
            voices = new HashSet<>(Arrays.asList(listing.substring(colon + 1).trim().split("\\s+")));
        }
        if (!voices.contains(voice.voice())) {
            throw new TtsException("flite has no voice '" + voice.voice() + "' (needed for " + voice.speakerId()
                    + "); installed: " + new TreeSet<>(voices) + " (list them with `flite -lv`)");
        }
    }

    @Override
    public String version() throws TtsException {
        String out = ExternalProgram.runAnyStatus(List.of(program, "--version"), timeout); // exits with 1
        for (String line : out.split("\\R")) {
            String s = line.strip();
            if (s.startsWith("version:")) {
                return s.substring("version:".length()).strip();
            }
        }
        throw new TtsException(program + " --version printed no version line: " + out.strip());
    }

    @Override
    public String toString() {
        return "flite (" + program + ")";
    }
}
