package org.speechwb.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** μ-law and A-law WAV (format tags 7 and 6), as telephone corpora store them. */
class G711Test {

    @TempDir
    Path dir;

    /** The standard G.711 μ-law encoder (bias 0x84, clip 32635), written independently of the decoder. */
    private static int mulawEncode(int pcm) {
        int sign = pcm < 0 ? 0x80 : 0;
        int x = Math.min(Math.abs(pcm), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (x & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (x >> (exponent + 3)) & 0x0F;
        return ~(sign | (exponent << 4) | mantissa) & 0xFF;
    }

    @Test
    void tableValuesAreTheG711Ones() {
        assertThat(PcmConverter.g711(SampleFormat.MULAW, 0xFF) * 32768).isEqualTo(0f);
        assertThat(PcmConverter.g711(SampleFormat.MULAW, 0x80) * 32768).isEqualTo(32124f);
        assertThat(PcmConverter.g711(SampleFormat.MULAW, 0x00) * 32768).isEqualTo(-32124f);
        assertThat(PcmConverter.g711(SampleFormat.ALAW, 0xD5) * 32768).isEqualTo(8f);
        assertThat(PcmConverter.g711(SampleFormat.ALAW, 0x55) * 32768).isEqualTo(-8f);
        assertThat(PcmConverter.g711(SampleFormat.ALAW, 0xAA) * 32768).isEqualTo(32256f);
        for (int b = 0; b < 256; b++) {
            // every byte decodes and re-encodes to itself (except μ-law's two zeros)
            float v = PcmConverter.g711(SampleFormat.MULAW, b) * 32768;
            int back = mulawEncode(Math.round(v));
            assertThat(back == b || (v == 0 && (b == 0x7F || b == 0xFF))).as("byte %02x -> %f -> %02x", b, v, back).isTrue();
        }
    }

    @Test
    void aMulawToneReadsBackWithinItsQuantisationAndAlawIsAccepted() throws Exception {
        int n = 800;
        byte[] data = new byte[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 300 * i / 8000.0));
            data[i] = (byte) mulawEncode(Math.round(x[i] * 32767));
        }
        Path f = Files.write(dir.resolve("phone.wav"),
                RiffBytes.wave().chunk("fmt ", RiffBytes.fmt(7, 1, 8000, 1, 8)).chunk("data", data).bytes());
        AudioInfo info = AudioReader.probe(f);
        assertThat(info.sampleRate()).isEqualTo(8000);
        assertThat(info.frames()).isEqualTo(n);
        assertThat(info.encoding()).isEqualTo("mulaw");
        float[] y = AudioReader.read(f).samples();
        for (int i = 0; i < n; i++) {
            // μ-law steps are at most 1/16 of the magnitude's segment: 4 % relative plus a floor
            assertThat(y[i]).isCloseTo(x[i], within(0.04f * Math.abs(x[i]) + 0.002f));
        }
        assertThat(AudioReader.read16k(f).samples()).hasSize(2 * n);

        Path a = Files.write(dir.resolve("alaw.wav"), RiffBytes.wave().chunk("fmt ", RiffBytes.fmt(6, 2, 8000, 2, 8))
                .chunk("data", new byte[] {(byte) 0xAA, (byte) 0xAA, (byte) 0xD5, 0x55}).bytes());
        assertThat(AudioReader.read(a).samples()).containsExactly(32256f / 32768, 0f);
    }
}
