package org.speechwb.app.charts;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * Tick labels as people read them: plain numbers ("0", "0.0004", "12.5") instead of
 * JFreeChart's exponent forms ("0E0" on a small linear range, "10^0.95" on a log axis
 * spanning less than a decade). Very small or large values fall back to a short "2.5e-6".
 */
public final class AxisFormats {

    private AxisFormats() {
    }

    /** {@code v} with at most 6 significant digits, no float noise and no trailing zeros. */
    public static String plain(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            return b.toPlainString();
        }
        int exp = b.precision() - b.scale() - 1;
        BigDecimal mantissa = b.movePointLeft(exp).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exp;
    }

    /** Seconds as h:mm:ss (m:ss under an hour): an elapsed-wall-time axis. */
    public static String elapsed(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "";
        }
        long s = Math.round(Math.abs(seconds));
        String sign = seconds < 0 ? "-" : "";
        return s >= 3600
                ? String.format(Locale.ROOT, "%s%d:%02d:%02d", sign, s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%s%d:%02d", sign, s / 60, s % 60);
    }

    /** A NumberFormat for axes that formats with {@link #plain(double)}. */
    public static NumberFormat plainFormat() {
        return new Fn(false);
    }

    /** A NumberFormat for axes that formats seconds with {@link #elapsed(double)}. */
    public static NumberFormat elapsedFormat() {
        return new Fn(true);
    }

    private static final class Fn extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private final boolean time;

        Fn(boolean time) {
            this.time = time;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(time ? elapsed(number) : plain(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            pos.setIndex(source.length());
            return Double.valueOf(source);
        }
    }

    /**
     * Values for log-axis ticks between {@code lo} and {@code hi} (both &gt; 0): over several
     * decades the powers of ten (every k-th when there are many), over a few decades also 2× and
     * 5×, and within about one decade "nice" linear steps (1, 2 or 5 times a power of ten).
     */
    public static List<Double> logTickValues(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        if (!(lo > 0) || !(hi > lo)) {
            return out;
        }
        double decades = Math.log10(hi / lo);
        if (decades < 1.2) {
            double step = niceStep((hi - lo) / 4);
            for (double v = Math.ceil(lo / step) * step; v <= hi * (1 + 1e-9); v += step) {
                if (v > 0) {
                    out.add(Double.parseDouble(plain(v)));
                }
            }
            return out;
        }
        int e0 = (int) Math.floor(Math.log10(lo));
        int e1 = (int) Math.ceil(Math.log10(hi));
        int every = Math.max(1, (int) Math.ceil(decades / 8));
        double[] mult = decades <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        for (int e = e0; e <= e1; e++) {
            if (e % every != 0) {
                continue;
            }
            for (double m : mult) {
                double v = Double.parseDouble(plain(m * Math.pow(10, e)));
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
    }

    /** A log axis whose ticks come from {@link #logTickValues} and read as plain numbers. */
    public static final class PlainLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        public PlainLogAxis(String label) {
            super(label);
            setNumberFormatOverride(plainFormat());
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List<ValueTick> ticks = new ArrayList<>();
            for (double v : logTickValues(getLowerBound(), getUpperBound())) {
                ticks.add(new NumberTick(v, plain(v), TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0.0));
            }
            return ticks;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List<ValueTick> ticks = new ArrayList<>();
            for (double v : logTickValues(getLowerBound(), getUpperBound())) {
                ticks.add(new NumberTick(v, plain(v), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
            }
            return ticks;
        }
    }
}
