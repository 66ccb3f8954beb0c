package org.speechwb.app.charts;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import org.speechwb.engine.features.Spectrogram;

/**
 * A spectrogram drawn under a {@link WaveformView}: bind {@link #viewStartProperty()} and
 * {@link #viewEndProperty()} to the waveform's and both show the same samples at the same x,
 * since both map sample {@code s} to {@code (s − viewStart) / (viewEnd − viewStart) · width}.
 * The image is made once per spectrogram; zooming only changes which part of it is drawn.
 */
public final class SpectrogramView extends Region {

    private final Canvas canvas = new Canvas();
    private final ObjectProperty<Spectrogram> spectrogram = new SimpleObjectProperty<>(this, "spectrogram");
    private final DoubleProperty viewStart = new SimpleDoubleProperty(this, "viewStart", 0);
    private final DoubleProperty viewEnd = new SimpleDoubleProperty(this, "viewEnd", 1);
    /** Shown instead of the picture while there is none ("Computing…", an error). */
    private final StringProperty placeholder = new SimpleStringProperty(this, "placeholder", "");
    private WritableImage image;

    public SpectrogramView() {
        getStyleClass().add("spectrogram-view");
        getChildren().add(canvas);
        setMinSize(100, 50);
        setPrefSize(600, 120);
        spectrogram.addListener((o, a, b) -> {
            image = b == null || b.frames() == 0 ? null : SpectrogramImage.render(b);
            draw();
        });
        viewStart.addListener((o, a, b) -> draw());
        viewEnd.addListener((o, a, b) -> draw());
        placeholder.addListener((o, a, b) -> draw());
    }

    public ObjectProperty<Spectrogram> spectrogramProperty() {
        return spectrogram;
    }

    public DoubleProperty viewStartProperty() {
        return viewStart;
    }

    public DoubleProperty viewEndProperty() {
        return viewEnd;
    }

    public StringProperty placeholderProperty() {
        return placeholder;
    }

    /** x of the left edge of image column {@code t} (frame t's hop), in this view's coordinates. */
    public double columnX(int t) {
        Spectrogram s = spectrogram.get();
        return s == null ? 0 : sampleToX(SpectrogramImage.columnStart(s, t));
    }

    public double sampleToX(double sample) {
        double span = viewEnd.get() - viewStart.get();
        return span <= 0 ? 0 : (sample - viewStart.get()) / span * getWidth();
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
        g.setFill(Color.web("#f4f5f7"));
        g.fillRect(0, 0, w, h);
        Spectrogram s = spectrogram.get();
        if (s == null || image == null || w < 2 || h < 2) {
            g.setFill(Color.web("#5b6877"));
            g.setFont(Font.font(11));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(placeholder.get(), w / 2, h / 2);
            return;
        }
        g.setFill(Color.BLACK);
        g.fillRect(0, 0, w, h);
        drawColumns(g, s, image, viewStart.get(), viewEnd.get(), 0, w, 0, h);
        drawFrequencyTicks(g, s, 0, 0, h);
    }

    /**
     * Draws the columns of {@code img} that fall in samples [start, end) onto x in [left, left + width):
     * shared with the Inspect canvas so that both place a frame at the same place relative to the waveform.
     */
    public static void drawColumns(GraphicsContext g, Spectrogram s, WritableImage img, double start, double end,
                                   double left, double width, double y, double height) {
        double hop = s.hopSamples();
        double origin = SpectrogramImage.columnStart(s, 0);
        int c0 = (int) Math.max(0, Math.floor((start - origin) / hop));
        int c1 = (int) Math.min(s.frames(), Math.ceil((end - origin) / hop));
        if (c1 <= c0) {
            return;
        }
        double spp = (end - start) / width;
        double x0 = left + (origin + c0 * hop - start) / spp;
        double x1 = left + (origin + c1 * hop - start) / spp;
        // zoomed in, a frame is a block of its own; zoomed out, neighbours blend rather than drop out
        g.setImageSmoothing(x1 - x0 < c1 - c0);
        g.drawImage(img, c0, 0, c1 - c0, img.getHeight(), x0, y, x1 - x0, height);
        g.setImageSmoothing(true);
    }

    /** Frequency ticks along the left edge of a spectrogram drawn at [y, y + height). */
    public static void drawFrequencyTicks(GraphicsContext g, Spectrogram s, double x, double y, double height) {
        g.setFont(Font.font(9.5));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        double rows = s.bins();
        double lastY = Double.NEGATIVE_INFINITY;
        for (double hz : SpectrogramImage.TICKS_HZ) {
            double ty = y + SpectrogramImage.rowOf(s, hz) / rows * height;
            ty = Math.max(y + 6, Math.min(y + height - 6, ty));
            if (Math.abs(ty - lastY) < 12) {
                continue;
            }
            lastY = ty;
            String label = SpectrogramImage.label(hz);
            g.setFill(Color.rgb(0, 0, 0, 0.55));
            g.fillRect(x, ty - 6, 6 + label.length() * 5.4, 12);
            g.setStroke(Color.WHITE);
            g.setLineWidth(1);
            g.strokeLine(x, Math.floor(ty) + 0.5, x + 3, Math.floor(ty) + 0.5);
            g.setFill(Color.WHITE);
            g.fillText(label, x + 5, ty);
        }
    }
}
