package org.speechwb.engine.model.w2v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.features.Mfcc;
import org.speechwb.engine.testutil.RepoFiles;

/** The k-means targets of HuBERT-style pre-training on real speech. */
class MfccClustersTest {

    /** wav2vec 2.0's conv stack: 400-sample receptive field, 320-sample hop. */
    private static long frames(long samples) {
        return samples < 400 ? 0 : 1 + (samples - 400) / 320;
    }

    private static List<float[]> realSpeech() throws Exception {
        List<float[]> out = new ArrayList<>();
        for (String name : List.of("spk1_snt1", "spk1_snt2", "spk1_snt3")) {
            out.add(AudioReader.read16k(RepoFiles.root().resolve("datasets/real-speech/wav/" + name + ".wav")).samples());
        }
        return out;
    }

    @Test
    void fittingIsSeededAndEachFrameGetsItsNearestCentroidOfTheMfccFrameStartingWithIt() throws Exception {
        List<float[]> audio = realSpeech();
        MfccClusters a = MfccClusters.fit(audio, MfccClustersTest::frames, 12, 100_000, 5);
        MfccClusters b = MfccClusters.fit(audio, MfccClustersTest::frames, 12, 100_000, 5);
        assertThat(a.centroids()).isDeepEqualTo(b.centroids());
        assertThat(java.util.Arrays.deepEquals(MfccClusters.fit(audio, MfccClustersTest::frames, 12, 100_000, 6)
                .centroids(), a.centroids())).as("another seed, other centroids").isFalse();

        float[] x = audio.get(0);
        int n = (int) frames(x.length);
        int[] labels = a.label(x, n);
        float[][] mfcc = new Mfcc().compute(x);
        float[][] c = a.centroids();
        for (int t = 0; t < n; t++) {
            // model frame t covers samples [320t, 320t + 400): the MFCC frame 2t exactly
            float[] f = mfcc[2 * t];
            int best = 0;
            for (int k = 1; k < c.length; k++) {
                best = distance(f, c[k]) < distance(f, c[best]) ? k : best;
            }
            assertThat(labels[t]).as("frame %d", t).isEqualTo(best);
        }
        assertThat(java.util.Arrays.stream(labels).distinct().count()).isGreaterThan(6);
    }

    @Test
    void tooLittleAudioForTheClustersIsRefusedWithTheWayOut() throws Exception {
        assertThatThrownBy(() -> MfccClusters.fit(realSpeech(), MfccClustersTest::frames, 100, 100_000, 1))
                .hasMessageContaining("too few to fit 100 MFCC clusters").hasMessageContaining("lower loss.mfccClusters");
        assertThatThrownBy(() -> new MfccClusters(new float[3][13])).hasMessageContaining("39 values");
    }

    private static double distance(float[] x, float[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += (x[i] - y[i]) * (double) (x[i] - y[i]);
        }
        return d;
    }
}
