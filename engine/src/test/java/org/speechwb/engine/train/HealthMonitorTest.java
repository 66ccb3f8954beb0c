package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    /** Feeds {@code n} identical updates and collects the warnings. */
    static List<TrainingEvent.Warning> feed(HealthMonitor h, int n, double contrastiveBits, double accuracy, double codePpl) {
        List<TrainingEvent.Warning> out = new ArrayList<>();
        for (int u = 1; u <= n; u++) {
            out.addAll(h.observe(new UpdateMetrics(u, 0, contrastiveBits, contrastiveBits, 0, 0, accuracy, codePpl,
                    codePpl, 1, 1e-3, 1, 0.5, 10, 1000, 0.5, u * 0.5, false, 4, 2)));
        }
        return out;
    }

    @Test
    void softmaxLossAtLog2OfTheCandidatesWarnsOnceAfterTheGracePeriod() {
        HealthMonitor h = new HealthMonitor(20, 2, 64, 50);
        assertThat(h.chanceBits()).isCloseTo(Math.log(21) / Math.log(2), within(1e-12));
        List<TrainingEvent.Warning> w = feed(h, 200, 4.39, 1.0 / 21, 100);
        assertThat(w).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(TrainingEvent.Warning.Kind.CHANCE_LEVEL);
            assertThat(x.update()).isEqualTo(50);
            assertThat(x.message()).contains("chance 4.39").contains("the quantizer (code perplexity");
        });
        assertThat(feed(new HealthMonitor(20, 2, 64, 50), 200, 3.0, 0.3, 100)).isEmpty();
    }

    @Test
    void binaryLossHasItsOwnAllCandidatesAlikeLevel() {
        // wav2vec 1.0's logistic loss with 10 distractors, every logit equal: -log σ - 10 log(1-σ) at σ = 1/11
        double plateau = (Math.log(11) + 10 * Math.log(11.0 / 10)) / Math.log(2);
        assertThat(plateau).isCloseTo(4.83, within(0.005));
        HealthMonitor binary = new HealthMonitor(10, 0, 0, 50, true);
        assertThat(binary.chanceBits()).isCloseTo(plateau, within(1e-12));
        assertThat(feed(binary, 200, plateau, 0.09, 0)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("chance 4.83").doesNotContain("quantizer"));
        // 4.0 bits is below the binary plateau (learning), though above the softmax chance of 3.46 bits
        assertThat(feed(new HealthMonitor(10, 0, 0, 50, true), 200, 4.0, 0.3, 0)).isEmpty();
        assertThat(feed(new HealthMonitor(10, 0, 0, 50, false), 200, 4.0, 0.09, 0)).hasSize(1);
    }

    @Test
    void aHandfulOfCodesIsACollapseButNoQuantizerIsNot() {
        assertThat(feed(new HealthMonitor(20, 2, 320, 10), 100, 3.0, 0.3, 4))
                .extracting(TrainingEvent.Warning::kind).containsExactly(TrainingEvent.Warning.Kind.CODEBOOK_COLLAPSE);
        assertThat(feed(new HealthMonitor(10, 0, 0, 10, true), 100, 3.0, 0.3, 0)).isEmpty();
    }

    @Test
    void theSmallPresetsDocumentedPlateauIsNotCalledAFailure() throws Exception {
        // docs/presets.md: the stock small preset sits at chance for its first 250-350 updates, then learns
        HealthMonitor h = HealthMonitor.forConfig(org.speechwb.engine.config.Presets.pretrain("wav2vec2-small-cpu"));
        assertThat(h.lastUpdate()).isZero();
        assertThat(h.atChance()).as("nothing to judge before the first update").isFalse();
        assertThat(feed(h, 350, 4.39, 1.0 / 21, 100)).as("no warning during the plateau").isEmpty();
        assertThat(h.atChance()).as("but the monitor knows where the run stands").isTrue();
        assertThat(h.lastUpdate()).isEqualTo(350);
        assertThat(h.warnAfter()).isGreaterThan(350);
        // still at chance well after the plateau should have ended: now it is a warning, and says "yet"
        HealthMonitor stuck = HealthMonitor.forConfig(org.speechwb.engine.config.Presets.pretrain("wav2vec2-small-cpu"));
        assertThat(feed(stuck, 500, 4.39, 1.0 / 21, 100)).singleElement().satisfies(x -> {
            assertThat(x.update()).isEqualTo(stuck.warnAfter());
            assertThat(x.message()).contains("not started learning yet").contains("run.warnAfterUpdates");
        });
    }
}
