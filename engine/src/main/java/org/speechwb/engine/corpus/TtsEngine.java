package org.speechwb.engine.corpus;

/**
 * The text-to-speech programs the recipe drives. Each is an external program, so that users
 * who only run the app need nothing but the bundled corpus, and the recipe needs no native
 * bindings.
 */
public enum TtsEngine {
    ESPEAK_NG("espeak", "espeak-ng"),
    FLITE("flite", "flite");

    /** Debian/Ubuntu command that installs both programs; quoted in every "not found" error. */
    public static final String INSTALL_HINT = "apt-get install espeak-ng flite";

    private final String prefix;
    private final String program;

    TtsEngine(String prefix, String program) {
        this.prefix = prefix;
        this.program = program;
    }

    /** First part of a speaker id, e.g. "espeak" in "espeak-en-gb+f2". */
    public String prefix() {
        return prefix;
    }

    /** Executable name looked up on the PATH. */
    public String program() {
        return program;
    }

    static TtsEngine fromPrefix(String prefix) {
        for (TtsEngine e : values()) {
            if (e.prefix.equals(prefix)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown TTS engine '" + prefix + "' (expected espeak or flite)");
    }
}
