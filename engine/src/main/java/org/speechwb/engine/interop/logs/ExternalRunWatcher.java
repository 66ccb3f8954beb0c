package org.speechwb.engine.interop.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Follows a run made elsewhere while it trains (a log or TensorBoard folder on a mounted or
 * synced file system): polls the files' sizes and modification times and re-reads them when
 * they change. Re-reading whole files is simple and, for logs of a few MB, cheap; a partial last
 * line or record written at that moment is left for the next poll by the readers.
 */
public final class ExternalRunWatcher implements AutoCloseable {

    /** Called on the watcher's thread. */
    public interface Listener {
        void changed(ExternalRunLogs.Result logs);

        void failed(IOException e);
    }

    private final Path path;
    private final Listener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "external-run-watcher");
        t.setDaemon(true);
        return t;
    });
    private String lastSignature = "";

    private ExternalRunWatcher(Path path, Listener listener) {
        this.path = path;
        this.listener = listener;
    }

    /** Reads {@code path} at once, then every {@code interval} when it has changed. */
    public static ExternalRunWatcher start(Path path, Duration interval, Listener listener) {
        ExternalRunWatcher w = new ExternalRunWatcher(path, listener);
        w.timer.scheduleWithFixedDelay(w::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return w;
    }

    /** One poll: exposed so tests can step the watcher without waiting. */
    synchronized void poll() {
        try {
            String sig = signature(path);
            if (sig.equals(lastSignature)) {
                return;
            }
            lastSignature = sig;
            listener.changed(ExternalRunLogs.read(path));
        } catch (IOException e) {
            listener.failed(e);
        } catch (RuntimeException e) {
            listener.failed(new IOException(path + ": " + e.getMessage(), e));
        }
    }

    /** Sizes and modification times of every file under {@code path} (or of the file). */
    static String signature(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + ": does not exist (any more)");
        }
        if (!Files.isDirectory(path)) {
            return Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis();
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(path, 4)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(f).append(':').append(Files.size(f)).append('@')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
