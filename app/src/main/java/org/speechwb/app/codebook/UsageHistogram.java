package org.speechwb.app.codebook;

import java.util.Locale;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Usage of one codebook group's V entries, sorted descending: a collapsed codebook shows as a
 * few tall bars and a long flat tail, healthy usage as a gentle slope near the dashed uniform
 * line 1/V. Canvas, because V bars of a pixel or less are beyond what a bar chart lays out well.
 */
public final class UsageHistogram extends Region {

    private static final Color BAR = Color.rgb(30, 136, 229);
    private static final Font FONT = Font.font("System", 11);
    private static final double LEFT = 46;
    private static final double TOP = 22;
    private static final double BOTTOM = 20;

    private final Canvas canvas = new Canvas();
    private double[] shares = new double[0];
    private String title = "";

    public UsageHistogram() {
        getChildren().add(canvas);
        setPrefSize(360, 170);
        setMinSize(160, 110);
    }

    /** @param sortedShares entry shares, largest first */
    public void setData(double[] sortedShares, String heading) {
        shares = sortedShares.clone();
        title = heading;
        paint();
    }

    /** The bar heights last drawn (shares, largest first). */
    public double[] bars() {
        return shares.clone();
    }

    public String title() {
        return title;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(snapSizeX(getWidth()));
        canvas.setHeight(snapSizeY(getHeight()));
        paint();
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
        double pw = w - LEFT - 8;
        double ph = h - TOP - BOTTOM;
        if (pw <= 2 || ph <= 2) {
            return;
        }
        g.setStroke(Color.rgb(158, 158, 158));
        g.setLineWidth(1);
        g.strokeLine(LEFT - 0.5, TOP, LEFT - 0.5, TOP + ph);
        g.strokeLine(LEFT, TOP + ph + 0.5, LEFT + pw, TOP + ph + 0.5);
        if (shares.length == 0) {
            g.setFill(Color.GRAY);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("no code usage yet", LEFT + pw / 2, TOP + ph / 2);
            return;
        }
        double max = Math.max(shares[0], 1.0 / shares.length) * 1.05;
        double bw = pw / shares.length;
        g.setFill(BAR);
        for (int i = 0; i < shares.length; i++) {
            double bh = shares[i] / max * ph;
            if (bh > 0) {
                double x0 = LEFT + i * bw;
                g.fillRect(x0, TOP + ph - bh, Math.max(bw - (bw > 3 ? 1 : 0), 0.5), Math.max(bh, 1));
            }
        }
        double uniform = TOP + ph - (1.0 / shares.length) / max * ph;
        g.setStroke(Color.rgb(229, 57, 53));
        g.setLineDashes(4, 3);
        g.strokeLine(LEFT, uniform, LEFT + pw, uniform);
        g.setLineDashes((double[]) null);
        g.setFill(Color.rgb(97, 97, 97));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(String.format(Locale.ROOT, "%.0f%%", 100 * max), LEFT - 4, TOP + 4);
        g.fillText("0", LEFT - 4, TOP + ph);
        // at the right end, above the line: the tail of a sorted histogram is short there
        g.setTextAlign(TextAlignment.RIGHT);
        g.setFill(Color.rgb(198, 40, 40));
        g.fillText("uniform 1/V", LEFT + pw - 4, Math.max(TOP + 6, uniform - 8));
        g.setFill(Color.rgb(97, 97, 97));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        g.fillText("entries, most used first (" + shares.length + ")", LEFT + pw / 2, TOP + ph + 4);
    }
}
