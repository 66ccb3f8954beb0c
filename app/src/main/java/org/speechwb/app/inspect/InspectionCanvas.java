package org.speechwb.app.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import org.speechwb.app.charts.SpectrogramImage;
import org.speechwb.app.charts.SpectrogramView;
import org.speechwb.engine.features.Spectrogram;
import org.speechwb.engine.inspect.Inspection;

/**
 * Waveform and Praat-style annotation tiers of one inspected utterance, all drawn on one canvas
 * with one {@link SampleAxis} so that every tier shares the same sample → pixel mapping. A
 * pre-training inspection shows codes and predictions; a CTC inspection shows the posteriorgram
 * (classes × frames) and the forced alignment's letter and word tiers instead. The spectrogram
 * of the audio sits under the waveform, column t over frame t's hop around its centre.
 *
 * <p>Mouse: wheel zooms around the pointer, shift+wheel (or a horizontal wheel) scrolls,
 * primary drag selects a time range, secondary or middle drag pans, double-click zooms to the
 * selection (or out to everything when there is none).
 *
 * <p>Repaints are coalesced: any number of changes within one pulse cause one paint.
 */
public final class InspectionCanvas extends Region {

    /** A tier the engine cannot fill yet; drawn greyed with the reason instead of pretending to be empty. */
    public record UnavailableTier(String name, String reason) {
    }

    /** Vertical extent of a tier on the canvas. */
    public record Band(String name, double y, double height) {
        public boolean contains(double py) {
            return py >= y && py < y + height;
        }
    }

    public static final double LABEL_WIDTH = 132;
    static final double RULER_HEIGHT = 26;
    static final double TIER_HEIGHT = 24;
    static final double MIN_WAVE_HEIGHT = 120;
    static final double MIN_SPECTROGRAM_HEIGHT = 64;
    static final double MAX_SPECTROGRAM_HEIGHT = 180;
    static final double GAP = 4;
    /** Height of one class row of the posteriorgram: 30 letter classes fit in about 200 px. */
    static final double PG_ROW = 7;

    static final Color MASK_FILL = Color.rgb(255, 152, 0, 0.28);
    static final Color MASK_EDGE = Color.rgb(230, 120, 0, 0.9);
    static final Color CORRECT = Color.rgb(67, 160, 71);
    static final Color WRONG = Color.rgb(229, 57, 53);
    private static final Color SELECTION = Color.rgb(30, 136, 229, 0.18);
    private static final Color WAVE = Color.rgb(38, 50, 56);
    private static final Color GRID = Color.rgb(0, 0, 0, 0.08);
    private static final Font LABEL_FONT = Font.font("System", FontWeight.NORMAL, 11);
    private static final Font SMALL_FONT = Font.font("System", 10);
    private static final Font TINY_FONT = Font.font("System", 7.5);

    private final Canvas canvas = new Canvas();
    private final SampleAxis axis = new SampleAxis();
    private final ReadOnlyStringWrapper hover = new ReadOnlyStringWrapper(this, "pointerInfo", "");
    private final List<UnavailableTier> unavailable = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private float[] samples = new float[0];
    /** Largest |sample|, found once per waveform: every paint scales by it. */
    private double peak = 1e-4;
    private Inspection inspection;
    private CtcInspection ctc;
    private Spectrogram spectrogram;
    private WritableImage spectrogramImage;
    private double selStart = Double.NaN;
    private double selEnd = Double.NaN;
    private double playhead = Double.NaN;
    private boolean paintScheduled;
    private double dragAnchorSample;
    private double lastDragX;
    private boolean panning;
    private Runnable selectionListener = () -> { };

