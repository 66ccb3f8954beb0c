package org.speechwb.engine.corpus;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One synthetic speaker: an engine, one of its voices and, for espeak-ng, an optional variant.
 *
 * <p>The speaker id ({@code espeak-en-gb-scotland+m3}, {@code flite-slt}) is what corpora,
 * splits and results use; a spec as accepted by {@link #parse} is the id, optionally followed
 * by {@code :M} or {@code :F} when the gender cannot be inferred from the name.
 *
 * @param voice   espeak-ng language voice (en-us, en-gb-x-rp, ...) or flite voice (slt, kal16, ...)
 * @param variant espeak-ng variant (f3, m2, klatt, ...); empty for none and always empty for flite
 */
public record TtsVoice(TtsEngine engine, String voice, String variant, VoiceGender gender) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Set<String> FLITE_FEMALE = Set.of("slt");
    private static final Set<String> FLITE_MALE = Set.of("kal", "kal16", "awb", "rms");

    public TtsVoice {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(gender, "gender");
        variant = variant == null ? "" : variant;
        if (voice == null || !NAME.matcher(voice).matches()) {
            throw new IllegalArgumentException("invalid voice name '" + voice + "'");
        }
        if (!variant.isEmpty() && !NAME.matcher(variant).matches()) {
            throw new IllegalArgumentException("invalid variant name '" + variant + "'");
        }
        if (engine == TtsEngine.FLITE && !variant.isEmpty()) {
            throw new IllegalArgumentException("flite voices have no variants: flite-" + voice + "+" + variant);
        }
    }

    /** Stable speaker id, also used as the audio sub-folder name. */
    public String speakerId() {
        return engine.prefix() + "-" + voice + (variant.isEmpty() ? "" : "+" + variant);
    }

    /** The id plus gender, the form {@link #parse} reads back exactly. */
    public String spec() {
        return speakerId() + ":" + gender.code();
    }

    /**
     * Reads {@code engine-voice[+variant][:M|:F]}. Without a gender suffix the gender is inferred
     * from known names: espeak-ng variants f1-f5 are female, m1-m8, klatt* and no variant are male
     * (the en voices are male by default); flite slt is female, kal, kal16, awb and rms male.
     */
    public static TtsVoice parse(String spec) {
        String s = spec.trim();
        String genderCode = null;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            genderCode = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        int dash = s.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("voice spec '" + spec + "' must look like espeak-en-gb+f2 or flite-slt");
        }
        TtsEngine engine = TtsEngine.fromPrefix(s.substring(0, dash));
        String rest = s.substring(dash + 1);
        int plus = rest.indexOf('+');
        String voice = plus < 0 ? rest : rest.substring(0, plus);
        String variant = plus < 0 ? "" : rest.substring(plus + 1);
        VoiceGender gender = genderCode != null ? VoiceGender.fromCode(genderCode) : inferGender(engine, voice, variant, spec);
        return new TtsVoice(engine, voice, variant, gender);
    }

    private static VoiceGender inferGender(TtsEngine engine, String voice, String variant, String spec) {
        if (engine == TtsEngine.FLITE) {
            if (FLITE_FEMALE.contains(voice)) {
                return VoiceGender.FEMALE;
            }
            if (FLITE_MALE.contains(voice)) {
                return VoiceGender.MALE;
            }
        } else {
            if (variant.matches("f[1-5]")) {
                return VoiceGender.FEMALE;
            }
            if (variant.isEmpty() || variant.matches("m[1-8]") || variant.matches("klatt[0-9]*")) {
                return VoiceGender.MALE;
            }
        }
        throw new IllegalArgumentException("cannot tell the gender of voice '" + spec + "'; append :M or :F");
    }

    @Override
    public String toString() {
        return spec();
    }
}
