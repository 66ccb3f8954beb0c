package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WavRoundTripTest {

    @TempDir
    Path dir;

    static List<Arguments> encodingsAndLayouts() {
        List<Arguments> cases = new ArrayList<>();
        for (WavWriter.Encoding encoding : WavWriter.Encoding.values()) {
            for (int channels : new int[] {1, 2, 3, 8}) {
                cases.add(Arguments.of(encoding, channels, false));
                cases.add(Arguments.of(encoding, channels, true));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, {1} channel(s), extensible={2}")
    @MethodSource("encodingsAndLayouts")
    void everyEncodingAndChannelCountRoundTrips(WavWriter.Encoding encoding, int channels, boolean extensible) throws IOException {
        int frames = 1001; // odd, so 8-bit mono needs the RIFF pad byte
        float[][] input = new float[channels][];
        for (int c = 0; c < channels; c++) {
            input[c] = Signals.noisyTone(200 + 150 * c, 22050, frames, c);
        }
        Path file = dir.resolve("x.wav");
        WavWriter.write(file, input, 22050, encoding, extensible);

        AudioInfo info = AudioReader.probe(file);
        AudioClip clip = AudioReader.read(file);

        assertThat(info.container()).isEqualTo("wav");
        assertThat(info.encoding()).isEqualTo(expectedName(encoding));
        assertThat(info.channels()).isEqualTo(channels);
        assertThat(info.sampleRate()).isEqualTo(22050);
        assertThat(info.bitsPerSample()).isEqualTo(encoding.bytesPerSample() * 8);
        assertThat(info.frames()).isEqualTo(frames);
        assertThat(clip.sampleRate()).isEqualTo(22050);
        assertThat(clip.samples()).hasSize(frames);
        assertThat(Signals.maxDiff(clip.samples(), Signals.mean(input))).isLessThanOrEqualTo(tolerance(encoding));
    }

    @Test
    void writerQuantisesToTheNearestStepAndClipsFullScale() throws IOException {
        float[] x = {0f, 0.5f, -0.5f, 1f, -1f, 1.5f, -3f, 1f / 32768 * 0.6f};
        Path file = dir.resolve("q.wav");
        WavWriter.write(file, x, 8000, WavWriter.Encoding.PCM_S16);
        float[] y = AudioReader.read(file).samples();
        assertThat(y).containsExactly(0f, 0.5f, -0.5f, 32767f / 32768, -1f, 32767f / 32768, -1f, 1f / 32768);
    }

    @Test
    void floatDataIsClampedAndNaNBecomesSilence() throws IOException {
        float[] x = {0.25f, 2f, -7f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (WavWriter.Encoding encoding : new WavWriter.Encoding[] {WavWriter.Encoding.FLOAT32, WavWriter.Encoding.FLOAT64}) {
            Path file = dir.resolve(encoding + ".wav");
            WavWriter.write(file, x, 8000, encoding);
            assertThat(AudioReader.read(file).samples()).containsExactly(0.25f, 1f, -1f, 0f, 1f, -1f);
        }
    }

    @Test
    void extensibleHeaderWithFewerValidBitsDecodesByContainer() throws IOException {
        // 20 valid bits, left-justified in 24-bit containers: a common studio format.
        byte[] fmt = RiffBytes.fmtExtensible(1, 48000, 24, 20, RiffBytes.guid(1));
        byte[] data = {0x00, 0x00, 0x40, 0x00, 0x00, (byte) 0xC0}; // +0.5, -0.5
        Path file = dir.resolve("ext20.wav");
        Files.write(file, RiffBytes.wave().chunk("fmt ", fmt).chunk("data", data).bytes());
        AudioInfo info = AudioReader.probe(file);
        assertThat(info.bitsPerSample()).isEqualTo(20);
        assertThat(info.encoding()).isEqualTo("pcm_s24");
        assertThat(AudioReader.read(file).samples()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void extensibleFloatSubFormatIsRead() throws IOException {
        Path file = dir.resolve("extf.wav");
        float[][] stereo = {{0.5f, -0.25f}, {0.25f, 0.75f}};
        WavWriter.write(file, stereo, 44100, WavWriter.Encoding.FLOAT32, true);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[20] & 0xFF).isEqualTo(0xFE); // really WAVE_FORMAT_EXTENSIBLE on disk
        assertThat(bytes[21] & 0xFF).isEqualTo(0xFF);
        assertThat(AudioReader.read(file).samples()).containsExactly(0.375f, 0.25f);
    }

    @Test
    void realRecordingReadsAsWrittenAndProbeAgrees() throws IOException {
        float[] speechLike = Signals.noisyTone(180, 16000, 16000, 7);
        Path file = dir.resolve("real.wav");
        WavWriter.write(file, speechLike, 16000, WavWriter.Encoding.PCM_S16);
        AudioClip clip = AudioReader.read(file);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(clip.samples().length);
        assertThat(clip.durationSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void contentDecidesTheFormatNotTheExtension() throws IOException {
        Path flacNamedWav = dir.resolve("really-flac.wav");
        FlacWriter.write(flacNamedWav, Signals.tone(440, 16000, 4000, 0.5), 16000);
        assertThat(AudioReader.probe(flacNamedWav).container()).isEqualTo("flac");
        Path wavNamedTxt = dir.resolve("really-wav.txt");
        WavWriter.write(wavNamedTxt, new float[] {0.5f}, 16000, WavWriter.Encoding.PCM_S16);
        assertThat(AudioReader.read(wavNamedTxt).samples()).containsExactly(0.5f);
    }

    private static String expectedName(WavWriter.Encoding encoding) {
        return switch (encoding) {
            case PCM_U8 -> "pcm_u8";
            case PCM_S16 -> "pcm_s16";
            case PCM_S24 -> "pcm_s24";
            case PCM_S32 -> "pcm_s32";
            case FLOAT32 -> "float32";
            case FLOAT64 -> "float64";
        };
    }

    /** One quantisation step (half a step of rounding, plus the clipped +1.0 case), or float rounding. */
    private static double tolerance(WavWriter.Encoding encoding) {
        return switch (encoding) {
            case PCM_U8 -> 1.0 / 128;
            case PCM_S16 -> 1.0 / 32768;
            case PCM_S24 -> 1.0 / 8388608 + 1e-7;
            case PCM_S32, FLOAT32, FLOAT64 -> 1e-6;
        };
    }
}
