package org.speechwb.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.data.DatasetSplitter;

class ShellPartsTest {

    @Test
    void throttleDeliversEveryItemInOrderInFewBatches() throws Exception {
        Executor ui = Executors.newSingleThreadExecutor();
        List<List<Integer>> batches = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        int n = 5000;
        FxThrottle<Integer> t = new FxThrottle<>(50, ui, b -> {
            batches.add(b);
            if (b.get(b.size() - 1) == n - 1) {
                all.countDown();
            }
        });
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                t.offer(i);
                if (i % 500 == 0) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        producer.start();
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        List<Integer> flat = new ArrayList<>();
        batches.forEach(flat::addAll);
        assertThat(flat).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(flat.get(i)).isEqualTo(i);
        }
        // bounded rate: far fewer deliveries than items
        assertThat(batches.size()).isLessThan(n / 10);
    }

    @Test
    void splitSpecsRoundTripAndPredefinedStaysCliCompatible() {
        assertThat(SplitChoice.PREDEFINED_TRAIN.spec()).isEqualTo("train");
        SplitChoice s = new SplitChoice(DatasetSplitter.Strategy.SPEAKER, 0.15, 0.05, 42, "train");
        assertThat(s.spec()).isEqualTo("train|speaker|valid=0.15|test=0.05|seed=42");
        assertThat(SplitChoice.parse(s.spec())).isEqualTo(s);
        assertThat(SplitChoice.parse("valid").trainOn()).isEqualTo("valid");
        assertThat(SplitChoice.parse("valid").strategy()).isEqualTo(DatasetSplitter.Strategy.PREDEFINED);
    }

    @Test
    void preferencesSurviveARestartAndABrokenFileFallsBackToDefaults(@TempDir Path dir) throws Exception {
        AppPreferences p = AppPreferences.load(dir);
        p.rememberDataset(Path.of("/data/a"));
        p.rememberDataset(Path.of("/data/b"));
        p.rememberDataset(Path.of("/data/a"));
        p.values().windowWidth = 1234.0;
        p.values().screen = "RUNS";
        p.values().configOverrides.add("masking.maskProb=0.5");
        p.save();
        AppPreferences q = AppPreferences.load(dir);
        assertThat(q.values().recentDatasets).containsExactly("/data/a", "/data/b");
        assertThat(q.values().lastDataset).isEqualTo("/data/a");
        assertThat(q.values().windowWidth).isEqualTo(1234.0);
        assertThat(q.values().screen).isEqualTo("RUNS");
        assertThat(q.values().configOverrides).containsExactly("masking.maskProb=0.5");
        Files.writeString(dir.resolve("workbench.json"), "{not json");
        AppPreferences r = AppPreferences.load(dir);
        assertThat(r.values().recentDatasets).isEmpty();
        assertThat(dir.resolve("workbench.json.broken")).exists();
    }

    @Test
    void errorsReadAsSentences() {
        assertThat(ErrorMessages.describe(new java.nio.file.NoSuchFileException("/x/y")))
                .isEqualTo("Not found: /x/y");
        assertThat(ErrorMessages.describe(new OutOfMemoryError())).startsWith("Out of memory");
        assertThat(ErrorMessages.describe(new java.util.concurrent.CompletionException(
                new IllegalArgumentException("masking.maskProb must be in (0, 1]"))))
                .isEqualTo("masking.maskProb must be in (0, 1]");
    }
}
