package org.speechwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.eval.ModelSelection.SOFT_FLOOR;
import static org.speechwb.engine.eval.ModelSelection.WER_FLOOR;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    @Test
    void werFloorRanksWerBelowTheFloorCerAboveItAndAnyRankedModelBeatsAnUnrankedOne() {
        // speechocean762, wav2vec 1.0 features, seed 1: WER 97.70 / CER 84.52 vs WER 98.98 / CER 76.29
        assertThat(WER_FLOOR.better(0.9898, 0.7629, 0.9770, 0.8452)).isTrue();
        assertThat(WER_FLOOR.better(0.80, 0.60, 0.85, 0.40)).isTrue();     // both ranked: WER decides
        assertThat(WER_FLOOR.better(0.949, 0.90, 0.96, 0.20)).isTrue();    // under the floor wins: the cliff
        assertThat(WER_FLOOR.better(0.80, 0.50, 0.80, 0.40)).isFalse();    // WER tie: CER decides
        assertThat(WER_FLOOR.better(1.0, 0.5, 1.2, 0.5)).isTrue();         // CER tie: WER decides
        assertThat(WER_FLOOR.better(1.0, 0.5, Double.NaN, Double.NaN)).isTrue();
        assertThat(WER_FLOOR.better(Double.NaN, Double.NaN, 1.0, 0.5)).isFalse();
    }

    @Test
    void softFloorHasNoCliffAtTheFloor() {
        // the synthetic corpus, random wav2vec 1.0 context + conv AM, seed 2: the 95 % floor kept update 200
        // (WER 91.14 / CER 88.69, nearly empty output) over update 800 (99.00 / 67.85)
        assertThat(WER_FLOOR.better(0.9114, 0.8869, 0.9900, 0.6785)).isTrue();
        assertThat(SOFT_FLOOR.better(0.9900, 0.6785, 0.9114, 0.8869)).isTrue();
        // and the layer probes: layer 1 (104.52 / 61.53) over layer 3 (94.82 / 72.18)
        assertThat(SOFT_FLOOR.better(1.0452, 0.6153, 0.9482, 0.7218)).isTrue();
        // above the floor only CER counts
        assertThat(SOFT_FLOOR.better(0.9898, 0.7629, 0.9770, 0.8452)).isTrue();
        assertThat(SOFT_FLOOR.better(1.20, 0.70, 0.96, 0.71)).isTrue();
        // below it WER leads: a CER lead counts only beyond four times the WER gap
        assertThat(SOFT_FLOOR.better(0.20, 0.08, 0.21, 0.05)).isTrue();    // 1 WER point against 3 CER points
        assertThat(SOFT_FLOOR.better(0.21, 0.03, 0.20, 0.08)).isTrue();    // 1 WER point against 5 CER points
        assertThat(SOFT_FLOOR.better(0.80, 0.50, 0.80, 0.40)).isFalse();   // WER tie: CER decides
        assertThat(SOFT_FLOOR.better(1.0, 0.5, 1.2, 0.5)).isTrue();        // key tie above the floor: WER decides
        assertThat(SOFT_FLOOR.better(1.0, 0.5, Double.NaN, Double.NaN)).isTrue();
        assertThat(SOFT_FLOOR.better(Double.NaN, Double.NaN, 1.0, 0.5)).isFalse();
    }

    @Test
    void everyRuleIsATotalOrderSoOnlineAndOfflineChoicesAgree() {
        List<double[]> points = new ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            points.add(new double[] {0.8 + 0.4 * r.nextDouble(), r.nextDouble()});
        }
        for (ModelSelection rule : ModelSelection.values()) {
            double[] online = {Double.NaN, Double.NaN};
            for (double[] p : points) {
                if (rule.better(p[0], p[1], online[0], online[1])) {
                    online = p;
                }
            }
            double[] offline = points.stream().min((a, b) -> rule.compare(a[0], a[1], b[0], b[1])).orElseThrow();
            assertThat(online).as(rule.name()).isSameAs(offline);
            for (double[] a : points) {
                for (double[] b : points) {
                    assertThat(Integer.signum(rule.compare(a[0], a[1], b[0], b[1])))
                            .isEqualTo(-Integer.signum(rule.compare(b[0], b[1], a[0], a[1])));
                    for (double[] c : points.subList(0, 20)) {
                        if (rule.compare(a[0], a[1], b[0], b[1]) < 0 && rule.compare(b[0], b[1], c[0], c[1]) < 0) {
                            assertThat(rule.compare(a[0], a[1], c[0], c[1])).as("transitive").isNegative();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRuleIsFoundByItsDescriptionAndAnUnknownOneIsNamed() {
        for (ModelSelection rule : ModelSelection.values()) {
            assertThat(ModelSelection.fromDescription(rule.description())).isSameAs(rule);
        }
        assertThatThrownBy(() -> ModelSelection.fromDescription("lowest loss"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"lowest loss\"")
                .hasMessageContaining(SOFT_FLOOR.description());
    }
}
