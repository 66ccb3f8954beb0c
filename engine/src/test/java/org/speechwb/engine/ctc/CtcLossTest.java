package org.speechwb.engine.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.speechwb.engine.nn.GradientCheck;

/** The native-kernel CTC loss against hand-computed values, brute-force enumeration and finite differences. */
class CtcLossTest {

    private final CtcLoss ctc = new CtcLoss();

    /** [1, T, C] logits = ln(probabilities), so softmax gives the probabilities back. */
    private static INDArray logitsOf(double[][] probs) {
        double[][][] x = new double[1][probs.length][];
        for (int t = 0; t < probs.length; t++) {
            x[0][t] = new double[probs[t].length];
            for (int k = 0; k < probs[t].length; k++) {
                x[0][t][k] = Math.log(probs[t][k]);
            }
        }
        return Nd4j.createFromArray(x);
    }

    private double loss(double[][] probs, int... labels) {
        return ctc.forward(logitsOf(probs), new int[]{probs.length}, new int[][]{labels}).loss(0);
    }

    @Test
    void uniformTwoFramesOneLabelIsLnFourThirds() {
        // paths "1_", "_1", "11" out of 4 equally likely: p = 3/4
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 1, 2, 2);
        CtcLossOutput out = ctc.forward(logits, new int[]{2}, new int[][]{{1}});
        assertThat(out.loss(0)).isCloseTo(Math.log(4.0 / 3.0), within(1e-6));
        assertThat(out.mean()).isCloseTo(Math.log(4.0 / 3.0), within(1e-6));
    }

    @Test
    void aVeryConfidentModelStillGetsAFiniteGradient() {
        // logits of a few hundred, as a small acoustic model reaches on 10 labeled minutes: some
        // log-probabilities fall below −745, where exp underflows in double, and the native
        // gradient was NaN although the loss was finite (or +∞ with every path that unlikely)
        int frames = 300;
        int classes = 29;
        int[] labels = new int[60];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 1 + i % 26;
        }
        Random r = new Random(3);
        for (double scale : new double[] {150, 400, 2000}) {
            float[] x = new float[frames * classes];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (scale * r.nextGaussian());
            }
            CtcLossOutput out = ctc.forward(Nd4j.create(x, new long[] {1, frames, classes}, 'c'), new int[] {frames},
                    new int[][] {labels});
            assertThat(out.usable(0)).as("scale %s", scale).isTrue();
            assertThat(out.loss(0)).as("scale %s", scale).isFinite();
            INDArray g = out.gradient(new double[] {1.0});
            assertThat(g.sumNumber().doubleValue()).as("scale %s", scale).isFinite();
            // every frame's gradient is softmax − occupancy: it sums to 0 over the classes
            assertThat(g.sum(2).amaxNumber().doubleValue()).as("scale %s", scale).isLessThan(1e-4);
        }
    }

    @Test
    void twoFramesEnumeratedByHand() {
        // label [1]: "1_" 0.4·0.3 + "_1" 0.6·0.7 + "11" 0.4·0.7 = 0.82
        assertThat(loss(new double[][]{{0.6, 0.4}, {0.3, 0.7}}, 1)).isCloseTo(-Math.log(0.82), within(1e-12));
    }

    @Test
    void threeFramesEnumeratedByHand() {
        double[][] p = {{0.5, 0.3, 0.2}, {0.2, 0.4, 0.4}, {0.1, 0.3, 0.6}};
        // label [1, 2]: "12_" .012 + "1_2" .036 + "_12" .12 + "112" .072 + "122" .072 = 0.312
        assertThat(loss(p, 1, 2)).isCloseTo(-Math.log(0.312), within(1e-12));
    }

    @Test
    void repeatedLabelsNeedABlankBetweenThem() {
        double[][] uniform3 = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        // only "1_1"
        assertThat(loss(uniform3, 1, 1)).isCloseTo(Math.log(8), within(1e-12));
        double[][] uniform4 = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        // 1010, 1011, 1101, 1001, 0101
        assertThat(loss(uniform4, 1, 1)).isCloseTo(Math.log(16.0 / 5.0), within(1e-12));
        assertThat(CtcLoss.requiredFrames(new int[]{1, 1, 2, 2, 2, 1})).isEqualTo(9);
    }

    @Test
    void labelsLongerThanTheInputAreFlaggedInfeasibleWithZeroGradient() {
        // [1, 2] in 1 frame (the kernel alone would truncate it and return ln 3), [1, 1] in 2 frames
        INDArray logits = Nd4j.rand(DataType.DOUBLE, 3, 2, 3);
        CtcLossOutput out = ctc.forward(logits, new int[]{1, 2, 2}, new int[][]{{1, 2}, {1, 1}, {2}});
        assertThat(out.feasible(0)).isFalse();
        assertThat(out.feasible(1)).isFalse();
        assertThat(out.feasible(2)).isTrue();
        assertThat(out.loss(0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(out.loss(1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(out.requiredFrames(1)).isEqualTo(3);
        assertThat(out.unusable()).containsExactly(0, 1);
        assertThat(out.mean()).isEqualTo(out.loss(2));
        INDArray g = out.gradientOfMean();
        assertThat(g.slice(0).amaxNumber().doubleValue()).isZero();
        assertThat(g.slice(1).amaxNumber().doubleValue()).isZero();
        assertThat(g.slice(2).amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void allInfeasibleGivesNanMeanAndZeroGradient() {
        CtcLossOutput out = ctc.forward(Nd4j.rand(DataType.FLOAT, 1, 1, 3), new int[]{1}, new int[][]{{1, 2}});
        assertThat(out.mean()).isNaN();
        assertThat(out.gradientOfMean().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void emptyLabelsCostTheAllBlankPath() {
        double[][] p = {{0.7, 0.2, 0.1}, {0.4, 0.3, 0.3}};
        assertThat(loss(p)).isCloseTo(-Math.log(0.7 * 0.4), within(1e-12));
        CtcLossOutput zeroFrames = ctc.forward(Nd4j.zeros(DataType.DOUBLE, 1, 3, 3), new int[]{0}, new int[][]{{}});
        assertThat(zeroFrames.loss(0)).isZero();
    }

    @Test
    void matchesBruteForceOnRandomTinyBatches() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int frames = 1 + rng.nextInt(5);
            int[] lengths = {1 + rng.nextInt(frames), frames};
            int[][] labels = new int[2][];
            for (int b = 0; b < 2; b++) {
                labels[b] = new int[rng.nextInt(lengths[b] + 1)];
                for (int i = 0; i < labels[b].length; i++) {
                    labels[b][i] = 1 + rng.nextInt(2);
                }
            }
            double[][][] x = new double[2][frames][3];
            for (double[][] u : x) {
                for (double[] f : u) {
                    for (int k = 0; k < 3; k++) {
                        f[k] = rng.nextGaussian() * 2;
                    }
                }
            }
            INDArray logits = Nd4j.createFromArray(x);
            CtcLossOutput d = ctc.forward(logits, lengths, labels);
            CtcLossOutput f = ctc.forward(logits.castTo(DataType.FLOAT), lengths, labels);
            for (int b = 0; b < 2; b++) {
                double expected = BruteForceCtc.loss(java.util.Arrays.copyOf(x[b], lengths[b]), labels[b], 0);
                String what = "trial " + trial + " utterance " + b + " T=" + lengths[b] + " labels "
                        + java.util.Arrays.toString(labels[b]);
                if (Double.isInfinite(expected)) {
                    assertThat(d.feasible(b)).as(what).isFalse();
                    assertThat(d.loss(b)).as(what).isEqualTo(Double.POSITIVE_INFINITY);
                } else {
                    assertThat(d.feasible(b)).as(what).isTrue();
                    assertThat(d.loss(b)).as(what).isCloseTo(expected, within(1e-10));
                    assertThat(f.loss(b)).as(what).isCloseTo(expected, within(2e-5 * Math.max(1, expected)));
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesWithVariableLengthsAndPadding() {
        Random rng = new Random(5);
        int batch = 4;
        int frames = 7;
        int classes = 5;
        double[][][] x = new double[batch][frames][classes];
        for (double[][] u : x) {
            for (double[] f : u) {
                for (int k = 0; k < classes; k++) {
                    f[k] = 1.5 * rng.nextGaussian();
                }
            }
        }
        INDArray logits = Nd4j.createFromArray(x);
        int[] lengths = {7, 5, 3, 6};
        int[][] labels = {{1, 2, 2, 3}, {4, 1}, {}, {3, 3, 1}};
        double[] weights = new double[batch];
        for (int b = 0; b < batch; b++) {
            weights[b] = 0.5 + rng.nextDouble();
        }
        CtcLossOutput out = ctc.forward(logits, lengths, labels);
        INDArray grad = out.gradient(weights).dup();
        java.util.function.DoubleSupplier objective = () -> {
            CtcLossOutput o = ctc.forward(logits, lengths, labels);
            double s = 0;
            for (int b = 0; b < batch; b++) {
                s += weights[b] * o.loss(b);
            }
            return s;
        };
        GradientCheck.Result r = GradientCheck.check("logits", logits, grad, objective, batch * frames * classes, 1e-6, 3);
        assertThat(r.passes(1e-5, 1e-8)).as(r.toString()).isTrue();
        // padded frames get exactly zero
        assertThat(grad.get(NDArrayIndex.point(1), NDArrayIndex.interval(5, 7), NDArrayIndex.all())
                .amaxNumber().doubleValue()).isZero();
        assertThat(grad.get(NDArrayIndex.point(2), NDArrayIndex.interval(3, 7), NDArrayIndex.all())
                .amaxNumber().doubleValue()).isZero();
        // each valid frame's gradient sums to zero (softmax − occupancy, both distributions)
        INDArray frameSums = grad.sum(2);
        assertThat(frameSums.amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void gradientOfMeanIsTheAverageOfTheUtteranceGradients() {
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 2, 4, 3);
        CtcLossOutput out = ctc.forward(logits, new int[]{4, 4}, new int[][]{{1, 2}, {2}});
        INDArray mean = out.gradientOfMean();
        INDArray sum = out.gradientOfSum();
        assertThat(mean.mul(2).sub(sum).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(out.mean()).isCloseTo(out.sum() / 2, within(1e-12));
    }

    @Test
    void nonFiniteLogitsMakeAnUtteranceUnusable() {
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 2, 3, 3);
        logits.putScalar(new long[]{0, 1, 2}, Float.NaN);
        CtcLossOutput out = ctc.forward(logits, new int[]{3, 3}, new int[][]{{1}, {1}});
        assertThat(out.feasible(0)).isTrue();
        assertThat(out.usable(0)).isFalse();
        assertThat(out.usable(1)).isTrue();
        assertThat(out.gradientOfMean().slice(0).sumNumber().doubleValue()).isZero();
    }

    @Test
    void rejectsBadInputsWithAReason() {
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 1, 3, 3);
        assertThatThrownBy(() -> ctc.forward(logits, new int[]{3}, new int[][]{{0}}))
                .hasMessageContaining("the blank");
        assertThatThrownBy(() -> ctc.forward(logits, new int[]{3}, new int[][]{{3}}))
                .hasMessageContaining("outside 0..2");
        assertThatThrownBy(() -> ctc.forward(logits, new int[]{4}, new int[][]{{1}}))
                .hasMessageContaining("input length 4");
        assertThatThrownBy(() -> ctc.forward(logits, new int[]{3, 3}, new int[][]{{1}}))
                .hasMessageContaining("batch of 1");
        assertThatThrownBy(() -> ctc.forward(Nd4j.zeros(DataType.FLOAT, 3, 3), new int[]{3}, new int[][]{{1}}))
                .hasMessageContaining("[batch, frames, classes]");
    }

    @Test
    void logSoftmaxNormalisesEveryFrame() {
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 2, 3, 4);
        INDArray lp = LogProbs.logSoftmax(logits);
        INDArray sums = org.nd4j.linalg.ops.transforms.Transforms.exp(lp, true).sum(2);
        assertThat(sums.sub(1).amaxNumber().doubleValue()).isLessThan(1e-12);
        float[][] javaSide = LogProbs.utteranceLogSoftmax(logits, 1, 3);
        for (int t = 0; t < 3; t++) {
            for (int k = 0; k < 4; k++) {
                assertThat((double) javaSide[t][k]).isCloseTo(lp.getDouble(1, t, k), within(1e-6));
            }
        }
    }

    @Test
    void blankAtTheLastIndexWorksWithShortLabels() {
        // the kernel resets a blank index above the padded label width; CtcLoss pads wide enough
        CtcLoss lastBlank = new CtcLoss(2);
        Random rng = new Random(2);
        double[][][] x = new double[1][4][3];
        for (double[] f : x[0]) {
            for (int k = 0; k < 3; k++) {
                f[k] = rng.nextGaussian();
            }
        }
        CtcLossOutput out = lastBlank.forward(Nd4j.createFromArray(x), new int[]{4}, new int[][]{{1}});
        assertThat(out.loss(0)).isCloseTo(BruteForceCtc.loss(x[0], new int[]{1}, 2), within(1e-10));
        CtcLossOutput two = lastBlank.forward(Nd4j.createFromArray(x), new int[]{4}, new int[][]{{0, 1}});
        assertThat(two.loss(0)).isCloseTo(BruteForceCtc.loss(x[0], new int[]{0, 1}, 2), within(1e-10));
    }

    @Test
    void utteranceCopiesOnlyTheValidFrames() {
        INDArray x = Nd4j.arange(2 * 3 * 2).castTo(DataType.FLOAT).reshape(2, 3, 2);
        float[][] u = LogProbs.utterance(x, 1, 2);
        assertThat(u).hasDimensions(2, 2);
        assertThat(u[1]).containsExactly(8f, 9f);
        assertThat(LogProbs.utterance(x, 0, 1)[0]).containsExactly(0f, 1f);
        assertThat(LogProbs.utterance(x, 0, 0)).isEmpty();
        assertThat(LogProbs.utterance(x.slice(1), 0, 3)[2]).containsExactly(10f, 11f);
    }
    @Test
    void aConfidentFloatModelGetsAFiniteGradientEqualToTheDoubleOne() {
        // peaked float32 logits (a confident model, log-probabilities near −120): run in float32,
        // the native kernel returns NaN gradients here; the loss now runs in double and hands
        // back float32
        Random r = new Random(5);
        int frames = 60;
        int classes = 8;
        int[] labels = {1, 2, 3, 3, 4, 5, 1, 6, 7, 2};
        double[][][] raw = new double[2][frames][classes];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < frames; t++) {
                int target = t % 6 == 0 && t / 6 < labels.length ? labels[t / 6] : 0;
                for (int c = 0; c < classes; c++) {
                    raw[b][t][c] = (c == target ? 120 : 0) + 3 * r.nextGaussian();
                }
            }
        }
        INDArray asDouble = Nd4j.create(raw);
        INDArray asFloat = asDouble.castTo(DataType.FLOAT);
        int[] lengths = {frames, 45};
        int[][] targets = {labels, java.util.Arrays.copyOf(labels, 7)};
        CtcLossOutput f = new CtcLoss().forward(asFloat, lengths, targets);
        CtcLossOutput d = new CtcLoss().forward(asDouble, lengths, targets);
        INDArray gf = f.gradientOfSum();
        INDArray gd = d.gradientOfSum();
        assertThat(gf.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(f.logProbs().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(gf.isNaN().any() || gf.isInfinite().any()).isFalse();
        assertThat(gf.castTo(DataType.DOUBLE).sub(gd).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(f.loss(0)).isCloseTo(d.loss(0), within(1e-3 * Math.max(1, d.loss(0))));
    }
}
