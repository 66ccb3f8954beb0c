package org.speechwb.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.interop.Npy;
import org.speechwb.engine.testutil.RepoFiles;

/**
 * The MFCCs of HuBERT-style cluster targets against torchaudio's Kaldi MFCC and compute_deltas
 * on real speech (fixture by engine/src/test/python/make_mfcc_fixture.py).
 */
class MfccTest {

    @Test
    void matchesTorchaudiosKaldiMfccWithDeltasOnRealSpeech() throws Exception {
        float[] all = AudioReader.read16k(RepoFiles.root().resolve("datasets/real-speech/wav/spk1_snt1.wav")).samples();
        float[] x = Arrays.copyOf(all, 32_000);
        Npy.Array ref = Npy.read(Path.of(MfccTest.class.getResource("/mfcc/spk1_snt1-2s-mfcc.npy").toURI()));
        Mfcc mfcc = new Mfcc();
        float[][] ours = mfcc.compute(x);
        assertThat(ours.length).isEqualTo(ref.rows()).isEqualTo(mfcc.framesFor(x.length));
        assertThat(ref.cols()).isEqualTo(Mfcc.DIMENSION);
        double worst = 0;
        double scale = 0;
        for (int t = 0; t < ours.length; t++) {
            for (int k = 0; k < Mfcc.DIMENSION; k++) {
                double r = ref.values()[t * Mfcc.DIMENSION + k];
                worst = Math.max(worst, Math.abs(ours[t][k] - r));
                scale = Math.max(scale, Math.abs(r));
            }
        }
        System.out.printf("MFCC max |ours - torchaudio| = %.3g (largest value %.3g)%n", worst, scale);
        // float32 rounding: the values reach 70, the worst difference is 3.5e-4
        assertThat(worst).isLessThan(1e-5 * scale);
    }

    @Test
    void loudnessMovesOnlyTheFirstCepstrumAndLeavesTheDeltasOfTheRest() {
        float[] x = new float[8000];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.2 * Math.sin(2 * Math.PI * 440 * i / 16000) + 0.02 * r.nextGaussian());
        }
        float[] louder = x.clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 2;
        }
        Mfcc mfcc = new Mfcc();
        float[][] a = mfcc.compute(x);
        float[][] b = mfcc.compute(louder);
        for (int t = 0; t < a.length; t++) {
            // c0 = sqrt(1/23)·Σ log-mel, each bin up by ln 4
            assertThat((double) (b[t][0] - a[t][0])).isCloseTo(Math.sqrt(23) * Math.log(4), within(1e-2));
            for (int k = 1; k < Mfcc.DIMENSION; k++) {
                assertThat((double) (b[t][k] - a[t][k])).as("frame %d value %d", t, k)
                        .isCloseTo(0, within(1e-2));
            }
        }
    }
}
