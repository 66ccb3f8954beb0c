package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtsVoiceTest {

    @Test
    void parsesSpeakerIdsAndInfersGender() {
        TtsVoice v = TtsVoice.parse("espeak-en-gb-scotland+m3");
        assertThat(v.engine()).isEqualTo(TtsEngine.ESPEAK_NG);
        assertThat(v.voice()).isEqualTo("en-gb-scotland");
        assertThat(v.variant()).isEqualTo("m3");
        assertThat(v.gender()).isEqualTo(VoiceGender.MALE);
        assertThat(v.speakerId()).isEqualTo("espeak-en-gb-scotland+m3");

        assertThat(TtsVoice.parse("espeak-en-us+f3").gender()).isEqualTo(VoiceGender.FEMALE);
        assertThat(TtsVoice.parse("espeak-en-us").gender()).isEqualTo(VoiceGender.MALE);
        assertThat(TtsVoice.parse("espeak-en-us+klatt4").gender()).isEqualTo(VoiceGender.MALE);
        assertThat(TtsVoice.parse("flite-slt").gender()).isEqualTo(VoiceGender.FEMALE);
        assertThat(TtsVoice.parse("flite-awb").gender()).isEqualTo(VoiceGender.MALE);
        assertThat(TtsVoice.parse("espeak-en-us+Annie:F").gender()).isEqualTo(VoiceGender.FEMALE);
    }

    @Test
    void specRoundTrips() {
        for (TtsVoice v : DefaultVoices.all()) {
            assertThat(TtsVoice.parse(v.spec())).isEqualTo(v);
            assertThat(TtsVoice.parse(v.speakerId())).isEqualTo(v);
        }
    }

    @Test
    void rejectsBadSpecs() {
        assertThatThrownBy(() -> TtsVoice.parse("espeak-en-us+Annie")).hasMessageContaining(":M or :F");
        assertThatThrownBy(() -> TtsVoice.parse("festival-kal")).hasMessageContaining("unknown TTS engine");
        assertThatThrownBy(() -> TtsVoice.parse("flite-slt+f2")).hasMessageContaining("no variants");
        assertThatThrownBy(() -> TtsVoice.parse("slt")).hasMessageContaining("must look like");
        assertThatThrownBy(() -> TtsVoice.parse("espeak-en us")).hasMessageContaining("invalid voice");
    }

    @Test
    void defaultInventoryHasBothEnginesAndGendersAndNoDuplicates() {
        List<TtsVoice> all = DefaultVoices.all();
        assertThat(new HashSet<>(all.stream().map(TtsVoice::speakerId).toList())).hasSameSizeAs(all);
        assertThat(all).extracting(TtsVoice::engine).contains(TtsEngine.ESPEAK_NG, TtsEngine.FLITE);
        assertThat(all).extracting(TtsVoice::gender).contains(VoiceGender.MALE, VoiceGender.FEMALE);
        assertThat(all).extracting(TtsVoice::speakerId).doesNotContain("flite-kal");
    }
}
