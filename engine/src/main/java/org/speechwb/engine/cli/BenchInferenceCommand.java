package org.speechwb.engine.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Profiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-inference}: BASE-size wav2vec 2.0 CTC inference on 10 s of audio, this engine
 * against torchaudio (Debian's python3-torchaudio, run by {@code /usr/bin/python3}) on the same
 * machine with the same thread count, one after the other in one run: median wall time per
 * utterance, real-time factor of each and their ratio. Weights are random (speed does not
 * depend on them); both sides see a seeded 10 s noise waveform.
 */
@Command(name = "bench-inference", mixinStandardHelpOptions = true,
        description = "Benchmark BASE-size wav2vec 2.0 CTC inference on 10 s of audio against torchaudio (same machine,"
                + " same threads): real-time factor of each and the ratio.")
final class BenchInferenceCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "10", description = "audio length; default ${DEFAULT-VALUE}")
    double seconds;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs per side (after one warm-up); default ${DEFAULT-VALUE}")
    int runs;

    @Option(names = "--threads", defaultValue = "0",
            description = "threads for both sides; must equal OMP_NUM_THREADS (default: OMP_NUM_THREADS, else all cores)")
    int threads;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch and torchaudio")
    String python;

    @Option(names = "--skip-torchaudio", description = "time this engine only")
    boolean skipTorch;

    @Option(names = "--profile", description = "print where this engine's time goes (ms per utterance, per section)")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        Backends.init();
        // ND4J / MKL take their thread count from OMP_NUM_THREADS at start-up: the launcher's environment
        String omp = System.getenv("OMP_NUM_THREADS");
        int t = omp != null && omp.matches("\\d+") ? Integer.parseInt(omp) : Runtime.getRuntime().availableProcessors();
        if (threads > 0 && threads != t) {
            System.err.println("error: start with OMP_NUM_THREADS=" + threads + " (this engine's BLAS reads it at"
                    + " start-up); it is " + (omp == null ? "unset" : omp));
            return 2;
        }
        Wav2Vec2Config base = Wav2Vec2Config.base();
        Wav2Vec2CtcModel model = new Wav2Vec2CtcModel(base, 32, 0.0, 1, DataType.FLOAT);
        int n = (int) (seconds * 16000);
        SplittableRandom rng = new SplittableRandom(1);
        float[] wave = new float[n];
        for (int i = 0; i < n; i++) {
            wave[i] = (float) (rng.nextDouble() * 0.2 - 0.1);
        }
        Ctx ctx = new Ctx(new Arena(DataType.FLOAT), false, Nd4j.getRandom());
        boolean[] all = new boolean[base.layers()];
        Arrays.fill(all, true);
        double[] times = new double[runs];
        try (INDArray w = Nd4j.create(wave, new long[] {1, n}, 'c')) {
            model.forward(ctx, new Wav2Vec2CtcModel.Batch(w, new int[] {n}, null, null, all));   // warm-up, arena sizing
            Profiler.reset();
            Profiler.enable(profile);
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                model.forward(ctx, new Wav2Vec2CtcModel.Batch(w, new int[] {n}, null, null, all));
                times[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Profiler.enable(false);
        Arrays.sort(times);
        double ours = times[runs / 2];
        if (profile) {
            System.out.println("time per section (ms per utterance; nested sections also count in their parent):");
            Profiler.snapshot().forEach((name, v) -> System.out.printf(Locale.ROOT, "  %-18s %8.1f%n", name, v[0] / 1e6 / runs));
        }
        System.out.printf(Locale.ROOT, "this engine: %.3f s per %.0f s utterance, RTF %.4f (%d threads, %s)%n", ours,
                seconds, ours / seconds, t, Backends.describe().blas());
        if (skipTorch) {
            return 0;
        }
        Path script = Cli.home().resolve("engine/src/test/python/bench_inference_torchaudio.py");
        if (!Files.isRegularFile(script)) {
            System.err.println("error: " + script + " is missing");
            return 2;
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--threads", String.valueOf(t), "--seconds",
                String.valueOf(seconds), "--runs", String.valueOf(runs)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(t));
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || last == null) {
            System.err.println("error: torchaudio side failed (install python3-torch python3-torchaudio, or"
                    + " --skip-torchaudio): " + err.strip());
            return 1;
        }
        JsonNode j = ConfigIO.json().readTree(last);
        double theirs = j.get("median_s").asDouble();
        System.out.printf(Locale.ROOT, "torchaudio %s (torch %s): %.3f s per %.0f s utterance, RTF %.4f (%d threads)%n",
                j.get("torchaudio").asText(), j.get("torch").asText(), theirs, seconds, theirs / seconds, t);
        double gflops = j.path("gemm_gflops").asDouble(Double.NaN);
        System.out.printf(Locale.ROOT, "torch's BLAS: %.1f GFLOP/s on a 1024^3 matmul%n", gflops);
        if (gflops < 20) {
            System.out.println("warning: torch is using a slow BLAS (Debian's reference libblas?): the ratio below"
                    + " flatters this engine. Install libopenblas0-pthread and run again.");
        }
        System.out.printf(Locale.ROOT, "ratio (this engine / torchaudio): %.2f  (below 1: faster than PyTorch)%n",
                ours / theirs);
        return 0;
    }
}
