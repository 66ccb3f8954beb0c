/**
 * Charts shared by all screens: {@link org.speechwb.app.charts.MetricChart} (training curves on
 * JFreeChart-FX with smoothing, log scale, per-pixel thinning, PNG/SVG/CSV export),
 * {@link org.speechwb.app.charts.WaveformView} (min–max waveform with shaded sample ranges, zoomable) and
 * {@link org.speechwb.app.charts.SpectrogramView} (a spectrogram on the same time axis).
 */
package org.speechwb.app.charts;
