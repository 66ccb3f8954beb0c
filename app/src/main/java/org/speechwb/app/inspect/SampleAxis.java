package org.speechwb.app.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * The one sample → pixel mapping shared by the waveform, the mask shading and every annotation
 * tier. Keeping a single instance (and drawing every tier with it) is what guarantees that a
 * frame's code cell, its correctness mark and the shaded samples line up to the pixel.
 *
 * <p>{@code x(s) = left + (s − viewStart) / samplesPerPixel}; pixel {@code x} therefore covers
 * samples {@code [sampleAt(x), sampleAt(x + 1))}. The view is clamped to {@code [0, totalSamples]}
 * and never zooms in beyond {@link #MIN_SAMPLES_PER_PIXEL}.
 */
public final class SampleAxis {

    /** Deepest zoom: 16 pixels per sample, enough to see single samples at 16 kHz. */
    public static final double MIN_SAMPLES_PER_PIXEL = 1.0 / 16;

    private final List<Runnable> listeners = new ArrayList<>();
    private long totalSamples = 1;
    private double left;
    private double width = 1;
    private double viewStart;
    private double samplesPerPixel = 1;

    public double x(double sample) {
        return left + (sample - viewStart) / samplesPerPixel;
    }

    public double sampleAt(double x) {
        return viewStart + (x - left) * samplesPerPixel;
    }

    public double left() {
        return left;
    }

    public double width() {
        return width;
    }

    public double viewStart() {
        return viewStart;
    }

    public double viewEnd() {
        return viewStart + width * samplesPerPixel;
    }

    public double samplesPerPixel() {
        return samplesPerPixel;
    }

    public long totalSamples() {
        return totalSamples;
    }

    /** A new signal: shows all of it. */
    public void reset(long samples) {
        totalSamples = Math.max(1, samples);
        viewStart = 0;
        samplesPerPixel = totalSamples / width;
        changed();
    }

    /** The plot area moved or was resized: keeps the first visible sample and the zoom when possible. */
    public void setPlotArea(double newLeft, double newWidth) {
        if (newLeft == left && newWidth == width) {
            return;
        }
        boolean wasAll = viewStart <= 0 && viewEnd() >= totalSamples;
        left = newLeft;
        width = Math.max(1, newWidth);
        if (wasAll) {
            samplesPerPixel = totalSamples / width;
        }
        clamp();
        changed();
    }

    /** Shows samples [start, end). */
    public void show(double start, double end) {
        double span = Math.max(end - start, MIN_SAMPLES_PER_PIXEL * width);
        samplesPerPixel = span / width;
        viewStart = start;
        clamp();
        changed();
    }

    public void showAll() {
        show(0, totalSamples);
    }

    /** Zooms by {@code factor} (&gt; 1 zooms in) keeping the sample under pixel {@code anchorX} in place. */
    public void zoom(double factor, double anchorX) {
        double anchor = sampleAt(anchorX);
        samplesPerPixel = samplesPerPixel / factor;
        viewStart = anchor - (anchorX - left) * samplesPerPixel;
        clamp();
        changed();
    }

    /** Scrolls the view to start at {@code start} samples, keeping the zoom. */
    public void scrollTo(double start) {
        viewStart = start;
        clamp();
        changed();
    }

    public void addListener(Runnable r) {
        listeners.add(r);
    }

    private void clamp() {
        double maxSpp = totalSamples / width;
        samplesPerPixel = Math.max(MIN_SAMPLES_PER_PIXEL, Math.min(samplesPerPixel, maxSpp));
        double span = width * samplesPerPixel;
        viewStart = Math.max(0, Math.min(viewStart, totalSamples - span));
    }

    private void changed() {
        for (Runnable r : List.copyOf(listeners)) {
            r.run();
        }
    }
}
