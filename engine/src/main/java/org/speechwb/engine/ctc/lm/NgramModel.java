package org.speechwb.engine.ctc.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A back-off word n-gram model in the ARPA sense: log10 probabilities for the stored n-grams
 * and log10 back-off weights for their use as contexts. Whatever smoothing produced it
 * ({@link KneserNeyTrainer} here, or KenLM / SRILM when loaded with {@link #readArpa}), lookup is
 * the standard one: {@code P(w | h) = P*(h w)} if stored, else {@code bow(h)·P(w | h')} with
 * {@code h'} the history without its oldest word and {@code bow = 1} for a history not stored.
 *
 * <p>Unknown words are scored as {@code <unk>}; a model without an {@code <unk>} unigram (an
 * SRILM closed-vocabulary file) gives them log10 −100, KenLM's convention.
 */
public final class NgramModel implements LanguageModel {

    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    /** log10 probability KenLM gives to words a closed-vocabulary model cannot score. */
    static final double MISSING_LOG10 = -100;
    private static final double LN10 = Math.log(10);

    /** log10 probability and log10 back-off weight of one stored n-gram. */
    record Entry(double log10Prob, double log10Backoff) {
    }

    private final List<String> words;
    private final Map<String, Integer> ids;
    /** tables.get(k - 1): the stored k-grams. */
    private final List<Map<NgramKey, Entry>> tables;
    private final int bos;
    private final int eos;
    private final int unk;

    NgramModel(List<String> words, List<Map<NgramKey, Entry>> tables) {
        this.words = List.copyOf(words);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            m.put(words.get(i), i);
        }
        this.ids = m;
        this.tables = new ArrayList<>();
        for (Map<NgramKey, Entry> t : tables) {
            this.tables.add(Collections.unmodifiableMap(t));
        }
        Integer b = m.get(BOS);
        Integer e = m.get(EOS);
        if (b == null || e == null) {
            throw new IllegalArgumentException("an n-gram model needs the unigrams " + BOS + " and " + EOS);
        }
        this.bos = b;
        this.eos = e;
        this.unk = m.getOrDefault(UNK, -1);
    }

    /** Reads an ARPA file; errors name the file and line. */
    public static NgramModel readArpa(Path file) throws IOException {
        return ArpaFormat.read(file);
    }

    /** Writes the model as an ARPA file (readable by KenLM, SRILM and {@link #readArpa}). */
    public void writeArpa(Path file) throws IOException {
        ArpaFormat.write(this, file);
    }

    public int order() {
        return tables.size();
    }

    /** Number of stored n-grams of order {@code k} (1-based). */
    public int ngramCount(int k) {
        return tables.get(k - 1).size();
    }

    /** The word list, including {@code <s>}, {@code </s>} and (when present) {@code <unk>}. */
    @Override
    public List<String> words() {
        return words;
    }

    @Override
    public boolean knows(String word) {
        Integer id = ids.get(word);
        return id != null && id != unk && id != bos;
    }

    @Override
    public LmState start() {
        return order() > 1 ? new LmState(new int[]{bos}) : new LmState(new int[0]);
    }

    @Override
    public Step step(LmState state, String word) {
        int id = wordId(word);
        return new Step(log10Prob(state.words(), id) * LN10, advance(state.words(), id));
    }

    @Override
    public double endLogProb(LmState state) {
        return log10Prob(state.words(), eos) * LN10;
    }

    /**
     * log10 P(word | history), the history given oldest first (without {@code <s>} unless you
     * want it); for tests and inspection.
     */
    public double log10Prob(List<String> history, String word) {
        int[] h = new int[history.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = wordId(history.get(i));
        }
        return log10Prob(h, wordId(word));
    }

    /** The id of a word, {@code <unk>}'s for an unknown one (-1 if the model has no {@code <unk>}). */
    int wordId(String word) {
        Integer id = ids.get(word);
        return id != null ? id : unk;
    }

    Map<NgramKey, Entry> table(int k) {
        return tables.get(k - 1);
    }

    double log10Prob(int[] history, int word) {
        if (word < 0) {
            return MISSING_LOG10;
        }
        int n = Math.min(history.length, order() - 1);
        double backoff = 0;
        for (int k = n; k >= 0; k--) {
            int[] key = new int[k + 1];
            System.arraycopy(history, history.length - k, key, 0, k);
            key[k] = word;
            Entry e = tables.get(k).get(new NgramKey(key));
            if (e != null) {
                return backoff + e.log10Prob();
            }
            if (k > 0) {
                Entry context = tables.get(k - 1).get(NgramKey.of(history, history.length - k, history.length));
                if (context != null) {
                    backoff += context.log10Backoff();
                }
            }
        }
        return MISSING_LOG10;
    }

    /** History plus word, cut to the longest suffix that is a stored n-gram (exact, see {@link LmState}). */
    private LmState advance(int[] history, int word) {
        if (word < 0) {
            // no <unk> in the model: nothing about the history survives an unscorable word
            return new LmState(new int[0]);
        }
        int keep = Math.min(history.length + 1, order() - 1);
        int[] all = new int[history.length + 1];
        System.arraycopy(history, 0, all, 0, history.length);
        all[history.length] = word;
        for (int k = keep; k > 0; k--) {
            NgramKey suffix = NgramKey.of(all, all.length - k, all.length);
            if (tables.get(k - 1).containsKey(suffix)) {
                return new LmState(suffix.ids);
            }
        }
        return new LmState(new int[0]);
    }

    /**
     * Perplexity over sentences (words separated by single spaces, in the model's alphabet),
     * each scored from {@code <s>} to {@code </s>} as KenLM's {@code query} does.
     */
    public Perplexity perplexity(List<String> sentences) {
        double log10Sum = 0;
        double log10SumKnown = 0;
        long tokens = 0;
        long oov = 0;
        for (String s : sentences) {
            LmState st = start();
            for (String w : s.split(" ")) {
                if (w.isEmpty()) {
                    continue;
                }
                Step step = step(st, w);
                double l10 = step.logProb() / LN10;
                log10Sum += l10;
                tokens++;
                if (knows(w)) {
                    log10SumKnown += l10;
                } else {
                    oov++;
                }
                st = step.next();
            }
            double end = endLogProb(st) / LN10;
            log10Sum += end;
            log10SumKnown += end;
            tokens++;
        }
        return new Perplexity(sentences.size(), tokens - sentences.size(), oov, log10Sum,
                Math.pow(10, -log10Sum / Math.max(1, tokens)),
                Math.pow(10, -log10SumKnown / Math.max(1, tokens - oov)));
    }
}
