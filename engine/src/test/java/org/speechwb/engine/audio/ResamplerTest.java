package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResamplerTest {

    @TempDir
    Path dir;

    /** Steady-state RMS, away from the filter's edge transients. */
    private static double steadyRms(float[] x) {
        int margin = x.length / 10;
        return Signals.rms(x, margin, x.length - margin);
    }

    @Test
    void toneAboveTheNewNyquistIsRemovedNotAliased() {
        float[] in = Signals.tone(10_000, 22050, 22050, 0.5);
        float[] out = Resampler.resample(in, 22050, 16000);
        double attenuationDb = Signals.db(steadyRms(out) / steadyRms(in));
        assertThat(attenuationDb).isLessThan(-40);
    }

    @ParameterizedTest(name = "{0} Hz -> 16 kHz")
    @CsvSource({"22050", "44100", "8000", "48000", "11025"})
    void passBandToneKeepsItsLevel(int fromRate) {
        float[] in = Signals.tone(1000, fromRate, fromRate, 0.5);
        float[] out = Resampler.resample(in, fromRate, 16000);
        double gainDb = Signals.db(steadyRms(out) / steadyRms(in));
        assertThat(gainDb).isCloseTo(0.0, within(0.1));
    }

    @ParameterizedTest(name = "{0} Hz, {1} samples -> {2}")
    @CsvSource({"8000, 8000, 16000", "44100, 44100, 16000", "44100, 44101, 16001", "22050, 100, 73", "8000, 1, 2"})
    void lengthsFollowTheRateRatio(int fromRate, int inLength, int expected) {
        float[] out = Resampler.resample(new float[inLength], fromRate, 16000);
        assertThat(out).hasSize(expected);
        assertThat(Resampler.outputLength(inLength, fromRate, 16000)).isEqualTo(expected);
    }

    @Test
    void upsamplingFrom8kInterpolatesTheTone() {
        float[] in = Signals.tone(1000, 8000, 8000, 0.5);
        float[] out = Resampler.resample(in, 8000, 16000);
        float[] ideal = Signals.tone(1000, 16000, 16000, 0.5);
        double errorRms = 0;
        for (int i = 1600; i < 14400; i++) {
            errorRms += (out[i] - ideal[i]) * (out[i] - ideal[i]);
        }
        errorRms = Math.sqrt(errorRms / 12800);
        assertThat(Signals.db(errorRms / 0.5)).isLessThan(-60);
    }

    @Test
    void identityAtSixteenKilohertzReturnsTheInput() {
        float[] in = Signals.tone(440, 16000, 1000, 0.3);
        assertThat(Resampler.resample(in, 16000, 16000)).isSameAs(in);
    }

    @Test
    void read16kOfSixteenKilohertzFileIsTheFileItself() throws IOException {
        float[] x = Signals.tone(440, 16000, 1600, 0.3);
        Path file = dir.resolve("a.wav");
        WavWriter.write(file, x, 16000, WavWriter.Encoding.FLOAT32);
        assertThat(AudioReader.read16k(file).samples()).containsExactly(x);
    }

    @Test
    void read16kLengthMatchesProbeFramesAt() throws IOException {
        Path file = dir.resolve("b.wav");
        WavWriter.write(file, Signals.tone(440, 22050, 12345, 0.3), 22050, WavWriter.Encoding.PCM_S16);
        AudioInfo info = AudioReader.probe(file);
        AudioClip clip = AudioReader.read16k(file);
        assertThat(clip.sampleRate()).isEqualTo(16000);
        assertThat((long) clip.samples().length).isEqualTo(info.framesAt(16000));
    }

    @Test
    void oddRateUsesABoundedInterpolatedTableAndStillFilters() {
        // 44101 and 16000 share no factor: an exact table would need 16000 phases.
        Resampler odd = Resampler.of(44101, 16000);
        assertThat(odd.tapsPerOutput()).isPositive();
        float[] pass = Signals.tone(1000, 44101, 44101, 0.5);
        assertThat(Signals.db(steadyRms(odd.process(pass)) / steadyRms(pass))).isCloseTo(0.0, within(0.1));
        float[] stop = Signals.tone(12_000, 44101, 44101, 0.5);
        assertThat(Signals.db(steadyRms(odd.process(stop)) / steadyRms(stop))).isLessThan(-60);
        assertThat(odd.process(pass)).hasSize((int) Resampler.outputLength(44101, 44101, 16000));
    }
}
