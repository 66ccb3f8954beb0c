package org.speechwb.app.charts;

import java.util.ArrayList;
import java.util.List;

import org.jfree.data.xy.AbstractXYDataset;

/**
 * An XY dataset whose series are replaced wholesale and announced with one change event, so a
 * redraw of many series costs one chart repaint (XYSeries would fire per series or per point).
 */
final class CurveDataset extends AbstractXYDataset {

    private static final long serialVersionUID = 1L;

    private final List<String> keys = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> ys = new ArrayList<>();

    /** Replaces every series; call {@link #changed()} after. */
    void set(List<String> newKeys, List<double[]> newXs, List<double[]> newYs) {
        keys.clear();
        xs.clear();
        ys.clear();
        keys.addAll(newKeys);
        xs.addAll(newXs);
        ys.addAll(newYs);
    }

    void changed() {
        fireDatasetChanged();
    }

    @Override
    public int getSeriesCount() {
        return keys.size();
    }

    @Override
    public Comparable<String> getSeriesKey(int series) {
        return keys.get(series);
    }

    @Override
    public int getItemCount(int series) {
        return xs.get(series).length;
    }

    @Override
    public Number getX(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public Number getY(int series, int item) {
        return ys.get(series)[item];
    }

    @Override
    public double getXValue(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public double getYValue(int series, int item) {
        return ys.get(series)[item];
    }
}
