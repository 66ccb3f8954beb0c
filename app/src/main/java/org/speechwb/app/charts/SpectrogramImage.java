package org.speechwb.app.charts;

import java.util.Locale;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import org.speechwb.engine.features.Spectrogram;

/**
 * A spectrogram as an image: one pixel column per frame, one pixel row per frequency bin with
 * the highest frequency on top, coloured on an inferno-like scale from {@link #RANGE_DB} below
 * the loudest value (black) to the loudest (pale yellow). A fixed range below the peak, as Praat
 * and Sonic Visualiser do, keeps the noise floor of quiet recordings from filling the picture.
 *
 * <p>Column {@code t} stands for the hop around frame t's centre, samples
 * {@code [frameCentre(t) − hop/2, frameCentre(t) + hop/2)}: {@link #columnStart} gives the first.
 */
public final class SpectrogramImage {

    public static final double RANGE_DB = 70;

    private static final int[][] STOPS = {
            {0, 0, 4}, {40, 11, 84}, {101, 21, 110}, {159, 42, 99}, {212, 72, 66}, {245, 125, 21},
            {250, 193, 39}, {252, 255, 164}};

    private SpectrogramImage() {
    }

    /** The first sample of the hop image column {@code t} stands for. */
    public static double columnStart(Spectrogram s, int t) {
        return s.frameCentre(t) - s.hopSamples() / 2.0;
    }

    public static WritableImage render(Spectrogram s) {
        int w = Math.max(1, s.frames());
        int h = Math.max(1, s.bins());
        int[] argb = new int[w * h];
        float[][] v = s.values();
        double top = s.peakDb();
        for (int t = 0; t < s.frames(); t++) {
            for (int k = 0; k < s.bins(); k++) {
                double level = (v[t][k] - (top - RANGE_DB)) / RANGE_DB;
                argb[(h - 1 - k) * w + t] = colour(level);
            }
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }

    /** ARGB of a level in [0, 1] (clamped). */
    static int colour(double level) {
        double x = Math.max(0, Math.min(1, level)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) x);
        double f = x - i;
        int r = (int) Math.round(STOPS[i][0] + f * (STOPS[i + 1][0] - STOPS[i][0]));
        int g = (int) Math.round(STOPS[i][1] + f * (STOPS[i + 1][1] - STOPS[i][1]));
        int b = (int) Math.round(STOPS[i][2] + f * (STOPS[i + 1][2] - STOPS[i][2]));
        return 0xff000000 | r << 16 | g << 8 | b;
    }

    /** Where {@code hz} sits, in image rows from the top (row r spans [r, r + 1)), interpolating between bin centres. */
    public static double rowOf(Spectrogram s, double hz) {
        double[] c = s.binHz();
        if (hz <= c[0]) {
            return c.length - 0.5;
        }
        for (int k = 1; k < c.length; k++) {
            if (hz <= c[k]) {
                double f = (hz - c[k - 1]) / (c[k] - c[k - 1]);
                return c.length - 0.5 - (k - 1 + f);
            }
        }
        return 0.5;
    }

    public static String label(double hz) {
        return hz >= 1000 ? String.format(Locale.ROOT, "%.0f kHz", hz / 1000) : String.format(Locale.ROOT, "%.0f Hz", hz);
    }

    /** Frequencies worth a tick on the axis of either scale. */
    public static final double[] TICKS_HZ = {500, 1000, 2000, 4000, 8000};
}
