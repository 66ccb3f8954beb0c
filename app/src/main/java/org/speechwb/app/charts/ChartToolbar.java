package org.speechwb.app.charts;

import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/**
 * A chart's header: the title on the left, the controls on the right, and when a narrow card
 * cannot hold both on one line the controls move to a second line instead of being cut. An
 * HBox would squeeze the controls to nothing (a long title such as "Gradient norm (before
 * clipping)" left no room for Log and Export in a half-width card at 1280 px).
 */
public final class ChartToolbar extends Region {

    private static final double GAP = 8;

    private final Region title;
    private final HBox controls = new HBox(6);

    ChartToolbar(Region title) {
        this.title = title;
        controls.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
        controls.setFillHeight(false);
        getChildren().addAll(title, controls);
        getStyleClass().add("chart-toolbar");
        setPadding(new Insets(2, 4, 2, 4));
    }

    /** The controls on the right, in order; a screen may add its own (a metric choice). */
    public javafx.collections.ObservableList<Node> controls() {
        return controls.getChildren();
    }

    /** Whether the controls sit on a line of their own (the card is too narrow for both). */
    public boolean isWrapped() {
        return !fitsOneLine(getWidth());
    }

    private boolean fitsOneLine(double width) {
        Insets in = getInsets();
        double inner = width - in.getLeft() - in.getRight();
        return title.prefWidth(-1) + GAP + controls.prefWidth(-1) <= inner;
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computeMinWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight() + Math.max(title.minWidth(-1), controls.minWidth(-1));
    }

    @Override
    protected double computePrefWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight() + title.prefWidth(-1) + GAP + controls.prefWidth(-1);
    }

    @Override
    protected double computePrefHeight(double width) {
        Insets in = getInsets();
        double t = title.prefHeight(-1);
        double c = controls.prefHeight(-1);
        double body = width < 0 || fitsOneLine(width) ? Math.max(t, c) : t + 2 + c;
        return in.getTop() + in.getBottom() + body;
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        Insets in = getInsets();
        double x = in.getLeft();
        double y = in.getTop();
        double w = getWidth() - in.getLeft() - in.getRight();
        double h = getHeight() - in.getTop() - in.getBottom();
        double cw = Math.min(w, controls.prefWidth(-1));
        double ch = controls.prefHeight(cw);
        double th = title.prefHeight(-1);
        if (fitsOneLine(getWidth())) {
            double lineH = Math.max(th, ch);
            layoutInArea(title, x, y, w - cw - GAP, lineH, 0, HPos.LEFT, VPos.CENTER);
            layoutInArea(controls, x + w - cw, y, cw, lineH, 0, HPos.RIGHT, VPos.CENTER);
        } else {
            layoutInArea(title, x, y, w, th, 0, HPos.LEFT, VPos.CENTER);
            layoutInArea(controls, x + w - cw, y + th + 2, cw, Math.max(ch, h - th - 2), 0, HPos.RIGHT, VPos.TOP);
        }
    }
}