    public InspectionCanvas() {
        getStyleClass().add("inspection-canvas");
        getChildren().add(canvas);
        setMinHeight(RULER_HEIGHT + MIN_WAVE_HEIGHT + MIN_SPECTROGRAM_HEIGHT + GAP + 4 * TIER_HEIGHT);
        axis.addListener(this::repaint);
        canvas.setOnScroll(this::onScroll);
        canvas.setOnMousePressed(this::onPressed);
        canvas.setOnMouseDragged(this::onDragged);
        canvas.setOnMouseReleased(e -> panning = false);
        canvas.setOnMouseMoved(this::onMoved);
        canvas.setOnMouseExited(e -> hover.set(""));
        canvas.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                zoomToSelection();
            }
        });
    }

    public SampleAxis axis() {
        return axis;
    }

    /** What lies under the pointer (time, frame, codes, prediction), for a status line. */
    public ReadOnlyStringProperty pointerInfoProperty() {
        return hover.getReadOnlyProperty();
    }

    /** Shows a new waveform; the inspection may come later (or never, when the model failed). */
    public void setAudio(float[] audio) {
        samples = audio == null ? new float[0] : audio;
        peak = 1e-4;
        for (float v : samples) {
            peak = Math.max(peak, Math.abs(v));
        }
        inspection = null;
        ctc = null;
        spectrogram = null;
        spectrogramImage = null;
        clearSelection();
        axis.reset(samples.length);
        repaint();
    }

    /**
     * Shows the spectrogram of the current audio (null: none yet). One of other audio (it came
     * late, after the next utterance's waveform) is ignored rather than drawn out of place.
     */
    public void setSpectrogram(Spectrogram s) {
        boolean fits = s != null && s.samples() == samples.length && s.frames() > 0;
        spectrogram = fits ? s : null;
        spectrogramImage = fits ? SpectrogramImage.render(s) : null;
        repaint();
    }

    public Spectrogram spectrogram() {
        return spectrogram;
    }

    /** x of the left edge of spectrogram column {@code t} (frame t's hop around its centre). */
    public double spectrogramColumnX(int t) {
        return spectrogram == null ? Double.NaN : axis.x(SpectrogramImage.columnStart(spectrogram, t));
    }

    /** Shows the model's view of the current audio; keeps the zoom. */
    public void setInspection(Inspection in) {
        inspection = in;
        requestLayout();
        repaint();
    }

    public Inspection inspection() {
        return inspection;
    }

    /** Shows a fine-tuned model's view of the current audio (null to go back); keeps the zoom. */
    public void setCtc(CtcInspection c) {
        ctc = c;
        requestLayout();
        repaint();
    }

    public CtcInspection ctc() {
        return ctc;
    }

    /** The letter tier's boxes as painted (empty without a forced alignment). */
    public List<TierLayout.Box> letterBoxes() {
        return ctc == null ? List.of() : TierLayout.letterBoxes(ctc, axis);
    }

    /** The word tier's boxes as painted (empty without a forced alignment). */
    public List<TierLayout.Box> wordBoxes() {
        return ctc == null ? List.of() : TierLayout.wordBoxes(ctc, axis);
    }

    public void setUnavailableTiers(List<UnavailableTier> tiers) {
        unavailable.clear();
        unavailable.addAll(tiers);
        requestLayout();
        repaint();
    }

    public void setOnSelectionChanged(Runnable r) {
        selectionListener = r == null ? () -> { } : r;
    }

    /** Selected samples as {start, end}, or null when nothing is selected. */
    public long[] selection() {
        if (Double.isNaN(selStart) || Math.abs(selEnd - selStart) < 1) {
            return null;
        }
        long a = Math.round(Math.max(0, Math.min(selStart, selEnd)));
        long b = Math.round(Math.min(samples.length, Math.max(selStart, selEnd)));
        return b > a ? new long[] {a, b} : null;
    }

    public void select(double start, double end) {
        selStart = start;
        selEnd = end;
        selectionListener.run();
        repaint();
    }

    public void clearSelection() {
        selStart = Double.NaN;
        selEnd = Double.NaN;
        selectionListener.run();
        repaint();
    }

    /** Sample position of the playback cursor, or NaN to hide it. */
    public void setPlayhead(double sample) {
        playhead = sample;
        repaint();
    }

    public void zoomToSelection() {
        long[] sel = selection();
        if (sel != null) {
            axis.show(sel[0], sel[1]);
        } else {
            axis.showAll();
        }
    }

    /** Tier bands from top to bottom, as last laid out. */
    public List<Band> bands() {
        return List.copyOf(bands);
    }

    public Band band(String name) {
        return bands.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    public List<TierLayout.SpanRect> maskRects() {
        return inspection == null ? List.of() : TierLayout.maskSpans(inspection, axis);
    }

    public List<TierLayout.Cell> codeCells(int group) {
        return inspection == null ? List.of() : TierLayout.codeCells(inspection, group, axis);
    }

    public List<TierLayout.Cell> predictionCells() {
        return inspection == null ? List.of() : TierLayout.predictionCells(inspection, axis);
    }

    public static String codeTierName(int group) {
        return "codes g" + (group + 1);
    }

    public static final String RULER = "time";
    public static final String WAVEFORM = "waveform";
    public static final String SPECTROGRAM = "spectrogram";
    public static final String PREDICTION = "prediction";
    // not "CTC posteriorgram": that is the name of the greyed tier a pre-training inspection shows
    public static final String POSTERIORGRAM = "CTC posteriors";
    public static final String LETTERS = "letters";
    public static final String WORDS = "words";

    @Override
    protected double computePrefHeight(double width) {
        return fixedHeight() + 220;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 900;
    }

    private int groups() {
        return inspection == null ? 0 : (inspection.frames() == 0 ? 0 : inspection.codes()[0].length);
    }

    /** One tier per code group (one for a model that predicts MFCC clusters); two placeholders before any inspection. */
    private int codeTiers() {
        return groups() == 0 ? 2 : groups();
    }

    private double posteriorgramHeight() {
        return ctc == null ? 0 : ctc.posteriorgram().classes() * PG_ROW;
    }

    private double fixedHeight() {
        if (ctc != null) {
            return RULER_HEIGHT + posteriorgramHeight() + GAP + 2 * (TIER_HEIGHT + GAP) + GAP;
        }
        int tiers = codeTiers() + 1 + unavailable.size();
        return RULER_HEIGHT + tiers * (TIER_HEIGHT + GAP) + GAP;
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth());
        double h = snapSizeY(getHeight());
        canvas.setWidth(w);
        canvas.setHeight(h);
        axis.setPlotArea(LABEL_WIDTH, Math.max(1, w - LABEL_WIDTH - 8));
        layoutBands(h);
        repaint();
    }

    private void layoutBands(double h) {
        bands.clear();
        double y = 0;
        bands.add(new Band(RULER, y, RULER_HEIGHT));
        y += RULER_HEIGHT;
        // the waveform and the spectrogram share what the tiers leave, the spectrogram a bit less
        double free = h - fixedHeight();
        double spec = Math.max(MIN_SPECTROGRAM_HEIGHT, Math.min(MAX_SPECTROGRAM_HEIGHT, 0.42 * free));
        double wave = Math.max(MIN_WAVE_HEIGHT, free - spec - GAP);
        bands.add(new Band(WAVEFORM, y, wave));
        y += wave + GAP;
        bands.add(new Band(SPECTROGRAM, y, spec));
        y += spec + GAP;
        if (ctc != null) {
            bands.add(new Band(POSTERIORGRAM, y, posteriorgramHeight()));
            y += posteriorgramHeight() + GAP;
            bands.add(new Band(LETTERS, y, TIER_HEIGHT));
            y += TIER_HEIGHT + GAP;
            bands.add(new Band(WORDS, y, TIER_HEIGHT));
            return;
        }
        int g = codeTiers();
        for (int i = 0; i < g; i++) {
            bands.add(new Band(codeTierName(i), y, TIER_HEIGHT));
            y += TIER_HEIGHT + GAP;
        }
        bands.add(new Band(PREDICTION, y, TIER_HEIGHT));
        y += TIER_HEIGHT + GAP;
        for (UnavailableTier u : unavailable) {
            bands.add(new Band(u.name(), y, TIER_HEIGHT));
            y += TIER_HEIGHT + GAP;
        }
    }

    /** Schedules one paint for however many changes happen before the next pulse. */
    private void repaint() {
        if (paintScheduled) {
            return;
        }
        paintScheduled = true;
        Platform.runLater(() -> {
            paintScheduled = false;
            paint();
        });
    }

    /** Paints now (tests and snapshots call this to skip the coalescing). */
    public void paint() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        if (bands.isEmpty() || w <= LABEL_WIDTH) {
            return;
        }
        if ((ctc != null) != (band(POSTERIORGRAM) != null)) {
            // the kind of inspection changed since the last layout pass: its tiers are not laid out yet
            layoutBands(h);
        }
        double plotLeft = axis.left();
        double plotRight = axis.left() + axis.width();
        g.save();
        for (Band b : bands) {
            paintLabel(g, b);
        }
        g.beginPath();
        g.rect(plotLeft, 0, plotRight - plotLeft, h);
        g.clip();
        paintRuler(g, band(RULER));
        paintWaveform(g, band(WAVEFORM));
        paintSpectrogram(g, band(SPECTROGRAM));
        if (ctc != null) {
            paintPosteriorgram(g, band(POSTERIORGRAM));
            paintBoxes(g, band(LETTERS), letterBoxes(), false);
            paintBoxes(g, band(WORDS), wordBoxes(), true);
            paintSelectionAndPlayhead(g, h);
            g.restore();
            return;
        }
        for (int i = 0; i < codeTiers(); i++) {
            paintCodeTier(g, band(codeTierName(i)), i);
        }
        paintPrediction(g, band(PREDICTION));
        for (UnavailableTier u : unavailable) {
            paintUnavailable(g, band(u.name()), u);
        }
        paintSelectionAndPlayhead(g, h);
        g.restore();
    }

    private void paintLabel(GraphicsContext g, Band b) {
        if (b.name().equals(RULER)) {
            return;
        }
        if (b.name().equals(POSTERIORGRAM) && ctc != null) {
            paintPosteriorgramLabels(g, b);
            return;
        }
        g.setFill(Color.rgb(245, 245, 245));
        g.fillRect(0, b.y(), LABEL_WIDTH - 6, b.height());
        g.setFill(Color.rgb(55, 71, 79));
        g.setFont(LABEL_FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        String text = b.name();
        if (b.name().equals(SPECTROGRAM)) {
            text = spectrogram == null ? "spectrogram" : "spectrogram · " + spectrogram.scale();
        }
        if (b.name().equals(PREDICTION) && inspection != null) {
            text = String.format(Locale.ROOT, "prediction %.0f %%", 100 * inspection.accuracy());
        } else if (b.name().equals(WAVEFORM) && inspection != null) {
            text = "waveform · mask";
        }
        boolean tall = b.name().equals(WAVEFORM) || b.name().equals(SPECTROGRAM);
        g.fillText(text, 6, b.y() + (tall ? 12 : b.height() / 2), LABEL_WIDTH - 12);
    }

    private void paintRuler(GraphicsContext g, Band b) {
        double seconds = axis.width() * axis.samplesPerPixel() / 16000.0;
        double step = niceStep(seconds / Math.max(1, axis.width() / 90));
        double first = Math.ceil(axis.viewStart() / 16000.0 / step) * step;
        g.setStroke(Color.rgb(120, 120, 120));
        g.setLineWidth(1);
        g.strokeLine(axis.left(), b.y() + b.height() - 0.5, axis.left() + axis.width(), b.y() + b.height() - 0.5);
        g.setFont(SMALL_FONT);
        g.setFill(Color.rgb(66, 66, 66));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        for (double t = first; t * 16000 <= axis.viewEnd(); t += step) {
            double x = Math.floor(axis.x(t * 16000)) + 0.5;
            g.strokeLine(x, b.y() + b.height() - 7, x, b.y() + b.height());
            // a label at the left edge would be cut in half by the clip: start it at the tick instead
            g.setTextAlign(x < axis.left() + 20 ? TextAlignment.LEFT : TextAlignment.CENTER);
            g.fillText(String.format(Locale.ROOT, "%." + decimals + "f s", t), x + (x < axis.left() + 20 ? 2 : 0),
                    b.y() + 3);
            double minor = step / 5;
            for (int k = 1; k < 5; k++) {
                double xm = Math.floor(axis.x((t + k * minor) * 16000)) + 0.5;
                g.strokeLine(xm, b.y() + b.height() - 3, xm, b.y() + b.height());
            }
        }
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private void paintWaveform(GraphicsContext g, Band b) {
        double mid = b.y() + b.height() / 2;
        double amp = b.height() / 2 - 4;
        g.setStroke(GRID);
        g.setLineWidth(1);
        g.strokeLine(axis.left(), Math.floor(mid) + 0.5, axis.left() + axis.width(), Math.floor(mid) + 0.5);
        if (inspection != null) {
            for (TierLayout.SpanRect r : maskRects()) {
                g.setFill(MASK_FILL);
                g.fillRect(r.x(), b.y(), r.width(), b.height());
                g.setStroke(MASK_EDGE);
                g.strokeLine(r.x(), b.y(), r.x(), b.y() + b.height());
                g.strokeLine(r.x() + r.width(), b.y(), r.x() + r.width(), b.y() + b.height());
            }
        }
        if (samples.length == 0) {
            return;
        }
        double scale = amp / peak;
        g.setStroke(WAVE);
        g.setFill(WAVE);
        double spp = axis.samplesPerPixel();
        if (spp < 2) {
            // few samples per pixel: connect the samples themselves
            int s0 = Math.max(0, (int) Math.floor(axis.viewStart()) - 1);
            int s1 = Math.min(samples.length - 1, (int) Math.ceil(axis.viewEnd()) + 1);
            g.beginPath();
            for (int s = s0; s <= s1; s++) {
                double x = axis.x(s);
                double y = mid - samples[s] * scale;
                if (s == s0) {
                    g.moveTo(x, y);
                } else {
                    g.lineTo(x, y);
                }
            }
            g.stroke();
            if (spp < 0.25) {
                for (int s = s0; s <= s1; s++) {
                    g.fillOval(axis.x(s) - 2, mid - samples[s] * scale - 2, 4, 4);
                }
            }
            return;
        }
        // min/max per pixel column: exact envelope however long the audio
        int columns = (int) Math.ceil(axis.width());
        for (int c = 0; c < columns; c++) {
            double x = axis.left() + c;
            int a = (int) Math.floor(axis.sampleAt(x));
            int z = (int) Math.floor(axis.sampleAt(x + 1));
            a = Math.max(0, a);
            z = Math.min(samples.length, Math.max(z, a + 1));
            if (a >= samples.length) {
                break;
            }
            float lo = samples[a];
            float hi = samples[a];
            for (int s = a + 1; s < z; s++) {
                float v = samples[s];
                if (v < lo) {
                    lo = v;
                }
                if (v > hi) {
                    hi = v;
                }
            }
            double yTop = mid - hi * scale;
            double yBot = mid - lo * scale;
            g.fillRect(x, yTop, 1, Math.max(1, yBot - yTop));
        }
    }

    private void paintSpectrogram(GraphicsContext g, Band b) {
        if (spectrogram == null) {
            paintTierFrame(g, b);
            return;
        }
        g.setFill(Color.BLACK);
        g.fillRect(axis.left(), b.y(), axis.width(), b.height());
        SpectrogramView.drawColumns(g, spectrogram, spectrogramImage, axis.viewStart(), axis.viewEnd(), axis.left(),
                axis.width(), b.y(), b.height());
        SpectrogramView.drawFrequencyTicks(g, spectrogram, axis.left(), b.y(), b.height());
    }

    private void paintCodeTier(GraphicsContext g, Band b, int group) {
        paintTierFrame(g, b);
        if (inspection == null || group >= groups()) {
            return;
        }
        g.setFont(SMALL_FONT);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        double labelWidth = textWidth(String.valueOf(inspection.codes().length > 0 ? 999 : 0));
        for (TierLayout.Cell c : codeCells(group)) {
            if (c.x() + c.width() < axis.left() || c.x() > axis.left() + axis.width()) {
                continue;
            }
            Color fill = CodeColors.of(c.value());
            g.setFill(fill);
            g.fillRect(c.x(), b.y() + 1, c.width(), b.height() - 2);
            if (c.width() >= 3) {
                g.setStroke(Color.rgb(255, 255, 255, 0.9));
                g.strokeLine(c.x() + 0.5, b.y() + 1, c.x() + 0.5, b.y() + b.height() - 1);
            }
            if (c.width() >= labelWidth + 4) {
                g.setFill(CodeColors.textOn(fill));
                g.fillText(String.valueOf(c.value()), c.x() + c.width() / 2, b.y() + b.height() / 2);
            }
        }
    }

    private void paintPrediction(GraphicsContext g, Band b) {
        paintTierFrame(g, b);
        if (inspection == null) {
            return;
        }
        g.setFont(SMALL_FONT);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (TierLayout.Cell c : predictionCells()) {
            g.setFill(c.value() == 1 ? CORRECT : WRONG);
            g.fillRect(c.x(), b.y() + 1, c.width(), b.height() - 2);
            if (c.width() >= 3) {
                g.setStroke(Color.rgb(255, 255, 255, 0.9));
                g.strokeLine(c.x() + 0.5, b.y() + 1, c.x() + 0.5, b.y() + b.height() - 1);
            }
            if (c.width() >= 12) {
                g.setFill(Color.WHITE);
                g.fillText(c.value() == 1 ? "✓" : "✗", c.x() + c.width() / 2, b.y() + b.height() / 2);
            }
        }
    }

    /** Tier name at the top left, one symbol per class row at the right of the label column. */
    private void paintPosteriorgramLabels(GraphicsContext g, Band b) {
        g.setFill(Color.rgb(245, 245, 245));
        g.fillRect(0, b.y(), LABEL_WIDTH - 6, b.height());
        g.setFill(Color.rgb(55, 71, 79));
        g.setFont(LABEL_FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText("CTC", 6, b.y() + 4);
        g.fillText("posteriorgram", 6, b.y() + 18);
        g.setFont(TINY_FONT);
        g.setFill(Color.rgb(84, 110, 122));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        List<String> symbols = ctc.posteriorgram().symbols();
        for (int c = 0; c < symbols.size(); c++) {
            g.fillText(symbols.get(c), LABEL_WIDTH - 10, b.y() + c * PG_ROW + PG_ROW / 2);
        }
    }

    /**
     * One cell per frame and class, darker for higher posterior. The square root lifts small
     * probabilities into view: CTC posteriors are peaky, and the runners-up are what one looks for.
     */
    private void paintPosteriorgram(GraphicsContext g, Band b) {
        float[][] p = ctc.posteriorgram().probabilities();
        int hop = ctc.hopSamples();
        int t0 = Math.max(0, (int) Math.floor(axis.viewStart() / hop));
        int t1 = Math.min(p.length, (int) Math.ceil(axis.viewEnd() / hop) + 1);
        g.setFill(Color.WHITE);
        g.fillRect(axis.left(), b.y(), axis.width(), b.height());
        for (int t = t0; t < t1; t++) {
            double x0 = axis.x((double) t * hop);
            double w = Math.max(1, axis.x((double) (t + 1) * hop) - x0);
            for (int c = 0; c < p[t].length; c++) {
                double v = Math.sqrt(Math.max(0, Math.min(1, p[t][c])));
                if (v < 0.03) {
                    continue;
                }
                g.setFill(Color.rgb((int) (255 - v * (255 - 13)), (int) (255 - v * (255 - 71)),
                        (int) (255 - v * (255 - 161))));
                g.fillRect(x0, b.y() + c * PG_ROW, w, PG_ROW);
            }
        }
        g.setStroke(Color.rgb(200, 200, 200));
        g.strokeRect(axis.left() + 0.5, b.y() + 0.5, axis.width() - 1, b.height() - 1);
    }

    /** Praat-style intervals: boundary lines, a label centred when it fits, tinted by confidence. */
    private void paintBoxes(GraphicsContext g, Band b, List<TierLayout.Box> boxes, boolean words) {
        paintTierFrame(g, b);
        if (ctc != null && ctc.alignment() == null && ctc.alignmentProblem() != null) {
            g.setFill(Color.rgb(183, 28, 28));
            g.setFont(SMALL_FONT);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no forced alignment: " + ctc.alignmentProblem(), axis.left() + 8, b.y() + b.height() / 2);
            return;
        }
        g.setFont(words ? LABEL_FONT : SMALL_FONT);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        double left = axis.left();
        double right = axis.left() + axis.width();
        for (TierLayout.Box box : boxes) {
            if (box.x() + box.width() < left || box.x() > right) {
                continue;
            }
            // mean ln-posterior → confidence in [0, 1]: green when sure, red when the model disagrees
            double conf = Math.exp(Math.max(-20, box.score()));
            Color fill = "|".equals(box.label()) ? Color.rgb(236, 239, 241)
                    : Color.rgb(255, 205, 210).interpolate(Color.rgb(200, 230, 201), conf);
            g.setFill(fill);
            g.fillRect(box.x(), b.y() + 1, Math.max(1, box.width()), b.height() - 2);
            g.setStroke(Color.rgb(38, 50, 56));
            g.strokeLine(Math.floor(box.x()) + 0.5, b.y() + 1, Math.floor(box.x()) + 0.5, b.y() + b.height() - 1);
            double xe = Math.floor(box.x() + box.width()) + 0.5;
            g.strokeLine(xe, b.y() + 1, xe, b.y() + b.height() - 1);
            if (box.width() >= textWidth(box.label(), words ? LABEL_FONT : SMALL_FONT) + 2) {
                g.setFill(Color.rgb(33, 33, 33));
                g.fillText(box.label(), box.x() + box.width() / 2, b.y() + b.height() / 2);
            }
        }
    }

    private void paintUnavailable(GraphicsContext g, Band b, UnavailableTier u) {
        g.setFill(Color.rgb(238, 238, 238));
        g.fillRect(axis.left(), b.y(), axis.width(), b.height());
        g.setStroke(Color.rgb(0, 0, 0, 0.06));
        for (double x = axis.left() - b.height(); x < axis.left() + axis.width(); x += 8) {
            g.strokeLine(x, b.y() + b.height(), x + b.height(), b.y());
        }
        g.setFill(Color.rgb(117, 117, 117));
        g.setFont(SMALL_FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("unavailable: " + u.reason(), axis.left() + 8, b.y() + b.height() / 2);
    }

    private void paintTierFrame(GraphicsContext g, Band b) {
        g.setFill(Color.rgb(250, 250, 250));
        g.fillRect(axis.left(), b.y(), axis.width(), b.height());
        g.setStroke(Color.rgb(200, 200, 200));
        g.strokeRect(axis.left() + 0.5, b.y() + 0.5, axis.width() - 1, b.height() - 1);
    }

    private void paintSelectionAndPlayhead(GraphicsContext g, double h) {
        long[] sel = selection();
        if (sel != null) {
            double x0 = axis.x(sel[0]);
            double x1 = axis.x(sel[1]);
            g.setFill(SELECTION);
            g.fillRect(x0, RULER_HEIGHT, x1 - x0, h - RULER_HEIGHT);
        }
        if (!Double.isNaN(playhead)) {
            double x = axis.x(playhead);
            g.setStroke(Color.rgb(211, 47, 47));
            g.setLineWidth(1.5);
            g.strokeLine(x, 0, x, h);
            g.setLineWidth(1);
        }
    }

    private static double textWidth(String s) {
        return textWidth(s, SMALL_FONT);
    }

    private static double textWidth(String s, Font font) {
        Text t = new Text(s);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    private void onScroll(ScrollEvent e) {
        if (samples.length == 0) {
            return;
        }
        double dx = e.getDeltaX();
        double dy = e.getDeltaY();
        if (e.isShiftDown() || Math.abs(dx) > Math.abs(dy)) {
            double d = Math.abs(dx) > Math.abs(dy) ? dx : dy;
            axis.scrollTo(axis.viewStart() - d * axis.samplesPerPixel());
        } else if (dy != 0) {
            axis.zoom(Math.pow(1.2, dy / 40.0), Math.max(axis.left(), e.getX()));
        }
        e.consume();
    }

    private void onPressed(MouseEvent e) {
        lastDragX = e.getX();
        panning = e.getButton() != MouseButton.PRIMARY;
        if (!panning && e.getX() >= axis.left()) {
            dragAnchorSample = clampSample(axis.sampleAt(e.getX()));
            if (e.isShiftDown() && selection() != null) {
                selEnd = dragAnchorSample;
                selectionListener.run();
                repaint();
            } else {
                selStart = dragAnchorSample;
                selEnd = dragAnchorSample;
                selectionListener.run();
                repaint();
            }
        }
    }

    private void onDragged(MouseEvent e) {
        if (panning) {
            axis.scrollTo(axis.viewStart() - (e.getX() - lastDragX) * axis.samplesPerPixel());
            lastDragX = e.getX();
            return;
        }
        if (!Double.isNaN(selStart)) {
            selEnd = clampSample(axis.sampleAt(e.getX()));
            selectionListener.run();
            repaint();
        }
        onMoved(e);
    }

    private double clampSample(double s) {
        return Math.max(0, Math.min(samples.length, s));
    }

    private void onMoved(MouseEvent e) {
        if (samples.length == 0 || e.getX() < axis.left()) {
            hover.set("");
            return;
        }
        double s = axis.sampleAt(e.getX());
        if (s < 0 || s >= samples.length) {
            hover.set("");
            return;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.3f s  (sample %d)", s / 16000.0, (long) s));
        Band sb0 = band(SPECTROGRAM);
        if (spectrogram != null && sb0 != null && sb0.contains(e.getY())) {
            int t = (int) Math.floor((s - SpectrogramImage.columnStart(spectrogram, 0)) / spectrogram.hopSamples());
            int k = spectrogram.bins() - 1 - (int) Math.floor((e.getY() - sb0.y()) / sb0.height() * spectrogram.bins());
            if (t >= 0 && t < spectrogram.frames() && k >= 0 && k < spectrogram.bins()) {
                sb.append(String.format(Locale.ROOT, "  ·  %.0f Hz: %.0f dB", spectrogram.binHz()[k],
                        spectrogram.values()[t][k]));
            }
        }
        if (ctc != null) {
            int t = (int) Math.floor(s / ctc.hopSamples());
            if (t < ctc.frames()) {
                int k = ctc.posteriorgram().argmax(t);
                sb.append(String.format(Locale.ROOT, "  ·  frame %d: most likely %s (p %.2f)", t,
                        ctc.posteriorgram().symbols().get(k), ctc.posteriorgram().probabilities()[t][k]));
            }
            for (TierLayout.Box w : wordBoxes()) {
                if (s >= w.startSample() && s < w.endSample()) {
                    sb.append(String.format(Locale.ROOT, "  ·  word %s [%.3f, %.3f) s, mean ln p %.2f", w.label(),
                            w.startSample() / 16000.0, w.endSample() / 16000.0, w.score()));
                }
            }
        }
        if (inspection != null) {
            int t = TierLayout.frameAt(inspection, s);
            if (t >= 0) {
                long a = TierLayout.frameStart(inspection, t);
                sb.append(String.format(Locale.ROOT, "  ·  frame %d sees samples [%d, %d)", t, a,
                        a + inspection.receptiveField()));
                sb.append("  ·  codes");
                for (int gi = 0; gi < inspection.codes()[t].length; gi++) {
                    sb.append(gi == 0 ? " " : " | ").append(inspection.codes()[t][gi]);
                }
                if (inspection.masked()[t]) {
                    Boolean c = inspection.correct()[t];
                    sb.append("  ·  masked, prediction ").append(Boolean.TRUE.equals(c) ? "right" : "wrong");
                    Double logit = inspection.targetLogit()[t];
                    if (logit != null) {
                        sb.append(String.format(Locale.ROOT, " (target logit %.2f)", logit));
                    }
                }
            }
        }
        hover.set(sb.toString());
    }
}
