package org.speechwb.engine.bench;

import java.util.Arrays;

/** Summaries of a benchmark's repeats. */
public final class Stats {

    private Stats() {
    }

    /** The median (the mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
