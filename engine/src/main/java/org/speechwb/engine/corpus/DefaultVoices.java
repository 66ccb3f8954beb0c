package org.speechwb.engine.corpus;

import java.util.List;

/**
 * The voice inventory used when none is given: every usable flite voice and sixteen espeak-ng
 * speakers spread over its eight English accents, with female (f1-f5), male (m1-m8) and Klatt
 * variants. The 8 kHz flite "kal" is left out because it is the same speaker as "kal16" and
 * would leak across a speaker-disjoint split; "awb_time" only speaks clock times.
 */
public final class DefaultVoices {

    private static final List<String> SPECS = List.of(
            "flite-slt", "flite-kal16", "flite-rms", "flite-awb",
            "espeak-en-us", "espeak-en-us+f3", "espeak-en-us+klatt", "espeak-en-us+m7",
            "espeak-en-gb+m3", "espeak-en-gb+f2", "espeak-en-gb+f5",
            "espeak-en-gb-scotland+m2", "espeak-en-gb-scotland+f3",
            "espeak-en-gb-x-rp+f4", "espeak-en-gb-x-rp+m4",
            "espeak-en-gb-x-gbclan+m5", "espeak-en-gb-x-gbcwmd+f1",
            "espeak-en-029+m6", "espeak-en-029+f4",
            "espeak-en-us-nyc+f2");

    private DefaultVoices() {
    }

    public static List<TtsVoice> all() {
        return SPECS.stream().map(TtsVoice::parse).toList();
    }
}
