package org.speechwb.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import javax.imageio.ImageIO;

import org.speechwb.app.AppPaths;
import org.speechwb.app.Screens;
import org.speechwb.app.shell.AppPreferences;
import org.speechwb.app.shell.ExecutorBackgroundTasks;
import org.speechwb.app.shell.FxNotifier;
import org.speechwb.app.shell.MainWindow;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.backend.Backends;

/**
 * The real workbench window (shell, all registered screens, real session and background
 * tasks) opened by a developer command instead of by {@code Launcher}: the benchmark and the
 * screenshot command drive it from their main thread. Runs and preferences go to folders the
 * caller chooses, so a developer's own runs and settings are never touched.
 */
public final class WorkbenchHarness {

    private final ScreenContext ctx;
    private final MainWindow window;
    private final Stage stage;

    private WorkbenchHarness(ScreenContext ctx, MainWindow window, Stage stage) {
        this.ctx = ctx;
        this.window = window;
        this.stage = stage;
    }

    /** Starts JavaFX (once per JVM). */
    public static void startToolkit() throws InterruptedException {
        Backends.init();
        CompletableFuture<Void> up = new CompletableFuture<>();
        try {
            Platform.startup(() -> up.complete(null));
        } catch (IllegalStateException already) {
            up.complete(null);
        }
        Platform.setImplicitExit(false);
        up.join();
    }

    /** Opens the main window of {@code width}×{@code height} on the FX thread and shows it. */
    public static WorkbenchHarness open(Path runs, Path configDir, double width, double height) throws Exception {
        Files.createDirectories(runs);
        Files.createDirectories(configDir);
        return fx(() -> {
            AppPaths paths = new AppPaths(TinyRuns.home(), runs, configDir);
            ExecutorBackgroundTasks tasks = new ExecutorBackgroundTasks();
            WorkbenchSession session = new WorkbenchSession(tasks);
            Stage stage = new Stage();
            FxNotifier notifier = new FxNotifier(() -> stage, tasks);
            notifier.setPopups(false);
            ScreenContext ctx = new ScreenContext(session, tasks, notifier, AppPreferences.load(configDir), paths,
                    () -> stage);
            session.navigate(ScreenId.DATASETS);
            MainWindow window = new MainWindow(ctx, Screens.defaultRegistry());
            Scene scene = new Scene(window.root(), width, height);
            scene.getStylesheets().add(Screens.stylesheet());
            Screens.wrapLongTooltips();
            stage.setScene(scene);
            stage.setTitle("wav2vec workbench");
            stage.show();
            return new WorkbenchHarness(ctx, window, stage);
        });
    }

    public ScreenContext context() {
        return ctx;
    }

    public WorkbenchSession session() {
        return ctx.session();
    }

    public Stage stage() {
        return stage;
    }

    public <T extends Screen> T screen(ScreenId id, Class<T> type) {
        Screen s = window.screen(id);
        if (!type.isInstance(s)) {
            throw new IllegalStateException(id + " is provided by " + (s == null ? "nobody" : s.getClass().getName())
                    + ", not " + type.getName() + " (META-INF/services on the class path?)");
        }
        return type.cast(s);
    }

    public void navigate(ScreenId id) throws Exception {
        fx(() -> {
            ctx.session().navigate(id);
            return null;
        });
    }

    /** Writes the window's scene as a PNG. */
    public void snapshot(Path png) throws Exception {
        WritableImage img = fx(() -> stage.getScene().snapshot(null));
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", png.toFile());
    }

    public void close() throws Exception {
        fx(() -> {
            window.dispose();
            stage.hide();
            ctx.tasks().shutdown();
            return null;
        });
    }

    /** Runs {@code c} on the FX thread and waits for its result. */
    public static <T> T fx(Callable<T> c) throws Exception {
        if (Platform.isFxApplicationThread()) {
            return c.call();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) { // NOPMD: handed to the waiting thread
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    /** Polls {@code condition} on the FX thread until it holds. */
    public static void waitFor(String what, long timeoutSeconds, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!fx(condition::getAsBoolean)) {
            if (System.nanoTime() > end) {
                throw new TimeoutException("timed out after " + timeoutSeconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Lets a few pulses pass so layout and pending repaints settle. */
    public static void settle(long millis) throws Exception {
        Thread.sleep(millis);
        fx(() -> null);
    }

    static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }
}
