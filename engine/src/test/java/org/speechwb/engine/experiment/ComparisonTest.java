package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ComparisonTest {

    /** An aggregate over the given seeds' (WER, CER) pairs, as the experiment makes it. */
    private static LowResourceExperiment.Aggregate agg(Map<String, double[]> seeds) {
        Map<String, Map<String, Double>> per = new LinkedHashMap<>();
        seeds.forEach((s, v) -> per.put(s, Map.of("wer", v[0], "cer", v[1])));
        double wer = seeds.values().stream().mapToDouble(v -> v[0]).average().orElseThrow();
        double cer = seeds.values().stream().mapToDouble(v -> v[1]).average().orElseThrow();
        return new LowResourceExperiment.Aggregate(wer, cer, 0, 0, 0, 0, per);
    }

    private static Map<String, double[]> seeds(Object... seedWerCer) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < seedWerCer.length; i += 3) {
            m.put((String) seedWerCer[i], new double[] {(Double) seedWerCer[i + 1], (Double) seedWerCer[i + 2]});
        }
        return m;
    }

    @Test
    void armsWithTheSameSeedsCompareTheirMeans() {
        var r = Comparison.of(agg(seeds("1", 100.0, 80.0, "2", 100.0, 60.0)), agg(seeds("1", 90.0, 56.0, "2", 80.0, 42.0)))
                .orElseThrow();
        assertThat(r.wer()).isCloseTo(15.0, within(1e-9));
        assertThat(r.cer()).isCloseTo(30.0, within(1e-9));
        assertThat(r.seeds()).containsExactly("1", "2");
        assertThat(r.seedsLabel()).isEqualTo("seeds 1, 2");
        // in seed order, whatever order the figures were stored in
        assertThat(Comparison.of(agg(seeds("10", 100.0, 80.0, "2", 100.0, 60.0)), agg(seeds("2", 90.0, 56.0, "10", 80.0,
                42.0))).orElseThrow().seeds()).containsExactly("2", "10");
        assertThat(r.partial()).isFalse();
    }

    @Test
    void whileOneArmHasMoreSeedsOnlyTheSharedOnesAreCompared() {
        // the log-mel baseline has seeds 1 and 2, the wav2vec 1.0 arm only seed 1: over the arms' own
        // means the reduction would read 20 % though on the one seed both have it is 50 %
        LowResourceExperiment.Aggregate base = agg(seeds("1", 100.0, 80.0, "2", 100.0, 20.0));
        LowResourceExperiment.Aggregate model = agg(seeds("1", 100.0, 40.0));
        assertThat(Comparison.reduction(base.cer(), model.cer())).isCloseTo(20.0, within(1e-9));
        var r = Comparison.of(base, model).orElseThrow();
        assertThat(r.cer()).isCloseTo(50.0, within(1e-9));
        assertThat(r.seeds()).containsExactly("1");
        assertThat(r.seedsLabel()).isEqualTo("seed 1");
        assertThat(r.partial()).isTrue();
        assertThat(Comparison.of(agg(seeds("2", 100.0, 80.0)), model)).isEmpty();
        assertThat(Comparison.of(null, model)).isEmpty();
    }

    @Test
    void anAggregateWithoutPerSeedFiguresComparesMeansAndAZeroBaselineHasNoRelativeChange() {
        var old = new LowResourceExperiment.Aggregate(100, 80, 0, 0, 0, 0, null);
        var r = Comparison.of(old, agg(seeds("1", 90.0, 60.0))).orElseThrow();
        assertThat(r.cer()).isCloseTo(25.0, within(1e-9));
        assertThat(r.seeds()).isEmpty();
        assertThat(r.seedsLabel()).isEmpty();
        assertThat(r.partial()).isFalse();
        assertThat(Comparison.reduction(0, 5)).isNaN();
        assertThat(Comparison.percent(Double.NaN)).isEqualTo("–");
        assertThat(Comparison.percent(9.24)).isEqualTo("+9.2 %");
        assertThat(Comparison.percent(-1.55)).isEqualTo("-1.6 %");
    }
}
