package org.speechwb.app.probe;

import java.util.List;
import java.util.Locale;

import org.speechwb.engine.probe.LayerProbe;

/**
 * One row of the results table: a layer of one model; rates are fractions, {@code cer} and
 * {@code wer} the means over the probe seeds, {@code probeCers} each seed's CER.
 */
public record ProbeRow(String model, String layer, int dimension, double cer, double wer, int bestUpdate,
                       List<Double> probeCers) {

    public ProbeRow {
        probeCers = List.copyOf(probeCers);
    }

    static ProbeRow of(String model, LayerProbe.LayerScore s) {
        return new ProbeRow(model, s.layer(), s.dimension(), s.cer(), s.wer(), s.bestUpdate(), s.probeCers());
    }

    /** "73.7–89.7" (per cent): the lowest and highest probe; "" for a single probe. */
    public String cerRange() {
        if (probeCers.size() < 2) {
            return "";
        }
        var stats = probeCers.stream().mapToDouble(Double::doubleValue).summaryStatistics();
        return String.format(Locale.ROOT, "%.1f–%.1f", 100 * stats.getMin(), 100 * stats.getMax());
    }

    /** Standard deviation of the probes' CER (a fraction; 0 for a single probe). */
    public double cerDeviation() {
        double mean = probeCers.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = probeCers.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum();
        return probeCers.size() < 2 ? 0 : Math.sqrt(ss / (probeCers.size() - 1));
    }
}
