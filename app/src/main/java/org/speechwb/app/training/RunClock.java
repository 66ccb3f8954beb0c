package org.speechwb.app.training;

import java.util.Arrays;

/**
 * Wall time and audio seen at each update of the shown run, for the charts' other x axes.
 * Every update counts towards the audio seen, skipped ones too (their audio was read and
 * processed); the audio of an update is its throughput times its duration.
 */
final class RunClock {

    private double[] wall = new double[0];
    private double[] audioHours = new double[0];
    private double audioSeconds;
    private int lastUpdate = -1;

    void clear() {
        wall = new double[0];
        audioHours = new double[0];
        audioSeconds = 0;
        lastUpdate = -1;
    }

    void record(int update, double elapsedSeconds, double audioSecondsPerSecond, double seconds) {
        if (update < 0 || update <= lastUpdate) {
            return;
        }
        if (update >= wall.length) {
            int n = Math.max(update + 1, wall.length * 2);
            int old = wall.length;
            wall = Arrays.copyOf(wall, n);
            audioHours = Arrays.copyOf(audioHours, n);
            Arrays.fill(wall, old, n, Double.NaN);
            Arrays.fill(audioHours, old, n, Double.NaN);
        }
        double a = audioSecondsPerSecond * seconds;
        audioSeconds += Double.isFinite(a) && a > 0 ? a : 0;
        wall[update] = elapsedSeconds;
        audioHours[update] = audioSeconds / 3600;
        lastUpdate = update;
    }

    /** Wall times of the updates {@code x} (NaN where not known). */
    double[] wall(double[] x) {
        return lookup(wall, x);
    }

    double[] audioHours(double[] x) {
        return lookup(audioHours, x);
    }

    private static double[] lookup(double[] table, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int u = (int) x[i];
            out[i] = u >= 0 && u < table.length ? table[u] : Double.NaN;
        }
        return out;
    }
}
