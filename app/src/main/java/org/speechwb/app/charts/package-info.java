/**
 * Charts shared by all screens: {@link org.speechwb.app.charts.MetricChart} (training curves on
 * JFreeChart-FX with smoothing, log scale, per-pixel thinning, PNG/SVG/CSV export) and
 * {@link org.speechwb.app.charts.WaveformView} (min–max waveform with shaded sample ranges).
 */
package org.speechwb.app.charts;
