package org.speechwb.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.testutil.RepoFiles;

/**
 * The shipped small preset, unchanged except for its length, learns on the bundled corpus: its
 * contrastive accuracy (true target scored above all distractors) climbs well above the chance
 * level 1/(negatives+1). Four utterances keep the run to about a minute and a half on 2 cores
 * (measured: 6 % accuracy over the first 20 updates, 30 % by update 120); on the whole corpus
 * the same preset needs a few hundred updates to leave chance (docs/presets.md).
 */
class SmallPresetLearnsTest {

    /** Raise both (-Dlearn.utts=346 -Dlearn.updates=600) to watch the whole-corpus curve instead. */
    static final int UTTERANCES = Integer.getInteger("learn.utts", 4);
    static final int UPDATES = Integer.getInteger("learn.updates", 140);

    @Test
    void contrastiveAccuracyRisesWellAboveChance(@TempDir Path dir) throws Exception {
        Dataset ds = DatasetLoader.open(RepoFiles.root().resolve("datasets/harvard-tts"));
        List<Utterance> slice = TrainingData.select(ds, "train").subList(0, UTTERANCES);
        PretrainConfig cfg = ConfigOverrides.apply(Presets.pretrain("wav2vec2-small-cpu"),
                List.of("run.maxUpdates=" + UPDATES, "run.checkpointInterval=" + UPDATES, "run.warnAfterUpdates=" + UPDATES),
                PretrainConfig.class);
        Provenance p = new Provenance("datasets/harvard-tts", "WORKBENCH_CORPUS", "test", "train", slice.size(), 0,
                "test", Provenance.ENGINE_VERSION, "CPU", "test", "17", "test", Provenance.now(), List.of());
        RunFolder run = new RunStore(dir).create("learns", cfg, p);
        List<UpdateMetrics> metrics = new ArrayList<>();
        RunState end = new Pretrainer(run, slice, e -> {
            if (e instanceof TrainingEvent.Updated u) {
                metrics.add(u.metrics());
                if (u.metrics().update() % 10 == 0) {
                    System.out.printf("update %d loss %.3f acc %.3f%n", u.metrics().update(), u.metrics().loss(), u.metrics().accuracy());
                }
            }
        }, null).run();
        assertThat(end).isEqualTo(RunState.FINISHED);

        double chance = 1.0 / (cfg.loss().negatives() + 1);
        double firstAccuracy = mean(metrics.subList(0, 20));
        double lastAccuracy = mean(metrics.subList(metrics.size() - 20, metrics.size()));
        assertThat(firstAccuracy).as("accuracy of the first 20 updates").isLessThan(2 * chance);
        assertThat(lastAccuracy).as("accuracy of the last 20 updates, chance %.3f", chance).isGreaterThan(3 * chance);
    }

    private static double mean(List<UpdateMetrics> ms) {
        return ms.stream().mapToDouble(UpdateMetrics::accuracy).average().orElseThrow();
    }
}
