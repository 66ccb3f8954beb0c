package org.speechwb.engine.ctc.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.testutil.RepoFiles;

/** Interpolated modified Kneser-Ney: hand-computed values, normalisation, perplexity and ARPA round trips. */
class KneserNeyTest {

    private static List<String> train;
    private static List<String> heldOut;
    private static NgramModel trigram;

    @TempDir
    Path dir;

    /** Every 10th Harvard sentence held out (72), the other 648 for training. */
    @BeforeAll
    static void trainOnHarvardSentences() throws IOException {
        List<String> all = TextCorpus.read(RepoFiles.root().resolve("datasets/text/harvard-sentences.txt"));
        train = new ArrayList<>();
        heldOut = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (i % 10 == 9 ? heldOut : train).add(all.get(i));
        }
        trigram = new KneserNeyTrainer(3).train(train);
    }

    @Test
    void tinyBigramMatchesHandComputation() {
        KneserNeyTrainer t = new KneserNeyTrainer(2);
        NgramModel m = t.train(List.of("A B", "A C"));
        // too few counts of counts: fallback discounts 0.5, 1, 1.5
        assertThat(t.discounts(1)).containsExactly(0.5, 1.0, 1.5);
        // unigram continuation counts A 1, B 1, C 1, </s> 2 (total 5, discounted mass 2.5, 5 predictable words)
        assertThat(p(m, List.of(), "A")).isCloseTo(0.2, within(1e-12));
        assertThat(p(m, List.of(), "</s>")).isCloseTo(0.3, within(1e-12));
        assertThat(p(m, List.of(), "<unk>")).isCloseTo(0.1, within(1e-12));
        assertThat(p(m, List.of(), "ZEBRA")).isCloseTo(0.1, within(1e-12));
        // context A: B and C once each, γ = 1/2
        assertThat(p(m, List.of("A"), "B")).isCloseTo(0.5 / 2 + 0.5 * 0.2, within(1e-12));
        assertThat(p(m, List.of("A"), "</s>")).isCloseTo(0.5 * 0.3, within(1e-12));
        // context <s>: A twice (raw count), D2 = 1, γ = 1/2
        assertThat(p(m, List.of("<s>"), "A")).isCloseTo(1.0 / 2 + 0.5 * 0.2, within(1e-12));
    }

    private static double p(NgramModel m, List<String> history, String w) {
        return Math.pow(10, m.log10Prob(history, w));
    }

    @Test
    void modifiedDiscountsAreEstimatedOnRealText() {
        KneserNeyTrainer t = new KneserNeyTrainer(3);
        t.train(train);
        for (int k = 1; k <= 3; k++) {
            double[] d = t.discounts(k);
            assertThat(d).as("order %d", k).isNotEqualTo(new double[]{0.5, 1.0, 1.5});
            for (int r = 0; r < 3; r++) {
                assertThat(d[r]).isBetween(0.0, r + 1.0);
            }
        }
    }

    @Test
    void everyContextsDistributionSumsToOne() {
        List<List<String>> contexts = List.of(List.of(), List.of("<s>"), List.of("<s>", "THE"), List.of("THE"),
                List.of("OF", "THE"), List.of("THE", "BIRCH"), List.of("ZEBRA", "QUAGGA"), List.of("<unk>", "THE"),
                List.of("THE", "SMALL"));
        for (NgramModel m : List.of(trigram, new KneserNeyTrainer(1).train(train), new KneserNeyTrainer(4).train(train))) {
            for (List<String> h : contexts) {
                double sum = 0;
                for (String w : m.words()) {
                    if (!w.equals(NgramModel.BOS)) {
                        sum += p(m, h, w);
                    }
                }
                assertThat(sum).as("order %d, context %s", m.order(), h).isCloseTo(1.0, within(1e-9));
            }
        }
    }

    @Test
    void trigramBeatsUnigramOnHeldOutSentences() {
        Perplexity tri = trigram.perplexity(heldOut);
        Perplexity uni = new KneserNeyTrainer(1).train(train).perplexity(heldOut);
        Perplexity bi = new KneserNeyTrainer(2).train(train).perplexity(heldOut);
        assertThat(tri.sentences()).isEqualTo(72);
        assertThat(tri.perplexity()).isLessThan(uni.perplexity());
        assertThat(bi.perplexity()).isLessThan(uni.perplexity());
        assertThat(tri.oov()).isPositive();
        // training text is far more predictable than held-out text
        assertThat(trigram.perplexity(train).perplexity()).isLessThan(tri.perplexity() / 2);
    }

    @Test
    void unknownWordsAreScoredAsUnk() {
        assertThat(trigram.knows("THE")).isTrue();
        assertThat(trigram.knows("QUAGGA")).isFalse();
        LanguageModel.Step s = trigram.step(trigram.start(), "QUAGGA");
        assertThat(s.logProb()).isCloseTo(trigram.log10Prob(List.of("<s>"), "<unk>") * Math.log(10), within(1e-12));
        Perplexity ppl = trigram.perplexity(List.of("THE QUAGGA SAT"));
        assertThat(ppl.oov()).isEqualTo(1);
        assertThat(ppl.words()).isEqualTo(3);
    }

    @Test
    void statesThatTheModelCannotTellApartAreEqual() {
        LanguageModel.Step a = trigram.step(trigram.step(trigram.start(), "QUAGGA").next(), "ZEBRA");
        LanguageModel.Step b = trigram.step(trigram.step(trigram.start(), "OKAPI").next(), "ZEBRA");
        assertThat(a.next()).isEqualTo(b.next());
        // step-by-step scoring equals direct history lookups
        LmState st = trigram.start();
        double viaSteps = 0;
        for (String w : "THE BIRCH CANOE SLID".split(" ")) {
            LanguageModel.Step step = trigram.step(st, w);
            viaSteps += step.logProb();
            st = step.next();
        }
        double direct = (trigram.log10Prob(List.of("<s>"), "THE") + trigram.log10Prob(List.of("<s>", "THE"), "BIRCH")
                + trigram.log10Prob(List.of("THE", "BIRCH"), "CANOE") + trigram.log10Prob(List.of("BIRCH", "CANOE"), "SLID"))
                * Math.log(10);
        assertThat(viaSteps).isCloseTo(direct, within(1e-12));
    }

    @Test
    void arpaRoundTripKeepsEveryProbability() throws IOException {
        Path f = dir.resolve("lm/harvard.arpa");
        trigram.writeArpa(f);
        NgramModel back = NgramModel.readArpa(f);
        assertThat(back.order()).isEqualTo(3);
        for (int k = 1; k <= 3; k++) {
            assertThat(back.ngramCount(k)).isEqualTo(trigram.ngramCount(k));
        }
        assertThat(back.perplexity(heldOut).perplexity()).isCloseTo(trigram.perplexity(heldOut).perplexity(), within(1e-4));
        for (List<String> h : List.of(List.of("<s>"), List.of("<s>", "THE"), List.of("A", "SMALL"))) {
            for (String w : List.of("THE", "BOY", "</s>", "QUAGGA")) {
                assertThat(back.log10Prob(h, w)).isCloseTo(trigram.log10Prob(h, w), within(1e-6));
            }
        }
        Path again = dir.resolve("again.arpa");
        back.writeArpa(again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(f));
        String text = Files.readString(f);
        assertThat(text).startsWith("\\data\\\nngram 1=").contains("\\3-grams:").endsWith("\\end\\\n");
        assertThat(text).contains("-99.0000000\t<s>\t");
    }

    @Test
    void badArpaFilesNameFileAndLine() throws IOException {
        Path f = dir.resolve("bad.arpa");
        Files.writeString(f, "\\data\\\nngram 1=2\n\n\\1-grams:\n-1.0\t<s>\n-0.5\n\\end\\\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NgramModel.readArpa(f)).hasMessageContaining("bad.arpa:6").hasMessageContaining("fields");
        Files.writeString(f, "\\data\\\nngram 1=3\n\n\\1-grams:\n-1.0\t<s>\n-0.5\t</s>\n\\end\\\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NgramModel.readArpa(f)).hasMessageContaining("announces 3 1-grams but 2");
        Files.writeString(f, "hello\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NgramModel.readArpa(f)).hasMessageContaining("not an ARPA file");
    }

    @Test
    void closedVocabularyArpaScoresUnknownWordsAsMinusHundred() throws IOException {
        Path f = dir.resolve("closed.arpa");
        Files.writeString(f, "\\data\\\nngram 1=3\n\n\\1-grams:\n-99\t<s>\n-0.30103\t</s>\n-0.30103\tA\n\n\\end\\\n",
                StandardCharsets.UTF_8);
        NgramModel m = NgramModel.readArpa(f);
        assertThat(m.log10Prob(List.of(), "A")).isCloseTo(-0.30103, within(1e-9));
        assertThat(m.log10Prob(List.of(), "B")).isEqualTo(-100);
    }
}
