package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.audio.WavWriter;
import org.speechwb.engine.data.CancellationToken;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.ScanListener;
import org.speechwb.engine.util.FileTrees;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-scan}: measures how fast a dataset scan runs on a generated folder of many small
 * WAVs (speaker sub-folders, a .txt transcript for every other file). The first scan follows
 * right after writing, so the files are in the OS page cache; a scan of a cold disk will be slower.
 */
@Command(name = "bench-scan", mixinStandardHelpOptions = true,
        description = "Generate a folder of small WAVs and time a header-only dataset scan of it.")
final class BenchScanCommand implements Callable<Integer> {

    @Option(names = "--files", defaultValue = "10000", description = "number of WAV files (default: ${DEFAULT-VALUE})")
    int files;

    @Option(names = "--speakers", defaultValue = "100", description = "speaker folders (default: ${DEFAULT-VALUE})")
    int speakers;

    @Option(names = "--repeat", defaultValue = "3", description = "scans to time (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--dir", description = "where to generate the tree (default: a new temp folder, deleted after)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        boolean temp = dir == null;
        Path root = temp ? Files.createTempDirectory("speechwb-bench-scan") : Files.createDirectories(dir);
        try {
            long t0 = System.nanoTime();
            generate(root);
            System.out.printf(Locale.ROOT, "Generated %d WAVs in %d speaker folders under %s in %.2f s%n", files,
                    speakers, root, (System.nanoTime() - t0) / 1e9);
            for (int r = 1; r <= repeat; r++) {
                long t = System.nanoTime();
                Dataset ds = DatasetLoader.open(root, ScanListener.NONE, CancellationToken.none());
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "Scan %d: %d utterances (%.2f h, %d labeled, %d skipped) in %.3f s"
                                + " = %.0f files/s%n", r, ds.utterances().size(), ds.summary().totalHours(),
                        ds.summary().labeled(), ds.skipped().size(), s, ds.utterances().size() / s);
            }
        } finally {
            if (temp) {
                FileTrees.delete(root);
            }
        }
        return 0;
    }

    /** Eight template WAVs of 0.5 to 4 s (16 kHz PCM 16) copied into the tree. */
    private void generate(Path root) throws IOException {
        Path templates = Files.createDirectories(root.resolve(".templates"));
        Path[] wavs = new Path[8];
        for (int k = 0; k < wavs.length; k++) {
            float[] x = new float[8_000 * (k + 1)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 50 * k) * i / 16_000.0));
            }
            wavs[k] = templates.resolve("t" + k + ".wav");
            WavWriter.write(wavs[k], x, 16_000, WavWriter.Encoding.PCM_S16);
        }
        for (int i = 0; i < files; i++) {
            Path spk = root.resolve(String.format(Locale.ROOT, "spk%03d", i % speakers));
            if (i < speakers) {
                Files.createDirectories(spk);
            }
            String id = String.format(Locale.ROOT, "utt%05d", i);
            Files.copy(wavs[i % wavs.length], spk.resolve(id + ".wav"));
            if (i % 2 == 0) {
                Files.writeString(spk.resolve(id + ".txt"), "BENCHMARK UTTERANCE NUMBER " + i);
            }
        }
    }

}
