package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.bench.FlopCount;
import org.speechwb.engine.bench.GeluBenchmark;
import org.speechwb.engine.bench.GemmBenchmark;
import org.speechwb.engine.bench.Stats;
import org.speechwb.engine.bench.PeerRun;
import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.NegativeSampler;
import org.speechwb.engine.model.w2v2.SpanMaskSampler;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Arena;
import org.speechwb.engine.nn.CpuKernels;
import org.speechwb.engine.nn.Ctx;
import org.speechwb.engine.nn.Profiler;
import org.speechwb.engine.train.AdamW;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Speed and memory of one wav2vec 2.0 pre-training update, on the same two configurations and
 * with the same work as the libtorch peer benchmark (random waveform input; host-side masks and
 * distractors, forward, backward and Adam step timed; FLOPs counted analytically the same way),
 * so the two can be run in turn on one machine and compared.
 */
@Command(name = "bench-pretrain", mixinStandardHelpOptions = true,
        description = "Benchmark one wav2vec 2.0 update (BASE at 2 x 4 s and the peer's small config): s/update,"
                + " audio-s/s, GFLOP/s, peak RSS, and RSS growth over many small updates.")
final class BenchPretrainCommand implements Callable<Integer> {

    @Option(names = "--configs", split = ",", defaultValue = "small,base",
            description = "which configurations: small, base (wav2vec 2.0), w2v1-paper (wav2vec 1.0 paper config at"
                    + " 2 x 4 s), w2v1-small (the wav2vec1-small-cpu preset's model at 4 x 3 s); default ${DEFAULT-VALUE}")
    List<String> configs;

    @Option(names = "--updates", defaultValue = "10", description = "timed updates per configuration")
    int updates;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed updates first")
    int warmup;

    @Option(names = "--rss-updates", defaultValue = "500",
            description = "updates of the small config for the memory-growth figure (0 to skip)")
    int rssUpdates;

    @Option(names = "--profile", description = "print the time per section of the update")
    boolean profile;

    @Option(names = "--peer", paramLabel = "PEER_JAR",
            description = "interleave with the libtorch peer (../shared/peers/pytorch-w2v2/target/peer.jar): per"
                    + " configuration, --rounds blocks of --updates updates each, ours then the peer's (a fresh process"
                    + " with --warmup updates of its own), and print ours / PyTorch per round with its median and range")
    Path peer;

    @Option(names = "--rounds", defaultValue = "4", description = "interleaved rounds with --peer (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--gemm", description = "measure the engine's GEMM GFLOP/s at the peer's shapes (forward and both"
            + " gradient forms) instead of updates; the peer's --gemm prints the same rows")
    boolean gemm;

    @Option(names = "--kernels-ab", description = "interleave blocks of updates with the engine's CPU kernels (GELU,"
            + " LayerNorm, GroupNorm) and without them (ND4J ops only), --rounds times, and print the speed-up with"
            + " its spread")
    boolean kernelsAb;

    @Option(names = "--gelu", description = "time the exact GELU's forward and backward every way in turn: ND4J ops"
            + " (other backends), the one-pass CPU kernel's scalar loop and the same on SIMD lanes")
    boolean gelu;

    /** The peer's defaults: BASE architecture, all four dropouts 0.1, no LayerDrop. */
    static Wav2Vec2Config base() {
        return new Wav2Vec2Config(Wav2Vec2Config.referenceEncoder(512), ExtractorMode.DEFAULT, false, 768, 3072, 12, 12,
                false, 0.1, 0.1, 0.0, 0.1, 0.1, 0.0, 128, 16, 0.1, 256, 2, 320, 0.1);
    }

    /** The peer README's small config: --conv 256 --dim 256 --layers 4 --heads 4 --ffn 1024 --entries 64 --qdim 128. */
    static Wav2Vec2Config small() {
        return new Wav2Vec2Config(Wav2Vec2Config.referenceEncoder(256), ExtractorMode.DEFAULT, false, 256, 1024, 4, 4,
                false, 0.1, 0.1, 0.0, 0.1, 0.1, 0.0, 128, 16, 0.1, 128, 2, 64, 0.1);
    }

    record Case(String name, Wav2Vec2Config model, int batch, double seconds, int negatives) {
    }

