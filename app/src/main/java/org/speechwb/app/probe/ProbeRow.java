package org.speechwb.app.probe;

import java.util.List;
import java.util.Locale;

import org.speechwb.engine.probe.LayerProbe;

/**
 * One row of the results table: a layer of one model, as the engine scored it (rates are
 * fractions; CER and WER the means over the probe seeds).
 */
public record ProbeRow(String model, LayerProbe.LayerScore score) {

    public String layer() {
        return score.layer();
    }

    public int dimension() {
        return score.dimension();
    }

    public double cer() {
        return score.cer();
    }

    public double wer() {
        return score.wer();
    }

    public int bestUpdate() {
        return score.bestUpdate();
    }

    /**
     * The probes' lowest validation CTC loss, mean over the probe seeds: "2.415" bits per character;
     * "–" for probes made before it was measured.
     */
    public String bitsText() {
        double bits = score.bits();
        return Double.isNaN(bits) ? "–" : String.format(Locale.ROOT, "%.3f", bits);
    }

    /** "73.7–89.7" (per cent): the lowest and highest probe; "" for a single probe. */
    public String cerRange() {
        return score.probeCers().size() < 2 ? ""
                : String.format(Locale.ROOT, "%.1f–%.1f", 100 * score.cerMin(), 100 * score.cerMax());
    }

    /** Standard deviation of the probes' CER (a fraction; 0 for a single probe). */
    public double cerDeviation() {
        List<Double> cers = score.probeCers();
        double ss = cers.stream().mapToDouble(c -> (c - score.cer()) * (c - score.cer())).sum();
        return cers.size() < 2 ? 0 : Math.sqrt(ss / (cers.size() - 1));
    }
}
