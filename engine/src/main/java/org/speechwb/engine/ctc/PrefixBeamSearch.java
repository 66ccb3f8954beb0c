package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.speechwb.engine.ctc.lm.LanguageModel;
import org.speechwb.engine.ctc.lm.LmState;
import org.speechwb.engine.text.Vocabulary;

/**
 * CTC prefix beam search (Hannun et al., 2014, "First-pass large vocabulary continuous speech
 * recognition using bi-directional recurrent DNNs") with an optional word language model.
 *
 * <p>Each prefix (a collapsed token sequence) carries two probabilities: of the frames so far
 * ending in a blank, and ending in its last token. Extending by the same token as the last one
 * only counts paths with a blank in between; a repeat without blank stays on the same prefix.
 * Prefixes live in a trie, so the same prefix reached through different paths is one node and
 * its probabilities add up.
 *
 * <p>The language model is applied when a word is complete, i.e. when {@code "|"} is appended:
 * the prefix's score becomes {@code ln P_ctc + α·ln P_lm(words) + β·|words|}. At the end the
 * unfinished last word and the sentence end {@code </s>} are scored too. Meanwhile a prefix whose
 * unfinished word can no longer become a word the LM knows is held back by
 * {@link BeamSearchConfig#unknownPrefixPenalty()} (pyctcdecode's remedy for prefixes that avoid
 * their LM cost by not finishing a word). Without a language
 * model the search ranks by {@code ln P_ctc} alone (α and β unused). A {@code "|"} at the start
 * or right after another one adds no empty word: it is merged into the prefix as if it were a
 * blank, the same reading {@link Vocabulary#decode} gives it.
 *
 * <p>Thread-safe: every {@link #decode} call has its own trie; the language model is only read.
 * Speed is measured by {@code speechwb bench-decode}.
 */
public final class PrefixBeamSearch {

    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    private static final ToDoubleFunction<Node> RANK = n -> n.rank;

    private final Vocabulary vocabulary;
    private final LanguageModel lm;
    private final BeamSearchConfig config;
    /** Every non-empty prefix of every word the LM knows. */
    private final Set<String> knownPrefixes = new HashSet<>();

    /** @param lm null to search on CTC scores only */
    public PrefixBeamSearch(Vocabulary vocabulary, LanguageModel lm, BeamSearchConfig config) {
        this.vocabulary = vocabulary;
        this.lm = lm;
        this.config = config;
        if (lm != null) {
            for (String w : lm.words()) {
                for (int i = 1; i <= w.length(); i++) {
                    knownPrefixes.add(w.substring(0, i));
                }
            }
        }
    }

    public BeamSearchConfig config() {
        return config;
    }

    /** A prefix: its last token, its parent, and the word-level LM state of its completed words. */
    private static final class Node {
        final Node parent;
        final int token;
        Node[] children;
        final LmState lmState;
        final double lmLogProb;
        final int words;
        /** The unfinished last word is no prefix of any word the LM knows. */
        final boolean unknownPrefix;
        /** ln P(prefix, frames so far) ending in blank / in the last token. */
        double pb = NEG_INF;
        double pnb = NEG_INF;
        double nextPb;
        double nextPnb;
        int stamp = -1;
        double rank;

        Node(Node parent, int token, LmState lmState, double lmLogProb, int words, boolean unknownPrefix) {
            this.parent = parent;
            this.token = token;
            this.lmState = lmState;
            this.lmLogProb = lmLogProb;
            this.words = words;
            this.unknownPrefix = unknownPrefix;
        }
    }

