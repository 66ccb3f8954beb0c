package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.speechwb.engine.experiment.LowResourceExperiment.Aggregate;
import org.speechwb.engine.experiment.LowResourceExperiment.ArmResult;
import org.speechwb.engine.experiment.LowResourceExperiment.Score;

/** The headline of results.json: each arm's scores over seeds, per test set and decoder. */
final class SeedAggregates {

    private SeedAggregates() {
    }

    /** Mean and range over seeds, in percent, as {@code <test set>.<arm>.<decoder>}, with every seed's figures. */
    static Map<String, Map<String, Map<String, Aggregate>>> of(List<ArmResult> perSeed, List<String> testSets) {
        Set<String> arms = new LinkedHashSet<>();
        perSeed.forEach(r -> arms.add(r.arm()));
        Map<String, Map<String, Map<String, Aggregate>>> out = new LinkedHashMap<>();
        for (String set : testSets) {
            Map<String, Map<String, Aggregate>> byArm = new LinkedHashMap<>();
            for (String arm : arms) {
                Map<String, Aggregate> byDecoder = new LinkedHashMap<>();
                for (String decoder : List.of(LowResourceExperiment.GREEDY, LowResourceExperiment.LM)) {
                    List<Double> wer = new ArrayList<>();
                    List<Double> cer = new ArrayList<>();
                    Map<String, Map<String, Double>> seeds = new LinkedHashMap<>();
                    for (ArmResult r : perSeed) {
                        if (!r.arm().equals(arm)) {
                            continue;
                        }
                        for (Score s : r.scores()) {
                            if (s.testSet().equals(set) && s.decoder().equals(decoder)) {
                                wer.add(100 * s.wer());
                                cer.add(100 * s.cer());
                                seeds.put(String.valueOf(r.seed()), Map.of("wer", 100 * s.wer(), "cer", 100 * s.cer()));
                            }
                        }
                    }
                    if (!wer.isEmpty()) {
                        byDecoder.put(decoder, new Aggregate(mean(wer), mean(cer), Collections.min(wer),
                                Collections.max(wer), Collections.min(cer), Collections.max(cer), seeds));
                    }
                }
                byArm.put(arm, byDecoder);
            }
            out.put(set, byArm);
        }
        return out;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
