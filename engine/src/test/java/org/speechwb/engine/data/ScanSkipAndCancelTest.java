package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.data.TestData.text;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanSkipAndCancelTest {

    @TempDir
    Path tmp;

    @Test
    void corruptFilesAreSkippedWithReasonsAndTheScanGoesOn() throws IOException {
        wav(tmp.resolve("good1.wav"), 0.5, 16_000);
        wav(tmp.resolve("good2.wav"), 0.5, 16_000);
        text(tmp.resolve("notes.wav"), "this is a text file that was renamed to .wav\n");
        Path whole = wav(tmp.resolve("whole.wav"), 1.0, 16_000);
        byte[] bytes = Files.readAllBytes(whole);
        // cut inside the 'fmt ' chunk: a download that stopped early (a WAV cut inside its sample data is
        // still read, as other tools do, with the frames that are there)
        Files.write(tmp.resolve("truncated.wav"), java.util.Arrays.copyOf(bytes, 30));
        Files.delete(whole);
        Files.write(tmp.resolve("empty.wav"), new byte[0]);

        Dataset ds = DatasetLoader.open(tmp);

        assertThat(ds.utterances()).extracting(Utterance::id).containsExactly("good1", "good2");
        assertThat(ds.skipped()).hasSize(3);
        SkippedFile notes = find(ds, "notes.wav");
        assertThat(notes.reason()).isEqualTo(SkippedFile.Reason.NOT_AUDIO);
        SkippedFile truncated = find(ds, "truncated.wav");
        assertThat(truncated.reason()).isEqualTo(SkippedFile.Reason.TRUNCATED);
        assertThat(find(ds, "empty.wav").reason()).isIn(SkippedFile.Reason.NOT_AUDIO, SkippedFile.Reason.EMPTY,
                SkippedFile.Reason.TRUNCATED, SkippedFile.Reason.CORRUPT_HEADER);
        assertThat(notes.describe()).contains("notes.wav", "NOT_AUDIO");
        assertThat(ds.summary().render()).contains("truncated.wav", "TRUNCATED");
    }

    private static SkippedFile find(Dataset ds, String name) {
        return ds.skipped().stream().filter(s -> s.file().getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among skipped " + ds.skipped()));
    }

    @Test
    void progressCountsEveryFileOnce() throws IOException {
        for (int i = 0; i < 5; i++) {
            wav(tmp.resolve("s/u" + i + ".wav"), 0.1, 16_000);
        }
        text(tmp.resolve("s/bad.wav"), "junk");
        List<int[]> calls = new ArrayList<>();
        List<Path> files = new ArrayList<>();

        DatasetLoader.open(tmp, (done, total, file) -> {
            calls.add(new int[] {done, total});
            files.add(file);
        }, CancellationToken.none());

        assertThat(calls).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(calls.get(i)).containsExactly(i + 1, 6);
        }
        assertThat(files).doesNotHaveDuplicates().contains(tmp.resolve("s/bad.wav").toAbsolutePath());
    }

    @Test
    void cancellingFromTheListenerStopsTheScan() throws IOException {
        for (int i = 0; i < 10; i++) {
            wav(tmp.resolve("u" + i + ".wav"), 0.1, 16_000);
        }
        CancellationToken token = new CancellationToken();
        List<Integer> seen = new ArrayList<>();

        assertThatThrownBy(() -> DatasetLoader.open(tmp, (done, total, file) -> {
            seen.add(done);
            if (done == 3) {
                token.cancel();
            }
        }, token)).isInstanceOf(CancellationException.class);
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void cancellingFromAnotherThreadStopsTheScan() throws Exception {
        for (int i = 0; i < 10; i++) {
            wav(tmp.resolve("u" + i + ".wav"), 0.1, 16_000);
        }
        CancellationToken token = new CancellationToken();
        CountDownLatch firstFile = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Dataset> scan = pool.submit(() -> DatasetLoader.open(tmp, (done, total, file) -> {
                if (done == 1) {
                    firstFile.countDown();
                    try {
                        cancelled.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, token));
            assertThat(firstFile.await(10, TimeUnit.SECONDS)).isTrue();
            token.cancel();
            cancelled.countDown();
            assertThatThrownBy(() -> scan.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(CancellationException.class);
        } finally {
            pool.shutdownNow();
        }
    }
}
