package org.speechwb.app.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A waveform drawn on a canvas, one vertical min–max bar per pixel column (so a ten-minute
 * file costs the same to draw as a second), with optional shaded sample ranges on top (masked
 * spans, selections) and a playback cursor. The time axis runs along the bottom.
 *
 * <p>Sample {@code s} of {@code n} is drawn at {@code x = s / n · width}: {@link #sampleToX}
 * is the one mapping used for both the waveform and the shaded ranges.
 */
public final class WaveformView extends Region {

    /** A shaded range of samples, {@code [start, end)}. */
    public record Span(long start, long end) {
    }

    private static final double AXIS_HEIGHT = 18;

    private final Canvas canvas = new Canvas();
    private final ObjectProperty<float[]> samples = new SimpleObjectProperty<>(this, "samples");
    private final ObjectProperty<List<Span>> spans = new SimpleObjectProperty<>(this, "spans", List.of());
    private final DoubleProperty sampleRate = new SimpleDoubleProperty(this, "sampleRate", 16000);
    /** Playback position in samples; negative hides the cursor. */
    private final DoubleProperty playhead = new SimpleDoubleProperty(this, "playhead", -1);
    private Color waveColor = Color.web("#2f6fb3");
    private Color spanColor = Color.web("#e4572e", 0.28);
    private final List<Rectangle2D> drawnSpans = new ArrayList<>();

    public WaveformView() {
        getStyleClass().add("waveform-view");
        getChildren().add(canvas);
        setMinSize(100, 60);
        setPrefSize(600, 160);
        samples.addListener((o, a, b) -> draw());
        spans.addListener((o, a, b) -> draw());
        playhead.addListener((o, a, b) -> draw());
    }

    public ObjectProperty<float[]> samplesProperty() {
        return samples;
    }

    public ObjectProperty<List<Span>> spansProperty() {
        return spans;
    }

    public DoubleProperty sampleRateProperty() {
        return sampleRate;
    }

    public DoubleProperty playheadProperty() {
        return playhead;
    }

    public void setColors(Color wave, Color span) {
        waveColor = wave;
        spanColor = span;
        draw();
    }

    /** x position (in this view's coordinates) of the left edge of sample {@code s}. */
    public double sampleToX(double s) {
        float[] a = samples.get();
        if (a == null || a.length == 0) {
            return 0;
        }
        return s / a.length * getWidth();
    }

    /** The shaded rectangles of the last drawing, in this view's coordinates. */
    public List<Rectangle2D> drawnSpans() {
        return List.copyOf(drawnSpans);
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth());
        double h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            draw();
        }
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        drawnSpans.clear();
        float[] a = samples.get();
        if (a == null || a.length == 0 || w < 2 || h <= AXIS_HEIGHT + 4) {
            return;
        }
        double plotH = h - AXIS_HEIGHT;
        double mid = plotH / 2;
        float peak = 1e-6f;
        for (float v : a) {
            peak = Math.max(peak, Math.abs(v));
        }
        // scale to the loudest sample so quiet recordings stay readable; the axis is relative anyway
        double scale = (plotH / 2 - 2) / peak;

        g.setFill(spanColor);
        for (Span s : spans.get()) {
            double x0 = sampleToX(Math.max(0, s.start()));
            double x1 = sampleToX(Math.min(a.length, s.end()));
            if (x1 > x0) {
                g.fillRect(x0, 0, x1 - x0, plotH);
                drawnSpans.add(new Rectangle2D(x0, 0, x1 - x0, plotH));
            }
        }

        g.setStroke(Color.web("#c8d0da"));
        g.setLineWidth(1);
        g.strokeLine(0, mid + 0.5, w, mid + 0.5);
        g.setStroke(waveColor);
        int columns = (int) Math.ceil(w);
        double per = (double) a.length / columns;
        for (int c = 0; c < columns; c++) {
            int from = (int) (c * per);
            int to = Math.min(a.length, Math.max(from + 1, (int) ((c + 1) * per)));
            float lo = a[from];
            float hi = a[from];
            for (int i = from + 1; i < to; i++) {
                lo = Math.min(lo, a[i]);
                hi = Math.max(hi, a[i]);
            }
            double x = c + 0.5;
            g.strokeLine(x, mid - hi * scale, x, mid - lo * scale + 0.01);
        }

        double sr = sampleRate.get();
        double seconds = a.length / sr;
        double step = niceStep(seconds / Math.max(1, w / 90));
        g.setFill(Color.web("#5b6877"));
        g.setStroke(Color.web("#9aa5b1"));
        g.setFont(javafx.scene.text.Font.font(10));
        for (double t = 0; t <= seconds + 1e-9; t += step) {
            double x = t / seconds * w;
            g.strokeLine(x + 0.5, plotH, x + 0.5, plotH + 4);
            g.fillText(String.format(Locale.ROOT, step < 0.1 ? "%.2f s" : step < 1 ? "%.1f s" : "%.0f s", t),
                    Math.min(x + 2, w - 36), h - 4);
        }
        if (playhead.get() >= 0) {
            double x = sampleToX(playhead.get());
            g.setStroke(Color.web("#222222"));
            g.setLineWidth(1.5);
            g.strokeLine(x, 0, x, plotH);
        }
    }

    static double niceStep(double raw) {
        double[] steps = {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return 1200;
    }
}
