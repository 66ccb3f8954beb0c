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
        MfccClusters a = MfccClusters.fit(audio, MfccClustersTest::frames, 12, false, 100_000, 5);
        MfccClusters b = MfccClusters.fit(audio, MfccClustersTest::frames, 12, false, 100_000, 5);
        assertThat(a.centroids()).isDeepEqualTo(b.centroids());
        assertThat(java.util.Arrays.deepEquals(MfccClusters.fit(audio, MfccClustersTest::frames, 12, false, 100_000, 6)
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
    void cmvnNormalisesEachCoefficientOverTheRow() throws Exception {
        float[][] m = new Mfcc().compute(realSpeech().get(1));
        MfccClusters.normalise(m);
        for (int i = 0; i < Mfcc.DIMENSION; i++) {
            double sum = 0;
            double sq = 0;
            for (float[] f : m) {
                sum += f[i];
                sq += f[i] * (double) f[i];
            }
            double mean = sum / m.length;
            assertThat(mean).as("mean of coefficient %d", i).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(sq / m.length - mean * mean).as("variance of coefficient %d", i)
                    .isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));
        }
        float[][] silence = {new float[Mfcc.DIMENSION], new float[Mfcc.DIMENSION]};
        silence[0][0] = 3;
        silence[1][0] = 3;
        MfccClusters.normalise(silence);
        assertThat(silence[0][0]).as("a constant coefficient is centred, not blown up").isZero();
    }

    /**
     * What CMVN is for: a recording's level moves every frame's c0, so the same speech recorded
     * 20 dB louder gets other clusters from raw MFCCs; normalised, it gets the same ones. (Louder,
     * not quieter: 20 dB quieter takes pauses below Kaldi's energy floor, which no normalisation
     * undoes.)
     */
    @Test
    void withCmvnTheRecordingLevelDoesNotMoveTheLabels() throws Exception {
        List<float[]> audio = realSpeech();
        float[] x = audio.get(0);
        float[] loud = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            loud[i] = x[i] * 10;
        }
        int n = (int) frames(x.length);
        MfccClusters raw = MfccClusters.fit(audio, MfccClustersTest::frames, 12, false, 100_000, 5);
        MfccClusters cmvn = MfccClusters.fit(audio, MfccClustersTest::frames, 12, true, 100_000, 5);
        assertThat(cmvn.cmvn()).isTrue();
        assertThat(same(raw.label(x, n), raw.label(loud, n))).as("raw MFCC labels kept (they follow the level)")
                .isLessThan(0.95);
        assertThat(same(cmvn.label(x, n), cmvn.label(loud, n))).as("CMVN labels kept").isGreaterThan(0.99);
        assertThat(java.util.Arrays.stream(cmvn.label(x, n)).distinct().count()).isGreaterThan(6);
    }

    /** A checkpoint's centroids are only meaningful with the normalisation they were fitted on. */
    @Test
    void aModelKeepsItsClustersNormalisationAndRefusesClustersOfTheOther() throws Exception {
        var cfg = org.speechwb.engine.config.Presets.pretrain("wav2vec2-small-cpu").wav2vec2();
        var loss = new org.speechwb.engine.config.LossConfig(1, 0, 10, 0, 12, true);
        Wav2Vec2Model model = new Wav2Vec2Model(cfg, 1, org.nd4j.linalg.api.buffer.DataType.FLOAT, loss);
        List<float[]> audio = realSpeech();
        MfccClusters cmvn = MfccClusters.fit(audio, MfccClustersTest::frames, 12, true, 100_000, 5);
        model.setClusterTargets(cmvn);
        assertThat(model.clusterTargets().cmvn()).isTrue();
        assertThat(model.clusterTargets().centroids()).isDeepEqualTo(cmvn.centroids());
        assertThatThrownBy(() -> model.setClusterTargets(MfccClusters.fit(audio, MfccClustersTest::frames, 12, false,
                100_000, 5))).hasMessageContaining("12 clusters of normalised MFCCs, not 12 clusters of MFCCs");
    }

    private static double same(int[] a, int[] b) {
        int s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] == b[i] ? 1 : 0;
        }
        return s / (double) a.length;
    }

    @Test
    void tooLittleAudioForTheClustersIsRefusedWithTheWayOut() throws Exception {
        assertThatThrownBy(() -> MfccClusters.fit(realSpeech(), MfccClustersTest::frames, 100, false, 100_000, 1))
                .hasMessageContaining("too few to fit 100 MFCC clusters").hasMessageContaining("lower loss.mfccClusters");
        assertThatThrownBy(() -> new MfccClusters(new float[3][13], false)).hasMessageContaining("39 values");
    }

    private static double distance(float[] x, float[] y) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += (x[i] - y[i]) * (double) (x[i] - y[i]);
        }
        return d;
    }
}
