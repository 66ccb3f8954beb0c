package org.speechwb.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Frequency placement, time alignment and scaling of the display spectrogram. */
class SpectrogramTest {

    private static float[] sine(double hz, double amplitude, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / 16000));
        }
        return x;
    }

    private static int peakBin(float[] frame) {
        int peak = 0;
        for (int k = 1; k < frame.length; k++) {
            peak = frame[k] > frame[peak] ? k : peak;
        }
        return peak;
    }

    @Test
    void aToneLightsTheBinAtItsFrequencyOnBothScales() {
        for (double hz : new double[] {250, 1000, 3500, 7000}) {
            float[] x = sine(hz, 0.4, 8000);
            for (Spectrogram.Scale scale : Spectrogram.Scale.values()) {
                Spectrogram s = Spectrogram.compute(x, scale);
                int peak = peakBin(s.values()[20]);
                // the nearest bin centre, within one bin either way (mel bins are wider up high)
                double spacing = peak + 1 < s.bins() ? s.binHz()[peak + 1] - s.binHz()[peak] : 31.25;
                assertThat(s.binHz()[peak]).as("%s peak of a %s Hz tone", scale, hz).isCloseTo(hz, within(spacing * 1.01));
                assertThat(s.values()[20][peak] - s.values()[20][peak > s.bins() / 2 ? 0 : s.bins() - 1])
                        .as("far bins sit in the window's side lobes").isGreaterThan(30f);
            }
        }
    }

    @Test
    void framesFollowTheFrontEndGeometryAndBinsCoverZeroToEightKilohertz() {
        Spectrogram lin = Spectrogram.compute(new float[16_000], Spectrogram.Scale.LINEAR);
        Spectrogram mel = Spectrogram.compute(new float[16_000], Spectrogram.Scale.LOG_MEL);
        assertThat(lin.frames()).isEqualTo(98).isEqualTo(new LogMelFilterbank().framesFor(16_000));
        assertThat(mel.frames()).isEqualTo(98);
        assertThat(lin.bins()).isEqualTo(257);
        assertThat(lin.binHz()[0]).isZero();
        assertThat(lin.binHz()[256]).isEqualTo(8000.0);
        assertThat(mel.bins()).isEqualTo(80);
        assertThat(mel.binHz()[0]).isGreaterThan(20).isLessThan(60);
        assertThat(mel.binHz()[79]).isGreaterThan(7500).isLessThan(8000);
        assertThat(lin.frameCentre(0)).isEqualTo(200.0);
        assertThat(lin.frameCentre(3)).isEqualTo(680.0);
        assertThat(lin.samples()).isEqualTo(16_000);
        assertThat(Spectrogram.compute(new float[399], Spectrogram.Scale.LINEAR).frames()).isZero();
    }

    @Test
    void soundThatStartsHalfwayShowsOnlyInFramesThatSeeIt() {
        float[] x = new float[16_000];
        float[] tone = sine(1000, 0.5, 8000);
        System.arraycopy(tone, 0, x, 8000, 8000);
        for (Spectrogram.Scale scale : Spectrogram.Scale.values()) {
            Spectrogram s = Spectrogram.compute(x, scale);
            int bin = peakBin(s.values()[80]);
            // frame t sees [160 t, 160 t + 400): frames up to 47 end before sample 8000, frame 50 starts at it
            assertThat(s.values()[47][bin]).as(scale + " before").isLessThan(s.values()[50][bin] - 60);
            assertThat(s.values()[50][bin]).isCloseTo(s.values()[80][bin], within(1f));
            assertThat(s.floorDb()).isLessThan(s.values()[47][bin] + 1e-3f);
            assertThat(s.peakDb()).isGreaterThanOrEqualTo(s.values()[80][bin]);
        }
    }

    @Test
    void logMelIsTheFilterbankInDecibels() {
        float[] x = sine(440, 0.3, 4000);
        float[][] ln = new LogMelFilterbank().compute(x);
        Spectrogram s = Spectrogram.compute(x, Spectrogram.Scale.LOG_MEL);
        for (int t = 0; t < ln.length; t += 5) {
            for (int m = 0; m < 80; m += 7) {
                assertThat(s.values()[t][m]).isCloseTo((float) (ln[t][m] * 10 / Math.log(10)), within(1e-3f));
            }
        }
    }
}
