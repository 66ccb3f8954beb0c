package org.speechwb.engine.corpus;

import java.util.Locale;

/**
 * One (voice, sentence) pair the recipe may synthesise.
 *
 * @param id {@code <speaker>_s<line>}, e.g. {@code flite-slt_s0042}: unique, and it tells who said
 *           which line of the prompt file
 */
public record PlannedUtterance(String id, CorpusSplit split, TtsVoice voice, Prompt prompt) {

    static String idFor(TtsVoice voice, Prompt prompt) {
        return String.format(Locale.ROOT, "%s_s%04d", voice.speakerId(), prompt.line());
    }
}
