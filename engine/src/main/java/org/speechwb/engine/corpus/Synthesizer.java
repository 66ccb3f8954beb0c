package org.speechwb.engine.corpus;

import java.nio.file.Path;

/** One text-to-speech engine, reached as an external program. Implementations are thread-safe. */
public interface Synthesizer {

    TtsEngine engine();

    /**
     * Speaks {@code text} with {@code voice} into a WAV file at the engine's native rate.
     *
     * @throws TtsException if the program is missing, fails, times out or writes no audio
     */
    void synthesize(TtsVoice voice, String text, Prosody prosody, Path wavOut) throws TtsException;

    /**
     * Checks that {@code voice} is installed. Both programs silently fall back to a default voice
     * when given an unknown name, which would put one speaker's audio under another's id.
     *
     * @throws TtsException naming the voice and how to list the installed ones
     */
    void requireVoice(TtsVoice voice) throws TtsException;

    /** The engine's version string, recorded in corpus.json because the audio depends on it. */
    String version() throws TtsException;
}
