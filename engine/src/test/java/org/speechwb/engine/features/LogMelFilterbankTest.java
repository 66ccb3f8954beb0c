package org.speechwb.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Frame geometry, frequency placement and scaling of the log-mel front end. */
class LogMelFilterbankTest {

    private final LogMelFilterbank fb = new LogMelFilterbank();

    private static float[] sine(double hz, double amplitude, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / 16000));
        }
        return x;
    }

    @Test
    void twentyFiveMsWindowsEveryTenMs() {
        assertThat(fb.dimension()).isEqualTo(80);
        assertThat(fb.hopSamples()).isEqualTo(160);
        assertThat(fb.framesFor(399)).isZero();
        assertThat(fb.framesFor(400)).isEqualTo(1);
        assertThat(fb.framesFor(16_000)).isEqualTo(98);
        float[][] f = fb.compute(new float[16_000]);
        assertThat(f.length).isEqualTo(98);
        assertThat(f[0]).hasSize(80);
        assertThat(fb.compute(new float[399])).isEmpty();
    }

    @Test
    void aToneLightsTheBinWhoseCentreIsNearestItsFrequency() {
        for (double hz : new double[] {300, 1000, 3000, 6000}) {
            float[][] f = fb.compute(sine(hz, 0.3, 4000));
            float[] frame = f[10];
            int peak = 0;
            for (int m = 1; m < frame.length; m++) {
                peak = frame[m] > frame[peak] ? m : peak;
            }
            // centres are equally spaced in mel between 20 Hz and 8 kHz
            double lo = LogMelFilterbank.mel(20);
            double step = (LogMelFilterbank.mel(8000) - lo) / 81;
            int expected = (int) Math.round((LogMelFilterbank.mel(hz) - lo) / step) - 1;
            assertThat(peak).as("peak bin of a %s Hz tone", hz).isBetween(expected - 1, expected + 1);
            // a pure tone leaves far bins near the floor of the window's side lobes
            assertThat(frame[peak] - frame[peak > 40 ? 0 : 79]).isGreaterThan(8f);
        }
    }

    @Test
    void doublingTheAmplitudeAddsLogFourToEveryBin() {
        float[] x = sine(440, 0.1, 3200);
        float[] noise = new float[3200];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) {
            noise[i] = x[i] + (float) (0.01 * r.nextGaussian());
        }
        float[][] a = fb.compute(noise);
        float[] louder = noise.clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 2;
        }
        float[][] b = fb.compute(louder);
        for (int t = 0; t < a.length; t++) {
            for (int m = 0; m < 80; m++) {
                assertThat((double) (b[t][m] - a[t][m])).isCloseTo(Math.log(4), within(1e-3));
            }
        }
    }

    @Test
    void silenceSitsOnTheFloorAndADcOffsetIsRemoved() {
        float[][] silent = fb.compute(new float[800]);
        float[] dc = new float[800];
        java.util.Arrays.fill(dc, 0.5f);
        float[][] offset = fb.compute(dc);
        for (int m = 0; m < 80; m++) {
            assertThat((double) silent[0][m]).isCloseTo(Math.log(1e-10), within(1e-4));
            assertThat((double) offset[0][m]).isCloseTo(Math.log(1e-10), within(1e-4));
        }
    }

    @Test
    void impossibleBandsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new LogMelFilterbank(80, 20, 9000)).hasMessageContaining("highHz <= 8000");
        assertThatThrownBy(() -> new LogMelFilterbank(400, 20, 300)).hasMessageContaining("narrower than the FFT");
    }
}
