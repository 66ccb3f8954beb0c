package org.speechwb.engine.corpus;

/**
 * Whether a voice sounds male or female. Recorded per speaker so that the held-out test voices
 * can be chosen to cover both, and so that experiments can report results by group.
 */
public enum VoiceGender {
    MALE("M"),
    FEMALE("F");

    private final String code;

    VoiceGender(String code) {
        this.code = code;
    }

    /** "M" or "F", as written in voice specs ({@code espeak-en-us+Annie:F}) and corpus.json. */
    public String code() {
        return code;
    }

    static VoiceGender fromCode(String code) {
        for (VoiceGender g : values()) {
            if (g.code.equalsIgnoreCase(code)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown gender '" + code + "' (expected M or F)");
    }
}
