package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AudioPostProcessorTest {

    private static final int RATE = 16_000;

    /** {@code before} s of low noise, {@code tone} s of a 200 Hz tone, {@code after} s of low noise. */
    private static float[] signal(double before, double tone, double after) {
        int a = (int) (before * RATE);
        int b = (int) (tone * RATE);
        int c = (int) (after * RATE);
        float[] x = new float[a + b + c];
        SplittableRandom noise = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (1e-4 * (noise.nextDouble() - 0.5)); // about -75 dBFS, like flite's noise floor
        }
        for (int i = 0; i < b; i++) {
            x[a + i] = (float) (0.5 * Math.sin(2 * Math.PI * 200 * i / RATE));
        }
        return x;
    }

    @Test
    void cutsLongEdgeSilenceToTheChosenLength() {
        float[] out = AudioPostProcessor.fitEdgeSilence(signal(0.8, 1.0, 1.2), RATE, 0.15, 0.12);
        assertThat(out.length / (double) RATE).isCloseTo(0.15 + 1.0 + 0.12, within(0.011));
        assertThat(AudioPostProcessor.peak(Arrays.copyOfRange(out, 0, (int) (0.14 * RATE)))).isLessThan(1e-3f);
        assertThat(AudioPostProcessor.peak(Arrays.copyOfRange(out, (int) (0.16 * RATE), (int) (0.2 * RATE)))).isGreaterThan(0.4f);
    }

    @Test
    void padsShortEdgeSilenceWithZeros() {
        float[] out = AudioPostProcessor.fitEdgeSilence(signal(0, 1.0, 0.02), RATE, 0.1, 0.2);
        assertThat(out.length / (double) RATE).isCloseTo(0.1 + 1.0 + 0.2, within(0.011));
        for (int i = 0; i < (int) (0.1 * RATE); i++) {
            assertThat(out[i]).isZero();
        }
        assertThat(out[out.length - 1]).isZero();
    }

    @Test
    void leavesSilentInputAlone() {
        float[] silent = new float[RATE];
        assertThat(AudioPostProcessor.fitEdgeSilence(silent, RATE, 0.1, 0.1)).isSameAs(silent);
    }

    @Test
    void normalisesThePeak() {
        float[] x = signal(0.1, 0.5, 0.1);
        AudioPostProcessor.normalizePeak(x, -6.0);
        assertThat(20 * Math.log10(AudioPostProcessor.peak(x))).isCloseTo(-6.0, within(1e-4));
        assertThatThrownBy(() -> AudioPostProcessor.normalizePeak(new float[10], -3)).hasMessageContaining("silent");
    }
}