    @Override
    public Integer call() throws IOException {
        Backends.Info info = Backends.describe();
        System.out.println("device: " + info);
        System.out.printf(Locale.ROOT, "environment: OMP_WAIT_POLICY=%s MALLOC_ARENA_MAX=%s%n",
                System.getenv("OMP_WAIT_POLICY"), System.getenv("MALLOC_ARENA_MAX"));
        if (gemm) {
            System.out.println("== engine float32 GEMM (Tensors.gemm), best and median of repeats ==");
            GemmBenchmark.run(GemmBenchmark.SHAPES, false, System.out::println);
            return 0;
        }
        if (gelu) {
            System.out.println("== exact GELU, float32, ms per call ==");
            GeluBenchmark.run(5, System.out::println);
            return 0;
        }
        for (String c : configs) {
            String name = c.trim().toLowerCase(Locale.ROOT);
            if (name.startsWith("w2v1-")) {
                measureWav2Vec1(name);
                continue;
            }
            Case k = switch (c.trim().toLowerCase(Locale.ROOT)) {
                case "base" -> new Case("BASE", base(), 2, 4.0, 100);
                case "small" -> new Case("small", small(), 4, 2.0, 50);
                default -> throw new IllegalArgumentException("unknown config " + c + " (small, base)");
            };
            if (kernelsAb) {
                kernelsAb(k);
            } else if (peer != null) {
                interleave(k);
            } else {
                measure(k, warmup, updates, true);
            }
        }
        if (rssUpdates > 0 && peer == null && !kernelsAb) {
            memoryGrowth(new Case("small", small(), 4, 2.0, 50), rssUpdates);
        }
        return 0;
    }

    /** One update loop of a fixed configuration; returns per-update seconds and RSS after each. */
    private static double[][] loop(Case k, int count, boolean profileSteady, int warm) {
        Updates u = new Updates(k);
        double[][] out = u.run(count, profileSteady ? warm : -1);
        u.close();
        return out;
    }

    /**
     * A model, optimiser and arena kept between blocks of updates, so that interleaved blocks
     * measure the steady state rather than start-up.
     */
    static final class Updates {
        private final Case k;
        private final Wav2Vec2Model model;
        private final AdamW adam;
        private final Arena arena = new Arena(DataType.FLOAT);
        private final Random nativeRng = Nd4j.getRandomFactory().getNewRandomInstance(1);
        private final Ctx ctx = new Ctx(arena, true, nativeRng);
        private final int frames;
        private final SpanMaskSampler masker = new SpanMaskSampler(0.65, 10, 2, true);
        private final NegativeSampler negatives;
        private final SplittableRandom rng = new SplittableRandom(1234);
        private final INDArray wave;
        private int done;

        Updates(Case k) {
            this.k = k;
            model = new Wav2Vec2Model(k.model(), 1, DataType.FLOAT);
            OptimizerConfig opt = new OptimizerConfig(5e-4, 0.9, 0.98, 1e-6, 0.01, true, "polynomial", 0, 0, 0, 1, 0, 1);
            adam = new AdamW(opt, model.params().list());
            int samples = (int) Math.round(k.seconds() * 16000);
            frames = (int) k.model().framesFor(samples);
            negatives = new NegativeSampler(k.negatives());
            wave = Nd4j.create(DataType.FLOAT, k.batch(), samples);
        }

        /**
         * @param profileFrom index within this block from which the profiler records, or -1
         * @return per-update seconds, RSS (MB) after each and masked frames per utterance
         */
        double[][] run(int count, int profileFrom) {
            double[][] out = new double[3][count];
            for (int u = 0; u < count; u++) {
                if (u == profileFrom) {
                    Profiler.reset();
                    Profiler.enable(true);
                }
                Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.UniformDistribution(wave, -1, 1),
                        nativeRng);
                long t0 = System.nanoTime();
                boolean[][] mask = masker.sample(k.batch(), frames, null, rng);
                float[] counts = negatives.sampleCounts(mask, rng);
                try (var sec = Profiler.start("zero_grads")) {
                    model.params().zeroGrads();
                }
                Wav2Vec2Model.Result r;
                try (var sec = Profiler.start("model.step")) {
                    r = model.step(ctx, new Wav2Vec2Model.Batch(wave, mask, counts, 2.0, model.allLayers()), 0.1, 10, true);
                }
                try (var sec = Profiler.start("adam")) {
                    adam.step(5e-4, Set.of());
                }
                out[0][u] = (System.nanoTime() - t0) / 1e9;
                out[1][u] = Backends.residentBytes() / 1048576.0;
                out[2][u] = r.maskedFrames() / (double) k.batch();
                if (++done % 50 == 0) {
                    System.gc();
                }
            }
            Profiler.enable(false);
            return out;
        }

