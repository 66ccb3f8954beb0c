package org.speechwb.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.UpdateMetrics;

/** The progress line names what the run optimises. */
class ConsoleTrainingTest {

    private static String progressLine(Path dir, PretrainConfig cfg) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), ConfigIO.toYaml(cfg));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleTraining console = new ConsoleTraining(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
        console.onEvent(new TrainingEvent.Started("r", dir, "CPU", 1000, 0, 100));
        console.onEvent(new TrainingEvent.Updated(new UpdateMetrics(10, 0, 5.9, 5.8, 0.2, 0.001, 0.04, 66, 90, 0.5,
                4e-4, 0.7, 0.5, 25, 1300, 1, 10, false, 4, 3.5), new long[0][]));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aClusterTargetRunShowsItsCrossEntropyAndClustersNotQuantizerFigures(@TempDir Path dir) throws Exception {
        PretrainConfig small = Presets.pretrain("wav2vec2-small-cpu");
        String codes = progressLine(dir, small);
        assertThat(codes).contains("contrastive 5.800").contains("div 0.200").contains("ppl 66.0/90.0")
                .contains("tau 0.500");
        String clusters = progressLine(dir, ConfigOverrides.apply(small,
                List.of("loss.mfccClusters=100", "loss.diversityWeight=0"), PretrainConfig.class));
        assertThat(clusters).contains("cluster CE 5.800").contains("acc   4.0%")
                .contains("clusters ppl 66.0 targets/90.0 predicted").doesNotContain("contrastive")
                .doesNotContain("div").doesNotContain("tau");
    }
}
