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
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A waveform drawn on a canvas, one vertical min–max bar per pixel column (so a ten-minute
 * file costs the same to draw as a second), with optional shaded sample ranges on top (masked
 * spans, selections) and a playback cursor. The time axis runs along the bottom.
 *
 * <p>Sample {@code s} is drawn at {@code x = (s − viewStart) / (viewEnd − viewStart) · width}:
 * {@link #sampleToX} is the one mapping used for the waveform, the shaded ranges and anything
 * bound to the same view (a {@link SpectrogramView}). A new signal shows all of it.
 *
 * <p>With {@link #setZoomable} on: the wheel zooms around the pointer, a drag selects the
 * samples to zoom to, a double-click shows everything again.
 */
public final class WaveformView extends Region {

    /** A shaded range of samples, {@code [start, end)}. */
    public record Span(long start, long end) {
    }

    private static final double AXIS_HEIGHT = 18;
    /** Deepest zoom: 32 samples (2 ms) across the view, enough to see single samples. */
    public static final double MIN_VISIBLE_SAMPLES = 32;

    private final Canvas canvas = new Canvas();
    private final ObjectProperty<float[]> samples = new SimpleObjectProperty<>(this, "samples");
    private final ObjectProperty<List<Span>> spans = new SimpleObjectProperty<>(this, "spans", List.of());
    private final DoubleProperty sampleRate = new SimpleDoubleProperty(this, "sampleRate", 16000);
    /** Playback position in samples; negative hides the cursor. */
    private final DoubleProperty playhead = new SimpleDoubleProperty(this, "playhead", -1);
    private Color waveColor = Color.web("#2f6fb3");
    private Color spanColor = Color.web("#e4572e", 0.28);
    private final List<Rectangle2D> drawnSpans = new ArrayList<>();
    private final DoubleProperty viewStart = new SimpleDoubleProperty(this, "viewStart", 0);
    private final DoubleProperty viewEnd = new SimpleDoubleProperty(this, "viewEnd", 1);
    private boolean zoomable;
    private float peak = 1e-6f;
    /** The drag in progress, in x: start and current end; NaN when none. */
    private double dragFrom = Double.NaN;
    private double dragTo = Double.NaN;

    public WaveformView() {
        getStyleClass().add("waveform-view");
        getChildren().add(canvas);
        setMinSize(100, 60);
        setPrefSize(600, 160);
        samples.addListener((o, a, b) -> {
            peak = 1e-6f;
            for (float v : b == null ? new float[0] : b) {
                peak = Math.max(peak, Math.abs(v));
            }
            showAll();
            draw();
        });
        spans.addListener((o, a, b) -> draw());
        playhead.addListener((o, a, b) -> draw());
        viewStart.addListener((o, a, b) -> draw());
        viewEnd.addListener((o, a, b) -> draw());
        canvas.setOnScroll(e -> {
            if (zoomable && e.getDeltaY() != 0) {
                zoom(Math.pow(1.25, e.getDeltaY() / 40.0), e.getX());
                e.consume();
            }
        });
        canvas.setOnMousePressed(e -> {
            if (zoomable && e.getButton() == MouseButton.PRIMARY) {
                dragFrom = e.getX();
                dragTo = e.getX();
            }
        });
        canvas.setOnMouseDragged(e -> {
            if (!Double.isNaN(dragFrom)) {
                dragTo = Math.max(0, Math.min(getWidth(), e.getX()));
                draw();
            }
        });
        canvas.setOnMouseReleased(e -> {
            if (!Double.isNaN(dragFrom)) {
                double a = Math.min(dragFrom, dragTo);
                double b = Math.max(dragFrom, dragTo);
                dragFrom = Double.NaN;
                dragTo = Double.NaN;
                // a click is not a selection: it would zoom to a few samples by accident
                if (b - a >= 4) {
                    show(xToSample(a), xToSample(b));
                } else {
                    draw();
                }
            }
        });
        canvas.setOnMouseClicked(e -> {
            if (zoomable && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                showAll();
            }
        });
    }

    /** Turns on wheel zoom, drag-to-zoom and double-click to show everything. */
    public void setZoomable(boolean on) {
        zoomable = on;
    }

    /** First sample shown at the left edge. */
    public DoubleProperty viewStartProperty() {
        return viewStart;
    }

    /** Sample shown at the right edge. */
    public DoubleProperty viewEndProperty() {
        return viewEnd;
    }

    private int length() {
        float[] a = samples.get();
        return a == null ? 0 : a.length;
    }

    public void showAll() {
        viewStart.set(0);
        viewEnd.set(Math.max(1, length()));
    }

    /** Shows samples [start, end), clamped to the signal and to at least {@link #MIN_VISIBLE_SAMPLES}. */
    public void show(double start, double end) {
        int n = Math.max(1, length());
        double span = Math.min(n, Math.max(MIN_VISIBLE_SAMPLES, end - start));
        double a = Math.max(0, Math.min(start, n - span));
        // in the order that keeps start < end in between: listeners see each change
        if (a >= viewEnd.get()) {
            viewEnd.set(a + span);
            viewStart.set(a);
        } else {
            viewStart.set(a);
            viewEnd.set(a + span);
        }
    }

    /** Zooms by {@code factor} (&gt; 1 zooms in) keeping the sample under {@code anchorX} in place. */
    public void zoom(double factor, double anchorX) {
        double anchor = xToSample(anchorX);
        double span = (viewEnd.get() - viewStart.get()) / factor;
        double frac = getWidth() <= 0 ? 0.5 : anchorX / getWidth();
        show(anchor - frac * span, anchor - frac * span + span);
    }

    public double xToSample(double x) {
        double w = getWidth();
        return viewStart.get() + (w <= 0 ? 0 : x / w) * (viewEnd.get() - viewStart.get());
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
        double span = viewEnd.get() - viewStart.get();
        if (length() == 0 || span <= 0) {
            return 0;
        }
        return (s - viewStart.get()) / span * getWidth();
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
        // scale to the loudest sample of the whole signal, so quiet recordings stay readable and
        // zooming in does not change the scale; the axis is relative anyway
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
        double v0 = viewStart.get();
        double v1 = viewEnd.get();
        int columns = (int) Math.ceil(w);
        double per = (v1 - v0) / columns;
        if (per < 2) {
            // few samples per pixel: connect the samples themselves
            int s0 = Math.max(0, (int) Math.floor(v0) - 1);
            int s1 = Math.min(a.length - 1, (int) Math.ceil(v1) + 1);
            g.beginPath();
            for (int i = s0; i <= s1; i++) {
                if (i == s0) {
                    g.moveTo(sampleToX(i), mid - a[i] * scale);
                } else {
                    g.lineTo(sampleToX(i), mid - a[i] * scale);
                }
            }
            g.stroke();
        } else {
            for (int c = 0; c < columns; c++) {
                int from = (int) Math.max(0, v0 + c * per);
                int to = Math.min(a.length, Math.max(from + 1, (int) (v0 + (c + 1) * per)));
                if (from >= a.length) {
                    break;
                }
                float lo = a[from];
                float hi = a[from];
                for (int i = from + 1; i < to; i++) {
                    lo = Math.min(lo, a[i]);
                    hi = Math.max(hi, a[i]);
                }
                double x = c + 0.5;
                g.strokeLine(x, mid - hi * scale, x, mid - lo * scale + 0.01);
            }
        }

        double sr = sampleRate.get();
        double seconds = (v1 - v0) / sr;
        double step = niceStep(seconds / Math.max(1, w / 90));
        g.setFill(Color.web("#5b6877"));
        g.setStroke(Color.web("#9aa5b1"));
        g.setFont(javafx.scene.text.Font.font(10));
        // as many decimals as the step has (0.25 s steps need two), so no two ticks read the same
        int decimals = 0;
        while (decimals < 3 && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-9) {
            decimals++;
        }
        String format = "%." + decimals + "f s";
        for (double t = Math.ceil(v0 / sr / step) * step; t * sr <= v1 + 1e-6; t += step) {
            double x = sampleToX(t * sr);
            g.strokeLine(x + 0.5, plotH, x + 0.5, plotH + 4);
            g.fillText(String.format(Locale.ROOT, format, t), Math.min(x + 2, w - 36), h - 4);
        }
        if (!Double.isNaN(dragFrom)) {
            g.setFill(Color.web("#1e88e5", 0.18));
            g.fillRect(Math.min(dragFrom, dragTo), 0, Math.abs(dragTo - dragFrom), plotH);
        }
        if (playhead.get() >= 0) {
            double x = sampleToX(playhead.get());
            g.setStroke(Color.web("#222222"));
            g.setLineWidth(1.5);
            g.strokeLine(x, 0, x, plotH);
        }
    }

    static double niceStep(double raw) {
        double[] steps = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return 1200;
    }
}
