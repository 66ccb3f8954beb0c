package org.speechwb.app.codebook;

import java.util.Arrays;
import java.util.Locale;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Usage of one group's entries over training time: x = window of updates, y = entry, colour =
 * the entry's share of that window's masked frames (square-root scale, so that the typical 1/V
 * shares are not all black). Drawn as an image of one pixel per (column, entry), scaled without
 * smoothing; when there are more windows than pixel columns, neighbouring windows are averaged
 * so the cost stays proportional to the plot size, not to the length of training.
 */
public final class UsageHeatmap extends Region {

    private static final Font FONT = Font.font("System", 11);
    private static final double LEFT = 46;
    private static final double RIGHT = 56;
    private static final double TOP = 20;
    private static final double BOTTOM = 20;
    /** Viridis at 9 stops; readable in grey print and by colour-blind readers. */
    private static final Color[] RAMP = {
        Color.web("#440154"), Color.web("#472d7b"), Color.web("#3b528b"), Color.web("#2c728e"), Color.web("#21918c"),
        Color.web("#28ae80"), Color.web("#5ec962"), Color.web("#addc30"), Color.web("#fde725")};

    /** The ramp at 256 levels, packed for PixelWriter.setPixels (one call per image, not per pixel). */
    private static final int[] LUT = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            Color c = ramp(i / 255.0);
            LUT[i] = 0xff000000 | (int) Math.round(c.getRed() * 255) << 16 | (int) Math.round(c.getGreen() * 255) << 8
                    | (int) Math.round(c.getBlue() * 255);
        }
    }

    private final Canvas canvas = new Canvas();
    private CodebookUsageModel model;
    private int group;
    private boolean sortByUsage;
    private String title = "";
    private int drawnColumns;
    private int drawnRevision = -1;

    public UsageHeatmap() {
        getChildren().add(canvas);
        setPrefSize(560, 170);
        setMinSize(200, 110);
    }

    public void setData(CodebookUsageModel m, int g, boolean sorted, String heading) {
        model = m;
        group = g;
        sortByUsage = sorted;
        title = heading;
        paint();
    }

    /** Columns (windows) of the data last drawn. */
    public int drawnColumns() {
        return drawnColumns;
    }

    public int drawnRevision() {
        return drawnRevision;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(snapSizeX(getWidth()));
        canvas.setHeight(snapSizeY(getHeight()));
        paint();
    }

    static Color ramp(double t) {
        double x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) x);
        return RAMP[i].interpolate(RAMP[i + 1], x - i);
    }

    private void paint() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(FONT);
        g.setFill(Color.rgb(33, 33, 33));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(title, 4, 3, w - 8);
        double pw = Math.floor(w - LEFT - RIGHT);
        double ph = Math.floor(h - TOP - BOTTOM);
        if (pw < 4 || ph < 4) {
            return;
        }
        if (model == null || model.isEmpty()) {
            drawnColumns = 0;
            g.setStroke(Color.rgb(189, 189, 189));
            g.strokeRect(LEFT + 0.5, TOP + 0.5, pw - 1, ph - 1);
            g.setFill(Color.GRAY);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no code usage yet", LEFT + pw / 2, TOP + ph / 2);
            return;
        }
        int cols = model.columns();
        int v = model.entries();
        int perPixel = Math.max(1, (int) Math.ceil(cols / pw));
        int imgCols = (cols + perPixel - 1) / perPixel;
        Integer[] order = entryOrder();
        double[][] shares = new double[imgCols][v];
        double max = 1e-9;
        for (int c = 0; c < cols; c++) {
            long[] col = model.column(c, group);
            long total = 0;
            for (long x : col) {
                total += x;
            }
            if (total == 0) {
                continue;
            }
            int ic = c / perPixel;
            int inBucket = Math.min(perPixel, cols - ic * perPixel);
            for (int e = 0; e < v; e++) {
                shares[ic][e] += (double) col[order[e]] / total / inBucket;
            }
        }
        for (double[] col : shares) {
            for (double s : col) {
                max = Math.max(max, s);
            }
        }
        WritableImage img = new WritableImage(imgCols, v);
        PixelWriter px = img.getPixelWriter();
        double sqrtMax = Math.sqrt(max);
        int[] argb = new int[imgCols * v];
        for (int c = 0; c < imgCols; c++) {
            for (int e = 0; e < v; e++) {
                // entry 0 (or the most used) at the top
                argb[e * imgCols + c] = LUT[(int) Math.round(Math.sqrt(shares[c][e]) / sqrtMax * 255)];
            }
        }
        px.setPixels(0, 0, imgCols, v, PixelFormat.getIntArgbInstance(), argb, 0, imgCols);
        g.setImageSmoothing(false);
        g.drawImage(img, LEFT, TOP, pw, ph);
        g.setStroke(Color.rgb(117, 117, 117));
        g.strokeRect(LEFT - 0.5, TOP - 0.5, pw + 1, ph + 1);
        drawnColumns = cols;
        drawnRevision = model.revision();

        g.setFill(Color.rgb(97, 97, 97));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("to update " + model.columnEnd(0), LEFT, TOP + ph + 3);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText(model.columnEnd(cols - 1) + (cols > 1 ? "" : ""), LEFT + pw, TOP + ph + 3);
        g.setTextAlign(TextAlignment.CENTER);
        g.fillText(cols + (cols == 1 ? " column" : " columns") + " of about "
                + Math.max(CodebookUsageModel.WINDOW, Math.round((double) model.columnEnd(cols - 1) / cols / 10) * 10)
                + " updates", LEFT + pw / 2, TOP + ph + 3);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(sortByUsage ? "most" : "0", LEFT - 4, TOP);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(sortByUsage ? "least" : String.valueOf(v - 1), LEFT - 4, TOP + ph);
        // colour bar
        double bx = LEFT + pw + 10;
        for (int y = 0; y < ph; y++) {
            g.setFill(ramp(1 - y / ph));
            g.fillRect(bx, TOP + y, 10, 1);
        }
        g.setFill(Color.rgb(97, 97, 97));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(String.format(Locale.ROOT, "%.0f%%", 100 * max), bx + 13, TOP);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText("0", bx + 13, TOP + ph);
    }

    /** Row order: entry index, or by usage since the start (most used on top). */
    private Integer[] entryOrder() {
        Integer[] order = new Integer[model.entries()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (sortByUsage) {
            long[] cum = model.cumulative(group);
            Arrays.sort(order, (a, b) -> Long.compare(cum[b], cum[a]));
        }
        return order;
    }
}
