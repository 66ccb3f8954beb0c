package org.speechwb.engine.ctc.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a word n-gram model with interpolated modified Kneser-Ney smoothing (Chen &amp; Goodman,
 * 1998), the smoothing KenLM's {@code lmplz} uses and the usual choice for the LM of a CTC
 * decoder. Chosen over Witten-Bell because it gives clearly lower perplexity on small text, and
 * because the interpolated model has an exact ARPA back-off form (the back-off weight of a
 * context is its interpolation weight γ), so the result can be saved, inspected and reloaded —
 * also by KenLM — without approximation.
 *
 * <p>Details, as in KenLM:
 * <ul>
 *   <li>each sentence is {@code <s> w1 … wn </s>} (one {@code <s>}); highest-order n-grams use
 *       raw counts, lower orders use continuation counts (the number of distinct words seen
 *       before the n-gram), except n-grams starting with {@code <s>}, which nothing can precede
 *       and which keep raw counts;</li>
 *   <li>three discounts per order, D1, D2, D3+, from the counts of counts n1..n4:
 *       {@code Y = n1/(n1+2n2)}, {@code D_r = r − (r+1)·Y·n_{r+1}/n_r}; when the text is too small
 *       for that formula (some n_r is 0 or a discount falls outside [0, r]) the order falls back
 *       to D = 0.5, 1, 1.5 (KenLM's {@code --discount_fallback}) with a warning;</li>
 *   <li>unigrams are interpolated with the uniform distribution over the vocabulary (words seen,
 *       {@code </s>} and {@code <unk>}), which is where {@code <unk>} gets its probability;
 *       {@code <s>} is never predicted (log10 −99 in the ARPA file).</li>
 * </ul>
 * Every conditional distribution then sums to one over the vocabulary (tested).
 */
public final class KneserNeyTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(KneserNeyTrainer.class);
    private static final double[] FALLBACK = {0.5, 1.0, 1.5};
    /** The log10 probability ARPA files give {@code <s>}, which is never predicted. */
    static final double BOS_LOG10 = -99;

    private final int order;
    private final List<double[]> discounts = new ArrayList<>();

    /** @param order 1 (unigram) or more; 3 (trigram) is the usual choice for small text */
    public KneserNeyTrainer(int order) {
        if (order < 1 || order > 9) {
            throw new IllegalArgumentException("n-gram order must be 1..9, got " + order);
        }
        this.order = order;
    }

    /**
     * Trains on sentences of words separated by spaces (normalise them first, e.g. with
     * {@link org.speechwb.engine.text.TranscriptNormalizer}); empty sentences are skipped.
     */
    public NgramModel train(List<String> sentences) {
        List<String> words = new ArrayList<>(List.of(NgramModel.UNK, NgramModel.BOS, NgramModel.EOS));
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
        int bos = ids.get(NgramModel.BOS);
        int eos = ids.get(NgramModel.EOS);
        int unk = ids.get(NgramModel.UNK);

        List<Map<NgramKey, Integer>> raw = new ArrayList<>();
        for (int k = 0; k < order; k++) {
            raw.add(new HashMap<>());
        }
        int used = 0;
        for (String s : sentences) {
            String[] parts = s.trim().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            used++;
            int[] seq = new int[parts.length + 2];
            seq[0] = bos;
            for (int i = 0; i < parts.length; i++) {
                String w = parts[i];
                if (w.equals(NgramModel.BOS) || w.equals(NgramModel.EOS)) {
                    throw new IllegalArgumentException("sentence \"" + s + "\" contains the reserved word " + w);
                }
                Integer id = ids.get(w);
                if (id == null) {
                    id = words.size();
                    words.add(w);
                    ids.put(w, id);
                }
                seq[i + 1] = id;
            }
            seq[seq.length - 1] = eos;
            for (int k = 1; k <= order; k++) {
                for (int end = k; end <= seq.length; end++) {
                    raw.get(k - 1).merge(NgramKey.of(seq, end - k, end), 1, Integer::sum);
                }
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("no sentences to train a language model on");
        }

        List<Map<NgramKey, Integer>> adjusted = adjustedCounts(raw, bos);
        discounts.clear();
        for (int k = 1; k <= order; k++) {
            discounts.add(discountsFor(k, adjusted.get(k - 1), bos));
        }

        List<Map<NgramKey, NgramModel.Entry>> tables = new ArrayList<>();
        for (int k = 0; k < order; k++) {
            tables.add(new HashMap<>());
        }
        unigrams(adjusted.get(0), tables.get(0), words.size(), bos, unk);
        for (int k = 2; k <= order; k++) {
            higherOrder(k, adjusted.get(k - 1), tables, words);
        }
        LOG.info("Trained a {}-gram Kneser-Ney model on {} sentences: {} words, n-grams per order {}", order, used,
                words.size() - 3, counts(tables));
        return new NgramModel(words, tables);
    }

    /** D1, D2, D3+ per order (1-based) of the last training run, for reports and tests. */
    public double[] discounts(int k) {
        return discounts.get(k - 1).clone();
    }

    private List<Map<NgramKey, Integer>> adjustedCounts(List<Map<NgramKey, Integer>> raw, int bos) {
        List<Map<NgramKey, Integer>> adjusted = new ArrayList<>();
        for (int k = 1; k <= order; k++) {
            if (k == order) {
                adjusted.add(raw.get(k - 1));
                continue;
            }
            Map<NgramKey, Integer> continuation = new HashMap<>();
            for (NgramKey longer : raw.get(k).keySet()) {
                continuation.merge(longer.suffix(), 1, Integer::sum);
            }
            Map<NgramKey, Integer> a = new HashMap<>();
            for (Map.Entry<NgramKey, Integer> e : raw.get(k - 1).entrySet()) {
                NgramKey g = e.getKey();
                a.put(g, g.ids[0] == bos ? e.getValue() : continuation.getOrDefault(g, 0));
            }
            adjusted.add(a);
        }
        return adjusted;
    }

    private double[] discountsFor(int k, Map<NgramKey, Integer> counts, int bos) {
        long[] n = new long[5];
        for (Map.Entry<NgramKey, Integer> e : counts.entrySet()) {
            if (k == 1 && e.getKey().ids[0] == bos) {
                continue;
            }
            int c = e.getValue();
            if (c >= 1 && c <= 4) {
                n[c]++;
            }
        }
        double[] d = new double[3];
        boolean ok = n[1] > 0 && n[2] > 0 && n[3] > 0 && n[4] > 0;
        if (ok) {
            double y = (double) n[1] / (n[1] + 2.0 * n[2]);
            for (int r = 1; r <= 3; r++) {
                d[r - 1] = r - (r + 1) * y * n[r + 1] / n[r];
                ok &= d[r - 1] >= 0 && d[r - 1] <= r;
            }
        }
        if (!ok) {
            LOG.warn("Order {}: counts of counts n1..n4 = {} {} {} {} are too few for modified Kneser-Ney discounts; "
                    + "using the fallback D = 0.5, 1, 1.5", k, n[1], n[2], n[3], n[4]);
            return FALLBACK.clone();
        }
        LOG.debug("Order {} discounts {}", k, String.format(Locale.ROOT, "%.4f %.4f %.4f", d[0], d[1], d[2]));
        return d;
    }

    private static double discount(double[] d, int count) {
        return d[Math.min(count, 3) - 1];
    }

    private void unigrams(Map<NgramKey, Integer> counts, Map<NgramKey, NgramModel.Entry> table, int vocabSize,
                          int bos, int unk) {
        double[] d = discounts.get(0);
        double total = 0;
        double discounted = 0;
        for (Map.Entry<NgramKey, Integer> e : counts.entrySet()) {
            if (e.getKey().ids[0] != bos) {
                total += e.getValue();
                discounted += discount(d, e.getValue());
            }
        }
        // uniform over every word that can be predicted: all but <s>
        double uniform = (discounted / total) / (vocabSize - 1);
        for (int w = 0; w < vocabSize; w++) {
            NgramKey key = new NgramKey(new int[]{w});
            if (w == bos) {
                table.put(key, new NgramModel.Entry(BOS_LOG10, 0));
                continue;
            }
            int c = counts.getOrDefault(key, 0);
            double p = (c > 0 ? (c - discount(d, c)) / total : 0) + uniform;
            table.put(key, new NgramModel.Entry(Math.log10(p), 0));
        }
        if (!table.containsKey(new NgramKey(new int[]{unk}))) {
            throw new IllegalStateException("<unk> unigram missing");
        }
    }

    /** Order k ≥ 2: interpolation weights of the (k−1)-word contexts (their back-off), then the k-grams. */
    private void higherOrder(int k, Map<NgramKey, Integer> counts, List<Map<NgramKey, NgramModel.Entry>> tables,
                             List<String> words) {
        double[] d = discounts.get(k - 1);
        Map<NgramKey, double[]> contexts = new HashMap<>(); // total count, discounted mass
        for (Map.Entry<NgramKey, Integer> e : counts.entrySet()) {
            double[] acc = contexts.computeIfAbsent(e.getKey().prefix(), x -> new double[2]);
            acc[0] += e.getValue();
            acc[1] += discount(d, e.getValue());
        }
        Map<NgramKey, NgramModel.Entry> lower = tables.get(k - 2);
        for (Map.Entry<NgramKey, double[]> c : contexts.entrySet()) {
            NgramModel.Entry e = lower.get(c.getKey());
            if (e == null) {
                throw new IllegalStateException("context " + describe(c.getKey(), words) + " of order " + (k - 1)
                        + " is missing");
            }
            double gamma = c.getValue()[1] / c.getValue()[0];
            lower.put(c.getKey(), new NgramModel.Entry(e.log10Prob(), Math.log10(gamma)));
        }
        // the lower-order model is complete now (entries and back-offs of orders < k)
        NgramModel partial = new NgramModel(words, tables.subList(0, k - 1));
        Map<NgramKey, NgramModel.Entry> table = tables.get(k - 1);
        for (Map.Entry<NgramKey, Integer> e : counts.entrySet()) {
            NgramKey g = e.getKey();
            double[] ctx = contexts.get(g.prefix());
            double gamma = ctx[1] / ctx[0];
            int[] shorter = Arrays.copyOfRange(g.ids, 1, g.ids.length - 1);
            double lowerP = Math.pow(10, partial.log10Prob(shorter, g.last()));
            double p = (e.getValue() - discount(d, e.getValue())) / ctx[0] + gamma * lowerP;
            table.put(g, new NgramModel.Entry(Math.log10(p), 0));
        }
    }

    private static String describe(NgramKey key, List<String> words) {
        StringBuilder sb = new StringBuilder("\"");
        for (int id : key.ids) {
            sb.append(sb.length() > 1 ? " " : "").append(words.get(id));
        }
        return sb.append('"').toString();
    }

    private static String counts(List<Map<NgramKey, NgramModel.Entry>> tables) {
        StringBuilder sb = new StringBuilder();
        for (Map<NgramKey, NgramModel.Entry> t : tables) {
            sb.append(sb.length() > 0 ? "/" : "").append(t.size());
        }
        return sb.toString();
    }
}
