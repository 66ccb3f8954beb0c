package org.speechwb.app.probe;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.statistics.StatisticalCategoryDataset;

/**
 * Validation CER per layer as grouped bars on JFreeChart-FX: one category per representation
 * (in the model's order), one series per model; each bar is the mean over the probe seeds with a
 * whisker of one standard deviation either side. FX thread only.
 */
public final class LayerBarChart extends BorderPane {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x9aa5b1), new Color(0xd62728),
        new Color(0x2ca02c)};

    private final DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    private final StatisticalBarRenderer renderer = new LabelAboveWhiskerRenderer();
    private final NumberAxis y = new NumberAxis("validation CER (%)");
    private final ChartViewer viewer;

    public LayerBarChart(String titleText) {
        getStyleClass().add("metric-chart");
        CategoryAxis x = new CategoryAxis(null);
        x.setMaximumCategoryLabelLines(2);
        x.setCategoryMargin(0.25);
        // auto range from zero: CER can pass 100 % (insertions), so no fixed upper bound
        y.setAutoRangeIncludesZero(true);
        y.setDefaultAutoRange(new Range(0, 100));
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setErrorIndicatorPaint(new Color(0x333333));
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.08);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font("SansSerif", Font.PLAIN, 10));
        for (int i = 0; i < PALETTE.length; i++) {
            renderer.setSeriesPaint(i, PALETTE[i]);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);
        plot.setNoDataMessage("No probes yet");
        plot.setNoDataMessageFont(new Font("SansSerif", Font.PLAIN, 14));
        plot.setNoDataMessagePaint(new Color(0x6b7785));
        JFreeChart chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 12), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setFrame(new BlockBorder(Color.WHITE));
        viewer = new ChartViewer(chart);
        viewer.setMinSize(200, 120);
        viewer.setPrefSize(600, 320);
        Label title = new Label(titleText);
        title.getStyleClass().add("section-title");
        BorderPane.setMargin(title, new Insets(2, 4, 4, 4));
        setTop(title);
        setCenter(viewer);
    }

    /**
     * Replaces the bars (CER given as a fraction). Every model and layer named gets its place
     * at once, so bars fill in without the axis moving; rows of others are added after them.
     */
    public void setRows(List<String> models, List<String> layers, List<ProbeRow> rows) {
        data.clear();
        for (String m : models) {
            for (String l : layers) {
                data.add((Number) null, null, m, l);
            }
        }
        for (ProbeRow r : rows) {
            data.add(100 * r.cer(), 100 * r.cerDeviation(), r.model(), r.layer());
        }
    }

    /** Series (models) in legend order. */
    public List<String> seriesNames() {
        List<String> out = new ArrayList<>();
        for (Object k : data.getRowKeys()) {
            out.add(k.toString());
        }
        return out;
    }

    /** Categories (layers) in axis order. */
    public List<String> categories() {
        List<String> out = new ArrayList<>();
        for (Object k : data.getColumnKeys()) {
            out.add(k.toString());
        }
        return out;
    }

    /** Bars drawn: cells of the dataset with a value. */
    public int barCount() {
        int n = 0;
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                if (data.getValue(r, c) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The bar's height (CER %), or null when that model has no score for that layer yet. */
    public Number value(String model, String layer) {
        int r = data.getRowIndex(model);
        int c = data.getColumnIndex(layer);
        return r < 0 || c < 0 ? null : data.getValue(r, c);
    }

    /** The whisker's half length (CER points), or null when that bar is not there yet. */
    public Number deviation(String model, String layer) {
        int r = data.getRowIndex(model);
        int c = data.getColumnIndex(layer);
        return r < 0 || c < 0 ? null : data.getStdDevValue(r, c);
    }

    public ChartViewer viewer() {
        return viewer;
    }

    /**
     * Puts each bar's value label above its whisker instead of at the bar's top, where the whisker
     * of a probe with a spread over seeds crossed it.
     */
    private static final class LabelAboveWhiskerRenderer extends StatisticalBarRenderer {
        private transient Rectangle2D dataArea;
        private transient ValueAxis rangeAxis;

        @Override
        protected void drawVerticalItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D area,
                                        CategoryPlot p, CategoryAxis domainAxis, ValueAxis axis,
                                        StatisticalCategoryDataset dataset, int visibleRow, int row, int column) {
            dataArea = area;
            rangeAxis = axis;
            super.drawVerticalItem(g2, state, area, p, domainAxis, axis, dataset, visibleRow, row, column);
        }

        @Override
        protected void drawItemLabel(Graphics2D g2, CategoryDataset dataset, int row, int column, CategoryPlot p,
                                     CategoryItemLabelGenerator generator, Rectangle2D bar, boolean negative) {
            Rectangle2D target = bar;
            if (dataset instanceof StatisticalCategoryDataset stats && rangeAxis != null && !negative) {
                Number mean = stats.getMeanValue(row, column);
                Number sd = stats.getStdDevValue(row, column);
                if (mean != null && sd != null && sd.doubleValue() > 0) {
                    double top = rangeAxis.valueToJava2D(mean.doubleValue() + sd.doubleValue(), dataArea,
                            p.getRangeAxisEdge());
                    if (top < bar.getMinY()) {
                        target = new Rectangle2D.Double(bar.getX(), top, bar.getWidth(), bar.getMaxY() - top);
                    }
                }
            }
            super.drawItemLabel(g2, dataset, row, column, p, generator, target, negative);
        }
    }
}
