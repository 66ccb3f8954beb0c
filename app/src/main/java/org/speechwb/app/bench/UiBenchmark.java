package org.speechwb.app.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import javafx.animation.AnimationTimer;
import javafx.scene.Scene;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;

import org.speechwb.app.charts.MetricChart;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.training.TrainingScreen;
import org.speechwb.app.training.TrainingViewModel;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;

/**
 * UI benchmark (a developer command, not a test): prints
 * <ol>
 * <li>time from JVM start to the first frame of the main window, and to a usable window (the
 *     bundled corpus scanned and shown);</li>
 * <li>MetricChart redraw time with 100 000 points per series (one chart of 1200×600, and the
 *     Training screen's eight charts together), smoothing on;</li>
 * <li>the longest gap between FX pulses while a real run of the engine's tiny config streams its
 *     metrics into the Training screen (an AnimationTimer keeps pulses coming at the display rate,
 *     so any gap beyond ~17 ms is time the FX thread was busy or starved).</li>
 * </ol>
 * Run with {@code ./workbench-dev bench}.
 */
public final class UiBenchmark {

    private UiBenchmark() {
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Records the wall-clock gaps between consecutive pulses, and the FX thread's own CPU time in
     * each gap: on a machine shared with other processes a long gap can be starvation (the FX
     * thread waiting for a core) rather than work, and the CPU time tells the two apart.
     */
    static final class PulseGaps extends AnimationTimer {
        private long last;
        private long lastCpu;
        private final List<Long> gaps = new ArrayList<>();
        private final List<Long> cpu = new ArrayList<>();

        @Override
        public void handle(long now) {
            long c = THREADS.getCurrentThreadCpuTime();
            if (last != 0) {
                gaps.add(now - last);
                cpu.add(c - lastCpu);
            }
            last = now;
            lastCpu = c;
        }

        double[] cpuMillis() {
            return cpu.stream().mapToDouble(g -> g / 1e6).sorted().toArray();
        }

        double[] millis() {
            return gaps.stream().mapToDouble(g -> g / 1e6).sorted().toArray();
        }
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path tmp = WorkbenchHarness.tempDir("wb-bench");
        WorkbenchHarness.startToolkit();
        WorkbenchHarness wb = WorkbenchHarness.open(tmp.resolve("runs"), tmp.resolve("config"), 1500, 940);
        long[] firstFrame = new long[1];
        WorkbenchHarness.fx(() -> {
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    firstFrame[0] = System.currentTimeMillis();
                    stop();
                }
            }.start();
            return null;
        });
        WorkbenchHarness.waitFor("the first frame", 60, () -> firstFrame[0] != 0);
        WorkbenchHarness.waitFor("the bundled corpus", 180,
                () -> wb.session().dataset() != null && wb.context().tasks().runningProperty().get() == 0);
        long usable = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "launch: JVM start -> first frame of the main window %.2f s; -> usable"
                + " (bundled corpus of %d utterances scanned and shown) %.2f s%n", (firstFrame[0] - jvmStart) / 1e3,
                WorkbenchHarness.fx(() -> wb.session().dataset().utterances().size()), (usable - jvmStart) / 1e3);

        chartRedraw();
        trainingStall(wb, updates);
        wb.close();
        javafx.application.Platform.exit();
        System.exit(0);
    }

    private static void chartRedraw() throws Exception {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = 3.5 + 2.0 * Math.exp(-i / 20000.0) + 0.3 * r.nextGaussian();
        }
        MetricChart one = WorkbenchHarness.fx(() -> {
            MetricChart c = new MetricChart("bench", "update", "bits");
            c.appendAll("loss", x, y);
            Stage s = new Stage();
            s.setScene(new Scene(c, 1200, 600));
            s.show();
            return c;
        });
        WorkbenchHarness.settle(500);
        time(one, 5); // warm-up: JIT and first-use class loading are not what a redraw costs
        double[] t = time(one, 20);
        System.out.printf(Locale.ROOT, "chart redraw, 1 chart 1200x600, 100k points (raw + smoothed, thinned per"
                + " pixel column): wall median %.1f ms, max %.1f ms; FX-thread CPU median %.1f ms, max %.1f ms"
                + " (20 redraws)%n", t[0], t[1], t[2], t[3]);
        List<MetricChart> eight = WorkbenchHarness.fx(() -> {
            GridPane grid = new GridPane();
            List<MetricChart> cs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                MetricChart c = new MetricChart("bench " + i, "update", "y");
                c.appendAll("s", x, y);
                c.setPrefSize(620, 240);
                grid.add(c, i % 2, i / 2);
                cs.add(c);
            }
            Stage s = new Stage();
            s.setScene(new Scene(grid, 1240, 960));
            s.show();
            one.getScene().getWindow().hide();
            return cs;
        });
        WorkbenchHarness.settle(500);
        double[] all = new double[12];
        double[] allCpu = new double[12];
        for (int k = 0; k < all.length; k++) {
            double[] sample = WorkbenchHarness.fx(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (MetricChart c : eight) {
                    c.flush();
                }
                return new double[] {(System.nanoTime() - t0) / 1e6, (THREADS.getCurrentThreadCpuTime() - c0) / 1e6};
            });
            all[k] = sample[0];
            allCpu[k] = sample[1];
        }
        Arrays.sort(all);
        Arrays.sort(allCpu);
        System.out.printf(Locale.ROOT, "chart redraw, Training screen layout (8 charts of 620x240, 100k points each,"
                + " all eight): wall median %.1f ms, max %.1f ms; FX-thread CPU median %.1f ms, max %.1f ms%n",
                all[all.length / 2], all[all.length - 1], allCpu[allCpu.length / 2], allCpu[allCpu.length - 1]);
        WorkbenchHarness.fx(() -> {
            eight.get(0).getScene().getWindow().hide();
            return null;
        });
    }

    /** Median and max wall time, median and max FX-thread CPU time of {@code reps} redraws. */
    private static double[] time(MetricChart c, int reps) throws Exception {
        double[] t = new double[reps];
        double[] cpu = new double[reps];
        for (int k = 0; k < reps; k++) {
            double[] one = WorkbenchHarness.fx(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                c.flush();
                return new double[] {(System.nanoTime() - t0) / 1e6, (THREADS.getCurrentThreadCpuTime() - c0) / 1e6};
            });
            t[k] = one[0];
            cpu[k] = one[1];
        }
        Arrays.sort(t);
        Arrays.sort(cpu);
        return new double[] {t[reps / 2], t[reps - 1], cpu[reps / 2], cpu[reps - 1]};
    }

    private static void trainingStall(WorkbenchHarness wb, int updates) throws Exception {
        PretrainConfig cfg = ConfigOverrides.apply(TinyRuns.tinyConfig(), List.of("run.maxUpdates=" + updates,
                "run.checkpointInterval=20"), PretrainConfig.class);
        WorkbenchHarness.fx(() -> {
            wb.session().configProperty().set(cfg);
            wb.session().configNameProperty().set("tiny-bench");
            return null;
        });
        wb.navigate(ScreenId.TRAINING);
        TrainingViewModel vm = wb.screen(ScreenId.TRAINING, TrainingScreen.class).viewModel();
        WorkbenchHarness.waitFor("Start to be enabled", 30, () -> vm.canStartProperty().get());
        WorkbenchHarness.settle(500);
        PulseGaps gaps = new PulseGaps();
        long t0 = System.nanoTime();
        WorkbenchHarness.fx(() -> {
            gaps.start();
            vm.start();
            return null;
        });
        WorkbenchHarness.waitFor("the run to finish", 1800, () -> vm.shown().stateProperty().get() != null
                && vm.shown().stateProperty().get().terminal() && wb.session().activeRun() != null
                && !wb.session().activeRun().isLive());
        WorkbenchHarness.settle(300);
        WorkbenchHarness.fx(() -> {
            gaps.stop();
            return null;
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] g = gaps.millis();
        double[] cpu = gaps.cpuMillis();
        long over50 = Arrays.stream(g).filter(v -> v > 50).count();
        int done = WorkbenchHarness.fx(() -> vm.shown().updateProperty().get());
        System.out.printf(Locale.ROOT, "FX thread during a real tiny training run (%d updates in %.1f s, %s):"
                + " longest gap between pulses %.1f ms, 99th percentile %.1f ms, median %.1f ms, %d of %d gaps"
                + " over 50 ms; FX-thread CPU time within one gap: max %.1f ms, 99th percentile %.1f ms%n", done,
                seconds, WorkbenchHarness.fx(() -> vm.shown().stateProperty().get()), g[g.length - 1],
                g[(int) Math.floor(0.99 * (g.length - 1))], g[g.length / 2], over50, g.length, cpu[cpu.length - 1],
                cpu[(int) Math.floor(0.99 * (cpu.length - 1))]);
        double[] load = {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.1f (other processes compete for the cores"
                + " and stretch wall-clock gaps)%n", Runtime.getRuntime().availableProcessors(), load[0]);
    }
}
