package org.speechwb.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {

    @Test
    void listsOnlyTheFieldsThatDifferWithEveryRunsValue(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), """
                family: wav2vec2
                optimizer: {lr: 1.0e-3, beta1: 0.9}
                masking: {maskProb: 0.65, maskLength: 10}
                layers:
                  - {channels: 16, kernel: 10}
                  - {channels: 16, kernel: 3}
                """);
        Path b = Files.writeString(dir.resolve("b.yaml"), """
                family: wav2vec2
                optimizer: {lr: 3.0e-3, beta1: 0.9}
                masking: {maskProb: 0.65, maskLength: 10}
                layers:
                  - {channels: 16, kernel: 10}
                  - {channels: 16, kernel: 5}
                  - {channels: 16, kernel: 3}
                """);
        Path c = Files.writeString(dir.resolve("c.json"), """
                {"family": "wav2vec2", "optimizer": {"lr": 0.001, "beta1": 0.9},
                 "masking": {"maskProb": 0.5, "maskLength": 10},
                 "layers": [{"channels": 16, "kernel": 10}, {"channels": 16, "kernel": 3}]}
                """);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("tiny-a", a);
        files.put("tiny-b", b);
        files.put("tiny-c", c);
        ConfigDiff d = ConfigDiff.ofFiles(files);
        assertThat(d.runs()).containsExactly("tiny-a", "tiny-b", "tiny-c");
        Map<String, java.util.List<String>> rows = new LinkedHashMap<>();
        d.rows().forEach(r -> rows.put(r.field(), r.values()));
        assertThat(rows.keySet()).containsExactly("optimizer.lr", "masking.maskProb", "layers[1].kernel",
                "layers[2].channels", "layers[2].kernel");
        assertThat(rows.get("optimizer.lr")).containsExactly("0.001", "0.003", "0.001");
        assertThat(rows.get("masking.maskProb")).containsExactly("0.65", "0.65", "0.5");
        assertThat(rows.get("layers[2].kernel")).isEqualTo(Arrays.asList(null, "3", null));
    }

    @Test
    void aMissingConfigComparesAsEmptyAndIdenticalConfigsHaveNoRows(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), "run: {seed: 7}\n");
        Path b = Files.writeString(dir.resolve("b.yaml"), "run: {seed: 7}\n");
        assertThat(ConfigDiff.ofFiles(Map.of("a", a, "b", b)).rows()).isEmpty();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("a", a);
        files.put("gone", dir.resolve("missing.yaml"));
        ConfigDiff d = ConfigDiff.ofFiles(files);
        assertThat(d.rows()).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("run.seed");
            assertThat(r.values()).isEqualTo(Arrays.asList("7", null));
        });
    }
}
