package org.speechwb.engine.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.ctc.lm.KneserNeyTrainer;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.text.Vocabulary;

/** Greedy and prefix beam search against hand-computed cases and brute-force label probabilities. */
class PrefixBeamSearchTest {

    /** {@code <blank> | A B}: small enough to enumerate every path. */
    private final Vocabulary ab = Vocabulary.of(List.of("<blank>", "|", "A", "B"));
    private final Vocabulary english = Vocabulary.englishLetters();

    private static float[][] log(double[][] probs) {
        float[][] m = new float[probs.length][];
        for (int t = 0; t < probs.length; t++) {
            m[t] = new float[probs[t].length];
            for (int k = 0; k < probs[t].length; k++) {
                m[t][k] = (float) Math.log(probs[t][k]);
            }
        }
        return m;
    }

    private static BeamSearchConfig exhaustive(int nBest) {
        return new BeamSearchConfig(10_000, 0, 0, 0, Double.NEGATIVE_INFINITY, 1e9, nBest);
    }

    @Test
    void beamFindsTheBestLabelWhereTheBestPathMissesIt() {
        // best path "__" (0.16) spells nothing, but "A" has 2·0.35·0.4 + 0.35² = 0.4025
        double[][] p = {{0.4, 1e-9, 0.35, 0.25 - 1e-9}, {0.4, 1e-9, 0.35, 0.25 - 1e-9}};
        assertThat(new GreedyDecoder(ab).decode(log(p)).text()).isEmpty();
        Hypothesis best = new PrefixBeamSearch(ab, null, exhaustive(1)).decode(log(p)).get(0);
        assertThat(best.text()).isEqualTo("A");
        assertThat(best.acousticLogProb()).isCloseTo(Math.log(0.4025), within(1e-6));
    }

    @Test
    void greedyCollapsesRepeatsDropsBlanksAndReadsBoundariesAsSpaces() {
        int a = ab.id("A");
        int b = ab.id("B");
        int bar = ab.wordBoundary();
        Hypothesis h = new GreedyDecoder(ab).fromPath(new int[]{0, a, a, 0, a, bar, bar, b, 0, b, b, bar, 0}, 0);
        assertThat(h.text()).isEqualTo("AA BB");
        assertThat(h.tokens()).containsExactly(a, a, bar, b, b, bar);
        assertThat(h.words()).isEqualTo(2);
        INDArray batch = Nd4j.createFromArray(new float[][][]{{{0, 0, 5, 0}, {0, 5, 0, 0}, {0, 0, 0, 5}}, {{5, 0, 0, 0},
                {0, 0, 5, 0}, {9, 9, 9, 9}}});
        List<Hypothesis> out = new GreedyDecoder(ab).decode(batch, new int[]{3, 2});
        assertThat(out.get(0).text()).isEqualTo("A B");
        assertThat(out.get(1).text()).isEqualTo("A");
    }