    /** Decodes one utterance from its log-probabilities {@code [frames][classes]}; n-best, best first. */
    public List<Hypothesis> decode(float[][] logProbs) {
        int classes = vocabulary.size();
        int blank = vocabulary.blank();
        int boundary = vocabulary.wordBoundary();
        Node root = new Node(null, -1, lm == null ? null : lm.start(), 0, 0, false);
        root.pb = 0;
        List<Node> beams = new ArrayList<>();
        beams.add(root);
        List<Node> touched = new ArrayList<>();
        int[] candidates = new int[classes];
        double alpha = lm == null ? 0 : config.lmWeight();
        double beta = lm == null ? 0 : config.wordBonus();
        double unknownPenalty = lm == null ? 0 : config.unknownPrefixPenalty();
        Comparator<Node> byRank = (a, b) -> Double.compare(b.rank, a.rank);

        for (int t = 0; t < logProbs.length; t++) {
            float[] lp = logProbs[t];
            if (lp.length != classes) {
                throw new IllegalArgumentException("frame " + t + " has " + lp.length + " classes but the vocabulary has "
                        + classes);
            }
            int nCand = candidates(lp, blank, candidates);
            touched.clear();
            for (Node n : beams) {
                double total = logAdd(n.pb, n.pnb);
                addBlank(n, total + lp[blank], t, touched);
                if (n != root) {
                    addNonBlank(n, n.pnb + lp[n.token], t, touched);
                }
                for (int i = 0; i < nCand; i++) {
                    int c = candidates[i];
                    double p = lp[c];
                    if (c == boundary && (n == root || n.token == boundary)) {
                        if (n == root) {
                            addBlank(n, total + p, t, touched);
                        } else {
                            addNonBlank(n, n.pb + p, t, touched);
                        }
                        continue;
                    }
                    Node child = child(n, c, boundary);
                    addNonBlank(child, (c == n.token ? n.pb : total) + p, t, touched);
                }
            }
            for (Node n : touched) {
                n.rank = logAdd(n.nextPb, n.nextPnb) + alpha * n.lmLogProb + beta * n.words
                        + (n.unknownPrefix ? unknownPenalty : 0);
            }
            selectBest(touched, config.beamWidth(), RANK);
            int kept = Math.min(config.beamWidth(), touched.size());
            List<Node> best = touched.subList(0, kept);
            best.sort(byRank);
            beams.clear();
            double floor = best.get(0).rank - config.beamPruneLogProb();
            for (Node n : best) {
                if (n.rank < floor) {
                    break;
                }
                n.pb = n.nextPb;
                n.pnb = n.nextPnb;
                beams.add(n);
            }
        }
        return finish(beams, root, boundary, alpha, beta);
    }

