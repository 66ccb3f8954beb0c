package org.speechwb.app.charts;

import java.util.Arrays;

/**
 * Reduces a long curve to what a chart of a given width can show: per pixel column, the first,
 * lowest, highest and last point, in x order (the "M4" reduction). The line drawn through the
 * result is pixel-identical to the full curve's, while the renderer sees at most four points per
 * column: at 1200 px wide, 1 M points cost JFreeChart seconds to rasterise, 4 800 cost a few ms.
 */
public final class CurveThinning {

    private CurveThinning() {
    }

    /** A thinned curve. */
    public record Curve(double[] x, double[] y) {
        public int size() {
            return x.length;
        }
    }

    /**
     * @param x       ascending x values (NaN y values are skipped)
     * @param y       y values
     * @param n       points used from the start of the arrays
     * @param columns pixel columns across the x range of the data
     */
    public static Curve minMax(double[] x, double[] y, int n, int columns) {
        if (n == 0) {
            return new Curve(new double[0], new double[0]);
        }
        columns = Math.max(1, columns);
        if (n <= 4L * columns) {
            return withoutNaN(x, y, n);
        }
        double x0 = x[0];
        double x1 = x[n - 1];
        double width = x1 - x0;
        if (!(width > 0)) {
            return withoutNaN(x, y, n);
        }
        double[] ox = new double[4 * columns + 4];
        double[] oy = new double[ox.length];
        int out = 0;
        int i = 0;
        while (i < n) {
            int col = column(x[i], x0, width, columns);
            int first = -1;
            int last = -1;
            int lo = -1;
            int hi = -1;
            for (; i < n && column(x[i], x0, width, columns) == col; i++) {
                if (Double.isNaN(y[i])) {
                    continue;
                }
                if (first < 0) {
                    first = i;
                    lo = i;
                    hi = i;
                }
                last = i;
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            if (first < 0) {
                continue;
            }
            // emit in x order without repeating an index
            int[] picks = {first, Math.min(lo, hi), Math.max(lo, hi), last};
            int prev = -1;
            for (int p : picks) {
                if (p != prev && p > prev) {
                    ox[out] = x[p];
                    oy[out] = y[p];
                    out++;
                    prev = p;
                }
            }
        }
        return new Curve(Arrays.copyOf(ox, out), Arrays.copyOf(oy, out));
    }

    private static int column(double xv, double x0, double width, int columns) {
        int c = (int) ((xv - x0) / width * columns);
        return Math.min(columns - 1, Math.max(0, c));
    }

    private static Curve withoutNaN(double[] x, double[] y, int n) {
        double[] ox = new double[n];
        double[] oy = new double[n];
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(y[i])) {
                ox[out] = x[i];
                oy[out] = y[i];
                out++;
            }
        }
        return new Curve(Arrays.copyOf(ox, out), Arrays.copyOf(oy, out));
    }
}
