package org.speechwb.app.inspect;

import javafx.scene.paint.Color;

/**
 * Colours for codebook entries. Neighbouring indices must look different (entries 41 and 42 are
 * unrelated), so hues step by the golden angle; saturation and brightness alternate so that even
 * V = 320 entries stay tellable apart in adjacent cells.
 */
public final class CodeColors {

    private static final double GOLDEN = 0.6180339887498949;

    private CodeColors() {
    }

    public static Color of(int code) {
        double hue = ((code * GOLDEN) % 1.0) * 360;
        double sat = (code % 3 == 0) ? 0.55 : (code % 3 == 1 ? 0.40 : 0.70);
        double bri = (code % 2 == 0) ? 0.95 : 0.80;
        return Color.hsb(hue, sat, bri);
    }

    /** Black or white, whichever reads better on {@code background}. */
    public static Color textOn(Color background) {
        double luma = 0.2126 * background.getRed() + 0.7152 * background.getGreen() + 0.0722 * background.getBlue();
        return luma > 0.55 ? Color.BLACK : Color.WHITE;
    }
}
