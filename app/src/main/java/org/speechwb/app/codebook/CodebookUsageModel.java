package org.speechwb.app.codebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.speechwb.engine.run.CodebookUsage;

/**
 * Code usage of a run over training time, in the same windows the engine writes to
 * codebook.jsonl (counts summed over {@value #WINDOW} updates, window closed at updates that are
 * multiples of {@value #WINDOW}). Lines read from the file and live per-update counts feed the same
 * structure, so a reopened run and a live one look the same; the live partial window is shown as
 * the last column until it closes.
 *
 * <p>Not thread-safe: fed and read on the FX thread.
 */
public final class CodebookUsageModel {

    public static final int WINDOW = 10;
    /**
     * Most closed columns kept: beyond it neighbouring columns are merged pairwise (their counts
     * summed), so a BASE run of 400k updates (40k windows of 2×320 counts) needs a few MB, not
     * 200; no screen is wide enough to show more columns anyway.
     */
    public static final int MAX_COLUMNS = 2048;

    private final int groups;
    private final int entries;
    private final List<long[][]> windows = new ArrayList<>();
    private final List<Integer> windowEnds = new ArrayList<>();
    private final long[][] cumulative;
    private long[][] current;
    private int currentLast = -1;
    private int revision;

    public CodebookUsageModel(int groups, int entries) {
        if (groups <= 0 || entries <= 0) {
            throw new IllegalArgumentException("codebook needs groups and entries, got " + groups + "×" + entries);
        }
        this.groups = groups;
        this.entries = entries;
        this.cumulative = new long[groups][entries];
    }

    public int groups() {
        return groups;
    }

    public int entries() {
        return entries;
    }

    /** Changes whenever data is added; views redraw when it differs from what they drew. */
    public int revision() {
        return revision;
    }

    /** Adds closed windows from codebook.jsonl (in file order). */
    public void addWindows(List<CodebookUsage> lines) {
        for (CodebookUsage u : lines) {
            if (u.counts().length != groups || u.counts()[0].length != entries) {
                throw new IllegalArgumentException("codebook line at update " + u.update() + " has "
                        + u.counts().length + "×" + u.counts()[0].length + " counts, expected " + groups + "×" + entries);
            }
            if (!windowEnds.isEmpty() && u.update() <= windowEnds.get(windowEnds.size() - 1)) {
                continue; // a resumed run rewrote its tail; keep the first copy
            }
            long[][] copy = copy(u.counts());
            windows.add(copy);
            windowEnds.add(u.update());
            add(cumulative, copy);
            compactIfNeeded();
        }
        revision++;
    }

    /** Adds the counts of one live update (masked frames of that update). */
    public void addUpdate(int update, long[][] counts) {
        if (counts == null || counts.length != groups) {
            return;
        }
        if (!windowEnds.isEmpty() && update <= windowEnds.get(windowEnds.size() - 1)) {
            return; // already in a window read from the file
        }
        if (current == null) {
            current = new long[groups][entries];
        }
        add(current, counts);
        add(cumulative, counts);
        currentLast = update;
        if (update % WINDOW == 0) {
            windows.add(current);
            windowEnds.add(update);
            current = null;
            currentLast = -1;
            compactIfNeeded();
        }
        revision++;
    }

    private void compactIfNeeded() {
        if (windows.size() <= MAX_COLUMNS) {
            return;
        }
        List<long[][]> merged = new ArrayList<>(windows.size() / 2 + 1);
        List<Integer> ends = new ArrayList<>(windows.size() / 2 + 1);
        for (int i = 0; i < windows.size(); i += 2) {
            long[][] w = windows.get(i);
            if (i + 1 < windows.size()) {
                add(w, windows.get(i + 1));
                ends.add(windowEnds.get(i + 1));
            } else {
                ends.add(windowEnds.get(i));
            }
            merged.add(w);
        }
        windows.clear();
        windows.addAll(merged);
        windowEnds.clear();
        windowEnds.addAll(ends);
    }

    /** Closed windows plus the open one, if any. */
    public int columns() {
        return windows.size() + (current != null ? 1 : 0);
    }

    /** Last update covered by column {@code c}. */
    public int columnEnd(int c) {
        return c < windows.size() ? windowEnds.get(c) : currentLast;
    }

    /** Counts of column {@code c} for group {@code g} (not a copy: do not modify). */
    public long[] column(int c, int g) {
        return (c < windows.size() ? windows.get(c) : current)[g];
    }

    /** Share of column {@code c}'s masked frames that chose entry {@code v} of group {@code g}. */
    public double share(int c, int g, int v) {
        long[] col = column(c, g);
        long total = 0;
        for (long x : col) {
            total += x;
        }
        return total == 0 ? 0 : (double) col[v] / total;
    }

    /** Counts since the start of the run for group {@code g} (a copy). */
    public long[] cumulative(int g) {
        return cumulative[g].clone();
    }

    /** Shares of every entry since the start, largest first. */
    public double[] sortedShares(int g) {
        return sortedShares(cumulative[g]);
    }

    /** Shares of every entry in the latest column, largest first. */
    public double[] sortedLatestShares(int g) {
        return columns() == 0 ? new double[entries] : sortedShares(column(columns() - 1, g));
    }

    /** Entries of group {@code g} chosen at least once since the start. */
    public int usedEntries(int g) {
        int n = 0;
        for (long x : cumulative[g]) {
            n += x > 0 ? 1 : 0;
        }
        return n;
    }

    public double usedShare(int g) {
        return (double) usedEntries(g) / entries;
    }

    public boolean isEmpty() {
        return columns() == 0;
    }

    static double[] sortedShares(long[] counts) {
        long total = 0;
        for (long x : counts) {
            total += x;
        }
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    private static long[][] copy(long[][] a) {
        long[][] c = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static void add(long[][] into, long[][] x) {
        for (int g = 0; g < into.length; g++) {
            for (int v = 0; v < into[g].length; v++) {
                into[g][v] += x[g][v];
            }
        }
    }
}
