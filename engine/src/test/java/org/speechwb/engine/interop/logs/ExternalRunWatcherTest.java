package org.speechwb.engine.interop.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.train.UpdateMetrics;

/** Following a fairseq log as it grows, and its points as the records the screens show. */
class ExternalRunWatcherTest {

    @TempDir
    Path tmp;

    @Test
    void aGrowingLogIsReReadOnlyWhenItChangesAndAVanishedOneIsReported() throws Exception {
        Path log = tmp.resolve("hydra_train.log");
        Files.writeString(log, ExternalRunLogsTest.HYDRA_LINE + "\n", StandardCharsets.UTF_8);
        List<ExternalRunLogs.Result> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<IOException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExternalRunWatcher.Listener l = new ExternalRunWatcher.Listener() {
            @Override
            public void changed(ExternalRunLogs.Result logs) {
                seen.add(logs);
            }

            @Override
            public void failed(IOException e) {
                errors.add(e);
            }
        };
        try (ExternalRunWatcher w = ExternalRunWatcher.start(log, Duration.ofHours(1), l)) {
            // the first poll runs at once on the watcher's thread; step the rest by hand
            long until = System.nanoTime() + 10_000_000_000L;
            while (seen.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(seen).hasSize(1);
            w.poll();
            assertThat(seen).hasSize(1);     // unchanged: not re-read

            // a record being written: its partial line is not a point yet
            Files.writeString(log, "[2021-03-24 14:36:00,000][train_inner][INFO] - {\"epoch\": 2, \"loss\": \"3.2\","
                    + " \"num_updates\": \"22400\"}\n{\"epoch\": 2, \"loss\": \"3.1", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(log, FileTime.fromMillis(System.currentTimeMillis() + 1000));
            w.poll();
            assertThat(seen).hasSize(2);
            List<UpdateMetrics> u = seen.get(1).updates();
            assertThat(u).extracting(UpdateMetrics::update).containsExactly(22200, 22400);
            assertThat(u.get(0).contrastive()).isEqualTo(3.296);
            assertThat(u.get(0).diversity()).isNaN();          // fairseq logs it weighted: not shown as ours
            assertThat(u.get(1).loss()).isEqualTo(3.2);

            Files.delete(log);
            w.poll();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).hasMessageContaining("does not exist");
        }
    }
}
