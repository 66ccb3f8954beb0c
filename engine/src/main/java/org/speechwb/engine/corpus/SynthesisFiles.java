package org.speechwb.engine.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** File chores shared by the synthesizers: the prompt file beside the WAV, and output checks. */
final class SynthesisFiles {

    /** A WAV header alone is 44 bytes; anything this small holds no speech. */
    private static final long MIN_WAV_BYTES = 1000;

    private SynthesisFiles() {
    }

    static Path writeText(Path wavOut, String text) throws TtsException {
        Path textFile = wavOut.resolveSibling(wavOut.getFileName() + ".txt");
        try {
            Files.writeString(textFile, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TtsException("cannot write the prompt file " + textFile + ": " + e.getMessage(), e);
        }
        return textFile;
    }

    static void requireAudio(String program, TtsVoice voice, Path wav) throws TtsException {
        try {
            if (!Files.isRegularFile(wav) || Files.size(wav) < MIN_WAV_BYTES) {
                String listVoices = voice.engine() == TtsEngine.FLITE ? program + " -lv" : program + " --voices=en";
                throw new TtsException(program + " wrote no audio to " + wav + " for voice " + voice.speakerId()
                        + " (is the voice installed? list them with `" + listVoices + "`)");
            }
        } catch (IOException e) {
            throw new TtsException("cannot check the output of " + program + " at " + wav + ": " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray prompt file in the scratch folder is removed with the folder
        }
    }
}