        long parameters() {
            return model.params().count();
        }

        void close() {
            arena.clear();
        }
    }

    /** The peer's options for the same model, batch and negatives (its defaults are BASE). */
    private static List<String> peerArgs(Case k) {
        return switch (k.name()) {
            case "BASE" -> List.of();
            case "small" -> List.of("--conv", "256", "--dim", "256", "--layers", "4", "--heads", "4", "--ffn", "1024",
                    "--entries", "64", "--qdim", "128", "--negatives", "50", "--batch", "4", "--seconds", "2");
            default -> throw new IllegalArgumentException("no peer configuration for " + k.name());
        };
    }

    /**
     * Ours and the peer's in alternating blocks, so that both see the same machine load within a
     * round; the ratio of audio seconds per second is taken per round (same batch on both sides,
     * so it is the peer's median seconds per update over ours).
     */
    private void interleave(Case k) throws IOException {
        System.out.printf(Locale.ROOT, "%n== %s: batch %d x %.1f s, %d negatives; %d rounds of %d updates, ours then"
                + " PyTorch ==%n", k.name(), k.batch(), k.seconds(), k.negatives(), rounds, updates);
        Backends.resetPeakResidentBytes();
        Updates ours = new Updates(k);
        ours.run(warmup, -1);
        double[] ratios = new double[rounds];
        long peerPeak = -1;
        for (int r = 0; r < rounds; r++) {
            double mine = Stats.median(ours.run(updates, -1)[0]);
            PeerRun.Result theirs = PeerRun.run(peer, peerArgs(k), warmup, updates);
            double their = Stats.median(theirs.seconds());
            peerPeak = Math.max(peerPeak, theirs.peakRss());
            ratios[r] = their / mine;
            System.out.printf(Locale.ROOT, "round %d: ours %.3f s/update (%.2f audio-s/s), PyTorch %.3f s/update (%.2f"
                    + " audio-s/s), ours / PyTorch %.2f%n", r + 1, mine, k.batch() * k.seconds() / mine, their,
                    k.batch() * k.seconds() / their, ratios[r]);
        }
        long ourPeak = Backends.peakResidentBytes();
        ours.close();
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "ours / PyTorch, audio-s/s : median %.2f, range %.2f-%.2f over %d rounds%n",
                Stats.median(ratios), sorted[0], sorted[sorted.length - 1], rounds);
        System.out.printf(Locale.ROOT, "peak RSS                  : ours %.0f MB, PyTorch %.0f MB, ours / PyTorch %.2f%n",
                ourPeak / 1048576.0, peerPeak / 1048576.0, ourPeak / (double) peerPeak);
    }

    /**
     * The same model in alternating blocks with the CPU kernels and with ND4J ops only, so both
     * see the same machine load within a round; the speed-up is taken per round.
     */
    private void kernelsAb(Case k) {
        System.out.printf(Locale.ROOT, "%n== %s: batch %d x %.1f s; %d rounds of %d updates, ND4J ops only then CPU"
                + " kernels ==%n", k.name(), k.batch(), k.seconds(), rounds, updates);
        Updates loop = new Updates(k);
        boolean was = CpuKernels.enabled();
        try {
            // each way allocates its own arena buffers on its first update
            CpuKernels.setEnabled(false);
            loop.run(warmup, -1);
            CpuKernels.setEnabled(true);
            loop.run(warmup, -1);
            double[] gains = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                CpuKernels.setEnabled(false);
                double without = Stats.median(loop.run(updates, -1)[0]);
                CpuKernels.setEnabled(true);
                double with = Stats.median(loop.run(updates, -1)[0]);
                gains[r] = without / with;
                System.out.printf(Locale.ROOT, "round %d: ND4J ops %.3f s/update, kernels %.3f s/update, speed-up %.2f%n",
                        r + 1, without, with, gains[r]);
            }
            double[] sorted = gains.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "speed-up from the CPU kernels: median %.2f, range %.2f-%.2f over %d rounds%n",
                    Stats.median(gains), sorted[0], sorted[sorted.length - 1], rounds);
        } finally {
            CpuKernels.setEnabled(was);
            loop.close();
        }
    }

    private void measure(Case k, int warm, int timed, boolean print) {
        System.out.printf(Locale.ROOT, "%n== %s: batch %d x %.1f s, %d negatives ==%n", k.name(), k.batch(), k.seconds(),
                k.negatives());
        Backends.resetPeakResidentBytes();
        Updates loop = new Updates(k);
        double[][] r = loop.run(warm + timed, warm);
        List<String> largest = loop.arena.largest(12);
        long heap = Runtime.getRuntime().totalMemory();
        long parameters = loop.parameters();
        long arenaBytes = loop.arena.bytes();
        loop.close();
        double[] s = Arrays.copyOfRange(r[0], warm, warm + timed);
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double masked = Arrays.stream(Arrays.copyOfRange(r[2], warm, warm + timed)).average().orElse(0);
        long samples = Math.round(k.seconds() * 16000);
        double flops = FlopCount.trainingFlops(k.model(), k.batch(), samples, Math.round(masked), k.negatives());
        System.out.printf(Locale.ROOT, "parameters             : %,d%n", parameters);
        System.out.printf(Locale.ROOT, "per update (s)         : %s%n", fmt(s));
        System.out.printf(Locale.ROOT, "median s/update        : %.3f  (min %.3f, max %.3f, n=%d)%n", median, sorted[0],
                sorted[sorted.length - 1], timed);
        System.out.printf(Locale.ROOT, "audio-seconds / second : %.2f%n", k.batch() * k.seconds() / median);
        System.out.printf(Locale.ROOT, "training FLOPs/update  : %.1f GFLOP (6 x analytic forward MACs, as the peer)%n",
                flops / 1e9);
        System.out.printf(Locale.ROOT, "achieved GFLOP/s       : %.1f%n", flops / median / 1e9);
        System.out.printf(Locale.ROOT, "peak RSS               : %.0f MB%n", Backends.peakResidentBytes() / 1048576.0);
        if (profile) {
            Map<String, long[]> sections = Profiler.snapshot();
            System.out.println("time per section (ms/update; nested sections also count in their parent):");
            for (var e : sections.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-18s %8.1f%n", e.getKey(), e.getValue()[0] / 1e6 / timed);
            }
            System.out.printf(Locale.ROOT, "memory: activation arena %.0f MB; parameters %.0f MB (as much again for"
                    + " gradients, twice for Adam's moments); JVM heap %.0f MB committed; the rest of the RSS is code,"
                    + " runtime and BLAS%n",
                    arenaBytes / 1048576.0, parameters * 4 / 1048576.0, heap / 1048576.0);
            System.out.println("largest arena buffers:");
            largest.forEach(line -> System.out.println("  " + line));
        }
    }

    /** wav2vec 1.0: the paper configuration at batch 2 x 4 s, or the small CPU preset's model at 4 x 3 s. */
    private void measureWav2Vec1(String name) {
        org.speechwb.engine.model.w2v1.Wav2Vec1Config mc;
        int batch;
        double seconds;
        try {
            switch (name) {
                case "w2v1-paper" -> {
                    mc = org.speechwb.engine.model.w2v1.Wav2Vec1Config.paper();
                    batch = 2;
                    seconds = 4.0;
                }
                case "w2v1-small" -> {
                    mc = org.speechwb.engine.config.Presets.pretrain("wav2vec1-small-cpu").wav2vec1();
                    batch = 4;
                    seconds = 3.0;
                }
                default -> throw new IllegalArgumentException("unknown config " + name + " (w2v1-paper, w2v1-small)");
            }
        } catch (org.speechwb.engine.config.ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        int negatives = 10;
        System.out.printf(Locale.ROOT, "%n== wav2vec 1.0 %s: batch %d x %.1f s, %d negatives, %s ==%n", name, batch, seconds,
                negatives, mc.receptiveField().describe());
        org.speechwb.engine.model.w2v1.Wav2Vec1Model model = new org.speechwb.engine.model.w2v1.Wav2Vec1Model(mc, 1,
                DataType.FLOAT);
        OptimizerConfig opt = new OptimizerConfig(5e-3, 0.9, 0.999, 1e-8, 0, true, "cosine", 0, 0, 0, 1, 0, 1);
        AdamW adam = new AdamW(opt, model.params().list());
        Arena arena = new Arena(DataType.FLOAT);
        Random nativeRng = Nd4j.getRandomFactory().getNewRandomInstance(1);
        Ctx ctx = new Ctx(arena, true, nativeRng);
        int samples = (int) Math.round(seconds * 16000);
        int frames = (int) mc.framesFor(samples);
        SplittableRandom rng = new SplittableRandom(1234);
        INDArray wave = Nd4j.create(DataType.FLOAT, batch, samples);
        double[] s = new double[updates];
        for (int u = 0; u < warmup + updates; u++) {
            if (u == warmup) {
                Profiler.reset();
                Profiler.enable(true);
            }
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.UniformDistribution(wave, -1, 1), nativeRng);
            long t0 = System.nanoTime();
            int[][][] neg = org.speechwb.engine.model.w2v1.StepNegatives.sample(batch, frames, negatives, rng);
            model.params().zeroGrads();
            model.step(ctx, new org.speechwb.engine.model.w2v1.Wav2Vec1Model.Batch(wave, neg, 1.0), 0, true, 1.0);
            adam.step(5e-3, Set.of());
            if (u >= warmup) {
                s[u - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Profiler.enable(false);
        arena.clear();
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double flops = 6 * FlopCount.forwardMacs(mc, batch, samples, negatives);
        System.out.printf(Locale.ROOT, "parameters             : %,d%n", model.params().count());
        System.out.printf(Locale.ROOT, "per update (s)         : %s%n", fmt(s));
        System.out.printf(Locale.ROOT, "median s/update        : %.3f  (min %.3f, max %.3f, n=%d)%n", median, sorted[0],
                sorted[sorted.length - 1], updates);
        System.out.printf(Locale.ROOT, "audio-seconds / second : %.2f%n", batch * seconds / median);
        System.out.printf(Locale.ROOT, "training FLOPs/update  : %.1f GFLOP (6 x analytic forward MACs)%n", flops / 1e9);
        System.out.printf(Locale.ROOT, "achieved GFLOP/s       : %.1f%n", flops / median / 1e9);
        System.out.printf(Locale.ROOT, "peak RSS               : %.0f MB%n", Backends.peakResidentBytes() / 1048576.0);
        if (profile) {
            for (var e : Profiler.snapshot().entrySet()) {
                System.out.printf(Locale.ROOT, "  %-18s %8.1f%n", e.getKey(), e.getValue()[0] / 1e6 / updates);
            }
        }
    }

    private void memoryGrowth(Case k, int count) {
        System.out.printf(Locale.ROOT, "%n== RSS over %d updates of the %s config ==%n", count, k.name());
        double[][] r = loop(k, count + 1, false, 0);
        // the loop collects garbage after every 50th update: compare resident memory at the same
        // phase (just after a collection), from the first collection after warm-up to the last
        List<String> marks = new ArrayList<>();
        int first = -1;
        int last = -1;
        for (int u = 50; u <= count; u += 50) {
            marks.add(String.format(Locale.ROOT, "%d:%.0f", u, r[1][u]));
            if (first < 0 && u >= 100) {
                first = u;
            }
            last = u;
        }
        System.out.println("RSS MB after update    : " + String.join("  ", marks));
        if (first > 0 && last > first) {
            double growth = 100 * (r[1][last] - r[1][first]) / r[1][first];
            System.out.printf(Locale.ROOT, "growth after warm-up   : %.1f %% (update %d -> %d)%n", growth, first, last);
        }
    }

    private static String fmt(double[] s) {
        StringBuilder b = new StringBuilder();
        for (double v : s) {
            b.append(String.format(Locale.ROOT, "%.3f ", v));
        }
        return b.toString().trim();
    }
}
