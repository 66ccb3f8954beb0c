package org.speechwb.engine.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Minimum-edit-distance (Levenshtein) alignment of two unit sequences, each substitution,
 * insertion and deletion costing 1, as in NIST sclite and Kaldi's {@code compute-wer}. Of the
 * alignments with the minimum cost the backtrace prefers, from the end of both sequences, a
 * match or substitution, then a deletion, then an insertion; this only decides how errors are
 * split between the three kinds, never their total.
 */
public final class EditAlignment {

    private final List<AlignedPair> pairs;
    private final ErrorCounts counts;

    private EditAlignment(List<AlignedPair> pairs, ErrorCounts counts) {
        this.pairs = pairs;
        this.counts = counts;
    }

    /** Word alignment of two texts split on whitespace. */
    public static EditAlignment ofWords(String reference, String hypothesis) {
        return align(words(reference), words(hypothesis));
    }

    /** Character alignment; spaces between words count as characters (word-boundary errors matter for letter CTC). */
    public static EditAlignment ofCharacters(String reference, String hypothesis) {
        return align(characters(reference), characters(hypothesis));
    }

    public static EditAlignment align(List<String> ref, List<String> hyp) {
        int n = ref.size();
        int m = hyp.size();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int diag = d[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(diag, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        List<AlignedPair> pairs = new ArrayList<>();
        int s = 0;
        int ins = 0;
        int del = 0;
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0) {
                boolean same = ref.get(i - 1).equals(hyp.get(j - 1));
                if (d[i][j] == d[i - 1][j - 1] + (same ? 0 : 1)) {
                    pairs.add(new AlignedPair(same ? EditOp.MATCH : EditOp.SUBSTITUTION, ref.get(i - 1), hyp.get(j - 1)));
                    if (!same) {
                        s++;
                    }
                    i--;
                    j--;
                    continue;
                }
            }
            if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
                pairs.add(new AlignedPair(EditOp.DELETION, ref.get(i - 1), null));
                del++;
                i--;
            } else {
                pairs.add(new AlignedPair(EditOp.INSERTION, null, hyp.get(j - 1)));
                ins++;
                j--;
            }
        }
        Collections.reverse(pairs);
        return new EditAlignment(List.copyOf(pairs), new ErrorCounts(s, ins, del, n));
    }

    public List<AlignedPair> pairs() {
        return pairs;
    }

    public ErrorCounts counts() {
        return counts;
    }

    /**
     * The alignment for display: matches as they are, substitutions {@code [REF→HYP]}, deletions
     * {@code [-REF]}, insertions {@code [+HYP]}, e.g. {@code THE [CAT→BAT] SAT [-ON]}. Brackets
     * rather than asterisks, so that the line means the same in plain text and in Markdown.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (AlignedPair p : pairs) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            switch (p.op()) {
                case MATCH -> sb.append(p.ref());
                case SUBSTITUTION -> sb.append('[').append(p.ref()).append('→').append(p.hyp()).append(']');
                case DELETION -> sb.append("[-").append(p.ref()).append(']');
                case INSERTION -> sb.append("[+").append(p.hyp()).append(']');
                default -> throw new IllegalStateException(p.op().toString());
            }
        }
        return sb.toString();
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static List<String> characters(String text) {
        String joined = String.join(" ", words(text));
        List<String> out = new ArrayList<>(joined.length());
        joined.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }
}
