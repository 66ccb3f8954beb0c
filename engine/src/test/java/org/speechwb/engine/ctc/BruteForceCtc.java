package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CTC by definition, for tests: enumerate every one of the C^T frame paths, collapse repeats,
 * drop blanks, and add up the probabilities of those that spell the labels. Exponential, so
 * only for tiny cases, but it shares no code or recursion with the implementations under test.
 */
final class BruteForceCtc {

    private BruteForceCtc() {
    }

    /** The collapsed label sequence of a frame path. */
    static int[] collapse(int[] path, int blank) {
        List<Integer> out = new ArrayList<>();
        int prev = -1;
        for (int k : path) {
            if (k != prev && k != blank) {
                out.add(k);
            }
            prev = k;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** −ln Σ_{paths collapsing to labels} Π_t softmax(logits[t])[path_t]; +∞ when no path fits. */
    static double loss(double[][] logits, int[] labels, int blank) {
        int frames = logits.length;
        if (frames == 0) {
            return labels.length == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        int classes = logits[0].length;
        double[][] p = softmax(logits);
        int[] path = new int[frames];
        double total = 0;
        long count = (long) Math.pow(classes, frames);
        for (long code = 0; code < count; code++) {
            long c = code;
            double prob = 1;
            for (int t = 0; t < frames; t++) {
                path[t] = (int) (c % classes);
                c /= classes;
                prob *= p[t][path[t]];
            }
            if (Arrays.equals(collapse(path, blank), labels)) {
                total += prob;
            }
        }
        return -Math.log(total);
    }

    static double[][] softmax(double[][] logits) {
        double[][] p = new double[logits.length][];
        for (int t = 0; t < logits.length; t++) {
            double max = Arrays.stream(logits[t]).max().orElse(0);
            double sum = 0;
            p[t] = new double[logits[t].length];
            for (int k = 0; k < p[t].length; k++) {
                p[t][k] = Math.exp(logits[t][k] - max);
                sum += p[t][k];
            }
            for (int k = 0; k < p[t].length; k++) {
                p[t][k] /= sum;
            }
        }
        return p;
    }
}
