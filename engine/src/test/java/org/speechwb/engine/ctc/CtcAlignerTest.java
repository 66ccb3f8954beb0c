package org.speechwb.engine.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.text.Vocabulary;

/** Forced alignment: exact boundaries on a designed posteriorgram, Viterbi optimality, monotonic segments, failures. */
class CtcAlignerTest {

    @TempDir
    Path dir;

    private final Vocabulary v = Vocabulary.englishLetters();
    private final CtcAligner aligner = new CtcAligner(v);

    /** Log-posteriors where each frame gives 0.9 to the token of {@code path} and shares 0.1 over the rest. */
    private float[][] peaky(int[] path) {
        float[][] lp = new float[path.length][v.size()];
        for (int t = 0; t < path.length; t++) {
            Arrays.fill(lp[t], (float) Math.log(0.1 / (v.size() - 1)));
            lp[t][path[t]] = (float) Math.log(0.9);
        }
        return lp;
    }

    /** A frame path from a compact spec: "_" blank, "|" boundary, letters. */
    private int[] path(String spec) {
        int[] p = new int[spec.length()];
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            p[i] = c == '_' ? 0 : v.id(String.valueOf(c));
        }
        return p;
    }

    @Test
    void recoversTheDesignedBoundariesExactly() {
        //            0         1         2
        //            0123456789012345678901234
        String spec = "__HH_I_|___BAA_L__L_||___";
        Alignment a = aligner.align(peaky(path(spec)), "HI BALL", 0.02);
        assertThat(a.framePath()).containsExactly(path(spec));
        List<TokenSegment> t = a.tokens();
        assertThat(t).extracting(TokenSegment::symbol).containsExactly("H", "I", "|", "B", "A", "L", "L", "|");
        assertThat(t).extracting(TokenSegment::startFrame).containsExactly(2, 5, 7, 11, 12, 15, 18, 20);
        assertThat(t).extracting(TokenSegment::endFrame).containsExactly(4, 6, 8, 12, 14, 16, 19, 22);
        assertThat(t.get(4).startSeconds()).isCloseTo(0.24, within(1e-12));
        assertThat(t.get(4).endSeconds()).isCloseTo(0.28, within(1e-12));
        assertThat(t.get(0).score()).isCloseTo(Math.log(0.9), within(1e-6));
        List<WordSegment> w = a.words();
        assertThat(w).extracting(WordSegment::word).containsExactly("HI", "BALL");
        assertThat(w.get(0).startFrame()).isEqualTo(2);
        assertThat(w.get(0).endFrame()).isEqualTo(6);
        assertThat(w.get(1).startFrame()).isEqualTo(11);
        assertThat(w.get(1).endFrame()).isEqualTo(19);
        assertThat(w.get(1).endSeconds()).isCloseTo(0.38, within(1e-12));
        assertThat(w.get(1).firstToken()).isEqualTo(3);
        assertThat(w.get(1).lastToken()).isEqualTo(6);
        assertThat(a.logProb()).isCloseTo(spec.length() * Math.log(0.9), within(1e-4));
    }

    @Test
    void viterbiScoreIsTheBestPathFoundByEnumeration() {
        Vocabulary small = Vocabulary.of(List.of("<blank>", "|", "A", "B"));
        CtcAligner al = new CtcAligner(small);
        Random rng = new Random(9);
        for (int trial = 0; trial < 30; trial++) {
            int frames = 2 + rng.nextInt(5);
            double[][] logits = new double[frames][4];
            for (double[] f : logits) {
                for (int k = 0; k < 4; k++) {
                    f[k] = rng.nextGaussian() * 2;
                }
            }
            double[][] p = BruteForceCtc.softmax(logits);
            float[][] lp = new float[frames][4];
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < 4; k++) {
                    lp[t][k] = (float) Math.log(p[t][k]);
                }
            }
            int[] target = new int[1 + rng.nextInt(Math.min(3, frames))];
            for (int i = 0; i < target.length; i++) {
                target[i] = 1 + rng.nextInt(3);
            }
            double best = Double.NEGATIVE_INFINITY;
            int[] path = new int[frames];
            for (long code = 0; code < Math.pow(4, frames); code++) {
                long c = code;
                double s = 0;
                for (int t = 0; t < frames; t++) {
                    path[t] = (int) (c % 4);
                    c /= 4;
                    s += lp[t][path[t]];
                }
                if (Arrays.equals(BruteForceCtc.collapse(path, 0), target)) {
                    best = Math.max(best, s);
                }
            }
            if (best == Double.NEGATIVE_INFINITY) {
                assertThatThrownBy(() -> al.align(lp, target, 0.02)).isInstanceOf(AlignmentException.class);
                continue;
            }
            Alignment a = al.align(lp, target, 0.02);
            assertThat(a.logProb()).as("trial %d", trial).isCloseTo(best, within(1e-9));
            assertThat(BruteForceCtc.collapse(a.framePath(), 0)).containsExactly(target);
            double along = 0;
            for (int t = 0; t < frames; t++) {
                along += lp[t][a.framePath()[t]];
            }
            assertThat(along).isCloseTo(a.logProb(), within(1e-9));
        }
    }

    @Test
    void segmentsAreMonotonicAndDisjointOnNoisyPosteriors() {
        Random rng = new Random(4);
        String text = "THE BIRCH CANOE SLID ON THE SMOOTH PLANKS";
        float[][] lp = new float[160][v.size()];
        for (float[] f : lp) {
            for (int c = 0; c < f.length; c++) {
                f[c] = (float) (rng.nextGaussian() * 3);
            }
        }
        LogProbs.logSoftmaxInPlace(lp);
        Alignment a = aligner.align(lp, text, Alignment.WAV2VEC2_FRAME_SECONDS);
        int previousEnd = 0;
        for (TokenSegment s : a.tokens()) {
            assertThat(s.startFrame()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(s.endFrame()).isGreaterThan(s.startFrame());
            assertThat(s.score()).isLessThanOrEqualTo(0);
            previousEnd = s.endFrame();
        }
        assertThat(previousEnd).isLessThanOrEqualTo(160);
        assertThat(a.words()).extracting(WordSegment::word).containsExactly(text.split(" "));
        for (int i = 1; i < a.words().size(); i++) {
            assertThat(a.words().get(i).startFrame()).isGreaterThanOrEqualTo(a.words().get(i - 1).endFrame());
        }
    }

    @Test
    void transcriptTooLongIsReportedWithTheNumbers() {
        float[][] lp = peaky(path("HEL_LO|"));
        assertThatThrownBy(() -> aligner.align(lp, "HELLO WORLD", 0.02))
                .isInstanceOf(AlignmentException.class)
                .hasMessageContaining("needs at least 13 frames")
                .hasMessageContaining("only 7")
                .satisfies(e -> {
                    assertThat(((AlignmentException) e).requiredFrames()).isEqualTo(13);
                    assertThat(((AlignmentException) e).availableFrames()).isEqualTo(7);
                });
        // "LL" needs a blank between: 6 tokens + 1 = 7 frames; 6 are too few
        assertThatThrownBy(() -> aligner.align(peaky(path("HELLO|")), "HELLO", 0.02))
                .hasMessageContaining("needs at least 7 frames");
    }

    @Test
    void emptyTranscriptAlignsEverythingToBlank() {
        Alignment a = aligner.align(peaky(path("___")), "", 0.02);
        assertThat(a.tokens()).isEmpty();
        assertThat(a.words()).isEmpty();
        assertThat(a.framePath()).containsExactly(0, 0, 0);
    }

    @Test
    void posteriorgramExportsProbabilities() throws IOException {
        float[][] lp = peaky(path("_A|"));
        Posteriorgram pg = Posteriorgram.fromLogProbs(lp, v, 0.02);
        assertThat(pg.frames()).isEqualTo(3);
        assertThat(pg.classes()).isEqualTo(29);
        assertThat(pg.argmax(1)).isEqualTo(v.id("A"));
        assertThat(pg.probabilities()[1][v.id("A")]).isCloseTo(0.9f, within(1e-6f));
        double sum = 0;
        for (float x : pg.probabilities()[2]) {
            sum += x;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        Path csv = dir.resolve("pg.csv");
        pg.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("frame,seconds,<blank>,|,',A,B");
        assertThat(lines.get(2)).startsWith("1,0.020,");
        assertThat(lines.get(2).split(",")[3 + v.id("A") - 1]).isEqualTo("0.900000");
    }
}
