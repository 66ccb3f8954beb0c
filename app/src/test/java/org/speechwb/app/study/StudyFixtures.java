package org.speechwb.app.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment.Aggregate;
import org.speechwb.engine.experiment.LowResourceExperiment.ArmResult;
import org.speechwb.engine.experiment.LowResourceExperiment.CurvePoint;
import org.speechwb.engine.experiment.LowResourceExperiment.Results;
import org.speechwb.engine.experiment.LowResourceExperiment.StageTime;
import org.speechwb.engine.probe.LayerProbe;

/** A small, made-up results.json built from the engine's own records. */
final class StudyFixtures {

    private StudyFixtures() {
    }

    static Aggregate agg(double wer, double werMin, double werMax, double cer) {
        return new Aggregate(wer, cer, werMin, werMax, cer - 1, cer + 1,
                Map.of("1", Map.of("wer", werMin, "cer", cer - 1), "2", Map.of("wer", werMax, "cer", cer + 1)));
    }

    static Map<String, Aggregate> decoders(double greedyWer, double lmWer) {
        Map<String, Aggregate> m = new LinkedHashMap<>();
        m.put("greedy", agg(greedyWer, greedyWer - 5, greedyWer + 5, greedyWer / 2));
        m.put("lm", agg(lmWer, lmWer - 5, lmWer + 5, lmWer / 2));
        return m;
    }

    static ArmResult arm(String key, long seed, int candidate, List<String> setting, double validWer) {
        return new ArmResult(key, seed, candidate, setting, validWer, validWer / 2, List.of(),
                List.of(new CurvePoint(100, 1.0, 0.8), new CurvePoint(200, validWer + 0.1, 0.5),
                        new CurvePoint(300, validWer, validWer / 2)));
    }

    static Results results() {
        ExperimentConfig cfg = ExperimentConfig.builder().corpus("datasets/speechocean762-sample").buildTrainMinutes(0)
                .seeds(List.of(1L, 2L)).testSets(List.of()).pretrainUpdates(100).finetuneUpdates(100)
                .featureUpdates(100).acousticUpdates(100).probeUpdates(50).build();
        Map<String, Map<String, Map<String, Aggregate>>> sets = new LinkedHashMap<>();
        Map<String, Map<String, Aggregate>> held = new LinkedHashMap<>();
        held.put("scratch", decoders(80, 70));
        held.put("wav2vec2", decoders(60, 56));
        held.put("logmel", decoders(90, 85));
        held.put("wav2vec1", decoders(72, 68));
        sets.put("heldout", held);
        Map<String, Map<String, Aggregate>> real = new LinkedHashMap<>();
        real.put("logmel", decoders(99, 97));
        sets.put("real", real);
        Map<String, List<ArmResult>> grid = new LinkedHashMap<>();
        grid.put("logmel", List.of(arm("logmel", 1, 0, List.of("lr=1e-3"), 0.9),
                arm("logmel", 1, 1, List.of("lr=3e-3"), 0.8)));
        List<ArmResult> perSeed = List.of(arm("logmel", 1, 1, List.of("lr=3e-3"), 0.8),
                arm("wav2vec1", 1, 0, List.of("lr=1e-3"), 0.7), arm("scratch", 1, 0, List.of(), 0.85),
                arm("wav2vec2", 1, 0, List.of(), 0.6), arm("logmel", 2, 1, List.of("lr=3e-3"), 0.82));
        List<LayerProbe.Result> probes = List.of(
                new LayerProbe.Result("pretrained", List.of(new LayerProbe.LayerScore("features", 256, 1, 0.7, 40),
                        new LayerProbe.LayerScore("layer 1", 256, 1, 0.6, 40)), 30, 5, 12),
                new LayerProbe.Result("random", List.of(new LayerProbe.LayerScore("features", 256, 1, 0.9, 40),
                        new LayerProbe.LayerScore("layer 1", 256, 1, 0.95, 40)), 30, 5, 12));
        return new Results(cfg, "/data/so762", "train 8 speakers, valid 1, test 1", Map.of("1", 60, "2", 61),
                Map.of("1", 10.0, "2", 10.1), 300, 40.5, grid, sets, perSeed, probes,
                List.of(new StageTime("corpus (given)", 0, true, 0)), "CPU / MKL",
                ModelSelection.DEFAULT.description(), List.of());
    }

    static Path write(Path folder, Results r) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("results.json"), ConfigIO.json().writerWithDefaultPrettyPrinter()
                .writeValueAsString(r));
        return folder;
    }
}