    @Test
    void nBestMatchesBruteForceLabelProbabilities() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 25; trial++) {
            int frames = 1 + rng.nextInt(5);
            double[][] logits = new double[frames][4];
            for (double[] f : logits) {
                for (int k = 0; k < 4; k++) {
                    f[k] = rng.nextGaussian() * 2;
                }
                f[1] = Double.NEGATIVE_INFINITY; // no word boundaries: hypotheses are plain label sequences
            }
            Map<String, Double> byLabel = labelProbabilities(logits);
            List<Map.Entry<String, Double>> ranked = byLabel.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
            float[][] lp = new float[frames][4];
            double[][] p = BruteForceCtc.softmax(logits);
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < 4; k++) {
                    lp[t][k] = (float) Math.log(p[t][k]);
                }
            }
            int n = Math.min(3, ranked.size());
            List<Hypothesis> hyps = new PrefixBeamSearch(ab, null, exhaustive(n)).decode(lp);
            assertThat(hyps).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(hyps.get(i).acousticLogProb()).as("trial %d rank %d", trial, i)
                        .isCloseTo(Math.log(ranked.get(i).getValue()), within(1e-5));
            }
            assertThat(hyps.get(0).text()).isEqualTo(ranked.get(0).getKey());
        }
    }

    /** P(label sequence) for every label sequence, by enumerating all frame paths. */
    private static Map<String, Double> labelProbabilities(double[][] logits) {
        double[][] p = BruteForceCtc.softmax(logits);
        int frames = p.length;
        int classes = p[0].length;
        Map<String, Double> out = new HashMap<>();
        int[] path = new int[frames];
        for (long code = 0; code < Math.pow(classes, frames); code++) {
            long c = code;
            double prob = 1;
            for (int t = 0; t < frames; t++) {
                path[t] = (int) (c % classes);
                c /= classes;
                prob *= p[t][path[t]];
            }
            if (prob == 0) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int k : BruteForceCtc.collapse(path, 0)) {
                sb.append(k == 2 ? 'A' : 'B');
            }
            out.merge(sb.toString(), prob, Double::sum);
        }
        return out;
    }

    @Test
    void leadingAndDoubledBoundariesAddNoEmptyWords() {
        int a = ab.id("A");
        int b = ab.id("B");
        int bar = ab.wordBoundary();
        int[] path = {bar, 0, a, bar, 0, bar, b, bar};
        float[][] lp = new float[path.length][4];
        for (int t = 0; t < path.length; t++) {
            Arrays.fill(lp[t], (float) Math.log(0.01));
            lp[t][path[t]] = (float) Math.log(0.97);
        }
        Hypothesis h = new PrefixBeamSearch(ab, null, BeamSearchConfig.defaults()).decode(lp).get(0);
        assertThat(h.text()).isEqualTo("A B");
        assertThat(h.words()).isEqualTo(2);
    }

    /** Frames spelling "THE CAT SAT" where the acoustics slightly prefer X over the first T of "CAT". */
    private float[][] ambiguous() {
        String[] frames = {"T", "H", "E", "|", "C", "A", "?", "|", "S", "A", "T", "|"};
        float[][] lp = new float[frames.length * 2][english.size()];
        for (int i = 0; i < frames.length; i++) {
            for (int r = 0; r < 2; r++) {
                float[] row = lp[2 * i + r];
                Arrays.fill(row, -12f);
                if (r == 1) {
                    row[0] = (float) Math.log(0.98);
                } else if (frames[i].equals("?")) {
                    row[english.id("X")] = (float) Math.log(0.55);
                    row[english.id("T")] = (float) Math.log(0.44);
                } else {
                    row[english.id(frames[i])] = (float) Math.log(0.98);
                }
            }
        }
        return lp;
    }

    @Test
    void languageModelRepairsAnAcousticallyAmbiguousWord() {
        NgramModel lm = new KneserNeyTrainer(3).train(List.of("THE CAT SAT", "THE CAT SAT ON THE MAT", "A CAT SAT"));
        assertThat(new GreedyDecoder(english).decode(ambiguous()).text()).isEqualTo("THE CAX SAT");
        assertThat(new PrefixBeamSearch(english, null, BeamSearchConfig.defaults()).decode(ambiguous()).get(0).text())
                .isEqualTo("THE CAX SAT");
        List<Hypothesis> withLm = new PrefixBeamSearch(english, lm, BeamSearchConfig.defaults().withLm(0.5, 0).withNBest(2))
                .decode(ambiguous());
        assertThat(withLm.get(0).text()).isEqualTo("THE CAT SAT");
        assertThat(withLm.get(1).text()).isEqualTo("THE CAX SAT");
        Hypothesis h = withLm.get(0);
        assertThat(h.words()).isEqualTo(3);
        assertThat(h.score()).isCloseTo(h.acousticLogProb() + 0.5 * h.lmLogProb(), within(1e-9));
        // the LM part is the sentence's ln-probability under the model, </s> included
        double expected = 0;
        var st = lm.start();
        for (String w : List.of("THE", "CAT", "SAT")) {
            var s = lm.step(st, w);
            expected += s.logProb();
            st = s.next();
        }
        expected += lm.endLogProb(st);
        assertThat(h.lmLogProb()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void wordBonusCountsEveryWordIncludingTheUnfinishedLastOne() {
        NgramModel lm = new KneserNeyTrainer(2).train(List.of("THE CAT SAT"));
        float[][] lp = ambiguous();
        float[][] noClosingBoundary = Arrays.copyOf(lp, lp.length - 2);
        Hypothesis h = new PrefixBeamSearch(english, lm, BeamSearchConfig.defaults().withLm(0.3, 2.0))
                .decode(noClosingBoundary).get(0);
        assertThat(h.words()).isEqualTo(3);
        assertThat(h.score()).isCloseTo(h.acousticLogProb() + 0.3 * h.lmLogProb() + 2.0 * 3, within(1e-9));
    }

    @Test
    void batchDecodingNormalisesLogits() {
        INDArray logits = Nd4j.randn(DataType.FLOAT, 2, 6, 4).muli(3);
        PrefixBeamSearch search = new PrefixBeamSearch(ab, null, exhaustive(1));
        List<List<Hypothesis>> out = search.decode(logits, new int[]{6, 4}, false);
        float[][] u1 = LogProbs.utteranceLogSoftmax(logits, 1, 4);
        assertThat(out.get(1).get(0).text()).isEqualTo(search.decode(u1).get(0).text());
        assertThat(out.get(1).get(0).acousticLogProb()).isCloseTo(search.decode(u1).get(0).acousticLogProb(), within(1e-9));
    }

    @Test
    void emptyInputGivesAnEmptyHypothesis() {
        List<Hypothesis> out = new PrefixBeamSearch(ab, null, BeamSearchConfig.defaults()).decode(new float[0][]);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).text()).isEmpty();
        assertThat(out.get(0).acousticLogProb()).isZero();
    }

    @Test
    void quickselectPutsTheTopKFirst() {
        Random rng = new Random(8);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(60);
            java.util.List<Double> xs = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                // few distinct values: many ties
                xs.add((double) rng.nextInt(trial % 2 == 0 ? 4 : 1000));
            }
            int k = 1 + rng.nextInt(n + 3);
            java.util.List<Double> sorted = new java.util.ArrayList<>(xs);
            sorted.sort(java.util.Comparator.reverseOrder());
            PrefixBeamSearch.selectBest(xs, k, Double::doubleValue);
            int m = Math.min(k, n);
            java.util.List<Double> top = new java.util.ArrayList<>(xs.subList(0, m));
            top.sort(java.util.Comparator.reverseOrder());
            assertThat(top).as("trial %d n %d k %d", trial, n, k).isEqualTo(sorted.subList(0, m));
        }
    }

    @Test
    void unknownPrefixPenaltyStopsPrefixesFromPostponingTheirLmCost() {
        NgramModel lm = new KneserNeyTrainer(2).train(List.of("THE CAT SAT", "THE CAT"));
        // "THE ZORK|" where the closing boundary frame also likes Q (e^-3 times less)
        String[] frames = {"T", "H", "E", "|", "Z", "O", "R", "K", "?", "_", "_"};
        float[][] lp = new float[frames.length][english.size()];
        for (int t = 0; t < frames.length; t++) {
            Arrays.fill(lp[t], -15f);
            if (frames[t].equals("?")) {
                lp[t][english.wordBoundary()] = (float) Math.log(0.95);
                lp[t][english.id("Q")] = (float) Math.log(0.95) - 3;
            } else {
                lp[t][frames[t].equals("_") ? 0 : english.id(frames[t])] = (float) Math.log(0.95);
            }
        }
        BeamSearchConfig greedyBeam = BeamSearchConfig.defaults().withBeamWidth(1).withLm(3.0, 0);
        // without the penalty the open word "ZORKQ" pays nothing at the boundary frame and wins the only slot
        assertThat(new PrefixBeamSearch(english, lm, greedyBeam.withUnknownPrefixPenalty(0)).decode(lp).get(0).text())
                .isEqualTo("THE ZORKQ");
        assertThat(new PrefixBeamSearch(english, lm, greedyBeam).decode(lp).get(0).text()).isEqualTo("THE ZORK");
    }
}
