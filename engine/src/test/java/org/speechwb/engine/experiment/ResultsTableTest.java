package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.eval.ModelSelection;

class ResultsTableTest {

    private static LowResourceExperiment.Aggregate agg(Map<String, Double> werBySeed) {
        Map<String, Map<String, Double>> per = new java.util.LinkedHashMap<>();
        werBySeed.forEach((s, w) -> per.put(s, Map.of("wer", w, "cer", w / 2)));
        double wer = werBySeed.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new LowResourceExperiment.Aggregate(wer, wer / 2, 0, 0, 0, 0, per);
    }

    private static String markdown(Map<String, Double> logmel, Map<String, Double> wav2vec1) {
        Map<String, Map<String, LowResourceExperiment.Aggregate>> held = new java.util.LinkedHashMap<>();
        held.put("logmel", Map.of("greedy", agg(logmel)));
        held.put("wav2vec1", Map.of("greedy", agg(wav2vec1)));
        LowResourceExperiment.Results r = new LowResourceExperiment.Results(ExperimentConfig.defaults(), "/data/c",
                "a split", Map.of(), Map.of(), 10, 1.0, Map.of(), Map.of("heldout", held), List.of(), List.of(),
                List.of(), "CPU", ModelSelection.DEFAULT.description(), List.of());
        return ResultsTable.markdown(r, 0);
    }

    @Test
    void aReductionIsOverTheSeedsBothArmsHaveScoredAndSaysSoWhileTheyDiffer() {
        assertThat(markdown(Map.of("1", 80.0, "2", 100.0), Map.of("1", 60.0, "2", 75.0)))
                .contains("Relative reduction, wav2vec 1.0 features over log-mel: greedy WER +25.0 %, CER +25.0 %.\n");
        assertThat(markdown(Map.of("1", 80.0, "2", 100.0), Map.of("1", 60.0)))
                .contains("Relative reduction, wav2vec 1.0 features over log-mel (on seed 1, the seeds both arms have"
                        + " scored so far): greedy WER +25.0 %, CER +25.0 %.\n");
        // no seed in common: no reduction at all rather than one between different subsets
        assertThat(markdown(Map.of("2", 100.0), Map.of("1", 60.0))).doesNotContain("Relative reduction");
    }
}
