package org.speechwb.engine.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.speechwb.engine.backend.Backends;

/**
 * One block of updates of the libtorch peer benchmark ({@code ../shared/peers/pytorch-w2v2},
 * {@code peer.jar}), run as a child process so that its native libraries (libtorch, OpenBLAS,
 * GNU OpenMP) never share a process with ND4J's. Reads the per-update wall times it prints and
 * samples its peak resident memory (VmHWM) while it runs.
 */
public final class PeerRun {

    private static final Pattern UPDATE = Pattern.compile("^update\\s+\\d+:\\s+([0-9.]+) s");

    /** Per-update seconds of the timed updates and the child's peak RSS in bytes (-1 if unknown). */
    public record Result(double[] seconds, long peakRss) {
    }

    private PeerRun() {
    }

    /**
     * @param jar       the peer's {@code peer.jar}
     * @param modelArgs the peer's model and batch options (empty for its BASE defaults)
     */
    public static Result run(Path jar, List<String> modelArgs, int warmup, int updates) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + ": no such file (build it with: mvn -q -f ../shared/peers/pytorch-w2v2/pom.xml"
                    + " package)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        // an empty library path keeps a system libtorch (Debian's python3-torch) from being
        // linked against the peer's bundled 2.5.1 binding, which crashes at load time
        cmd.add("-Djava.library.path=");
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(modelArgs);
        cmd.addAll(List.of("--warmup", Integer.toString(warmup), "--updates", Integer.toString(updates)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // set before the peer's JVM starts, so it does not relaunch itself (and we watch the right pid)
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        List<Double> seconds = new ArrayList<>();
        List<String> tail = new ArrayList<>();
        long[] peak = {-1};
        Thread sampler = new Thread(() -> {
            while (p.isAlive()) {
                peak[0] = Math.max(peak[0], Backends.peakResidentBytes(p.pid()));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peer-rss");
        sampler.setDaemon(true);
        sampler.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Matcher m = UPDATE.matcher(line);
                if (m.find()) {
                    seconds.add(Double.parseDouble(m.group(1)));
                }
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            sampler.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the peer", e);
        }
        if (p.exitValue() != 0 || seconds.size() != updates) {
            throw new IOException("the peer (" + String.join(" ", cmd) + ") exited with status " + p.exitValue()
                    + " after " + seconds.size() + " of " + updates + " timed updates; its last lines:\n"
                    + String.join("\n", tail));
        }
        return new Result(seconds.stream().mapToDouble(Double::doubleValue).toArray(), peak[0]);
    }
}