    /**
     * Moves the {@code k} highest-ranked nodes to the front of the list, in no particular order
     * (quickselect): the frame's candidates can number beam × classes, and sorting them all
     * dominated the search time.
     */
    static <T> void selectBest(List<T> nodes, int k, ToDoubleFunction<T> rank) {
        int lo = 0;
        int hi = nodes.size() - 1;
        if (k >= nodes.size()) {
            return;
        }
        while (lo < hi) {
            double pivot = rank.applyAsDouble(nodes.get((lo + hi) >>> 1));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (rank.applyAsDouble(nodes.get(i)) > pivot) {
                    i++;
                }
                while (rank.applyAsDouble(nodes.get(j)) < pivot) {
                    j--;
                }
                if (i <= j) {
                    T tmp = nodes.get(i);
                    nodes.set(i, nodes.get(j));
                    nodes.set(j, tmp);
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    /** Decodes a batch of logits (or log-probabilities) {@code [B, T, C]}, utterance b up to {@code lengths[b]}. */
    public List<List<Hypothesis>> decode(INDArray scores, int[] lengths, boolean alreadyLogProbs) {
        if (scores.rank() != 3 || lengths.length != scores.size(0)) {
            throw new IllegalArgumentException("expected [batch, frames, classes] scores and one length per utterance");
        }
        List<List<Hypothesis>> out = new ArrayList<>();
        for (int b = 0; b < lengths.length; b++) {
            float[][] m = alreadyLogProbs ? LogProbs.utterance(scores, b, lengths[b])
                    : LogProbs.utteranceLogSoftmax(scores, b, lengths[b]);
            out.add(decode(m));
        }
        return out;
    }

    /** Non-blank tokens worth trying at this frame: above the pruning threshold, and always the best one. */
    private int candidates(float[] lp, int blank, int[] out) {
        int n = 0;
        int best = -1;
        for (int c = 0; c < lp.length; c++) {
            if (c == blank) {
                continue;
            }
            if (best < 0 || lp[c] > lp[best]) {
                best = c;
            }
            if (lp[c] >= config.tokenPruneLogProb() && lp[c] > NEG_INF) {
                out[n++] = c;
            }
        }
        if (n == 0 && best >= 0 && lp[best] > NEG_INF) {
            out[n++] = best;
        }
        return n;
    }

    private Node child(Node n, int token, int boundary) {
        if (n.children == null) {
            n.children = new Node[vocabulary.size()];
        }
        Node c = n.children[token];
        if (c != null) {
            return c;
        }
        if (token == boundary) {
            String word = lastWord(n, boundary);
            if (lm != null) {
                LanguageModel.Step s = lm.step(n.lmState, word);
                c = new Node(n, token, s.next(), n.lmLogProb + s.logProb(), n.words + 1, false);
            } else {
                c = new Node(n, token, null, 0, n.words + 1, false);
            }
        } else {
            boolean unknown = lm != null
                    && (n.unknownPrefix || !knownPrefixes.contains(lastWord(n, boundary) + vocabulary.token(token)));
            c = new Node(n, token, n.lmState, n.lmLogProb, n.words, unknown);
        }
        n.children[token] = c;
        return c;
    }

    /** The letters after the last boundary up to and including {@code n}. */
    private String lastWord(Node n, int boundary) {
        StringBuilder sb = new StringBuilder();
        for (Node x = n; x != null && x.token >= 0 && x.token != boundary; x = x.parent) {
            sb.append(vocabulary.token(x.token));
        }
        return sb.reverse().toString();
    }

    private static void touch(Node n, int t, List<Node> touched) {
        if (n.stamp != t) {
            n.stamp = t;
            n.nextPb = NEG_INF;
            n.nextPnb = NEG_INF;
            touched.add(n);
        }
    }

    private static void addBlank(Node n, double p, int t, List<Node> touched) {
        touch(n, t, touched);
        n.nextPb = logAdd(n.nextPb, p);
    }

    private static void addNonBlank(Node n, double p, int t, List<Node> touched) {
        touch(n, t, touched);
        n.nextPnb = logAdd(n.nextPnb, p);
    }

    private List<Hypothesis> finish(List<Node> beams, Node root, int boundary, double alpha, double beta) {
        List<Hypothesis> all = new ArrayList<>();
        for (Node n : beams) {
            double acoustic = logAdd(n.pb, n.pnb);
            double lmLogProb = n.lmLogProb;
            int words = n.words;
            boolean openWord = n != root && n.token != boundary;
            if (openWord) {
                words++;
            }
            if (lm != null) {
                LmState state = n.lmState;
                if (openWord) {
                    LanguageModel.Step s = lm.step(state, lastWord(n, boundary));
                    lmLogProb += s.logProb();
                    state = s.next();
                }
                lmLogProb += lm.endLogProb(state);
            }
            int[] tokens = tokens(n);
            all.add(new Hypothesis(vocabulary.decode(tokens), tokens, acoustic, lmLogProb, words,
                    acoustic + alpha * lmLogProb + beta * words));
        }
        all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        // prefixes that differ only by a closing "|" spell the same text: keep the better one
        List<Hypothesis> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Hypothesis h : all) {
            if (seen.add(h.text())) {
                out.add(h);
                if (out.size() == config.nBest()) {
                    break;
                }
            }
        }
        return out;
    }

    private static int[] tokens(Node n) {
        int len = 0;
        for (Node x = n; x.parent != null; x = x.parent) {
            len++;
        }
        int[] out = new int[len];
        for (Node x = n; x.parent != null; x = x.parent) {
            out[--len] = x.token;
        }
        return out;
    }

    /** ln(e^a + e^b) without overflow. */
    static double logAdd(double a, double b) {
        if (a == NEG_INF) {
            return b;
        }
        if (b == NEG_INF) {
            return a;
        }
        return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
    }
}
