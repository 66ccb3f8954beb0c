package org.speechwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    @Test
    void werRanksBelowTheFloorCerAboveItAndAnyRankedModelBeatsAnUnrankedOne() {
        // speechocean762, wav2vec 1.0 features, seed 1: WER 97.70 / CER 84.52 vs WER 98.98 / CER 76.29
        assertThat(ModelSelection.better(0.9898, 0.7629, 0.9770, 0.8452)).isTrue();
        assertThat(ModelSelection.better(0.80, 0.60, 0.85, 0.40)).isTrue();     // both ranked: WER decides
        assertThat(ModelSelection.better(0.949, 0.90, 0.96, 0.20)).isTrue();    // under the floor wins
        assertThat(ModelSelection.better(0.80, 0.50, 0.80, 0.40)).isFalse();    // WER tie: CER decides
        assertThat(ModelSelection.better(1.0, 0.5, 1.2, 0.5)).isTrue();         // CER tie: WER decides
        assertThat(ModelSelection.better(1.0, 0.5, Double.NaN, Double.NaN)).isTrue();
        assertThat(ModelSelection.better(Double.NaN, Double.NaN, 1.0, 0.5)).isFalse();
    }

    @Test
    void itIsATotalOrderSoOnlineAndOfflineChoicesAgree() {
        List<double[]> points = new ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            points.add(new double[] {0.8 + 0.4 * r.nextDouble(), r.nextDouble()});
        }
        double[] online = {Double.NaN, Double.NaN};
        for (double[] p : points) {
            if (ModelSelection.better(p[0], p[1], online[0], online[1])) {
                online = p;
            }
        }
        double[] offline = points.stream().min((a, b) -> ModelSelection.compare(a[0], a[1], b[0], b[1])).orElseThrow();
        assertThat(online).isSameAs(offline);
        for (double[] a : points) {
            for (double[] b : points) {
                assertThat(Integer.signum(ModelSelection.compare(a[0], a[1], b[0], b[1])))
                        .isEqualTo(-Integer.signum(ModelSelection.compare(b[0], b[1], a[0], a[1])));
            }
        }
    }
}
