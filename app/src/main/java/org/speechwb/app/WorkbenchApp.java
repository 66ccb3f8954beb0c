package org.speechwb.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.Duration;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.app.shell.AppPreferences;
import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ExecutorBackgroundTasks;
import org.speechwb.app.shell.FxNotifier;
import org.speechwb.app.shell.LastRun;
import org.speechwb.app.shell.MainWindow;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ScreenRegistry;
import org.speechwb.app.shell.ShutdownCoordinator;
import org.speechwb.app.shell.WorkbenchSession;

/**
 * The JavaFX application: wires paths, preferences, background work, the session and the main
 * window, restores the window as it was left, and saves it again on close.
 *
 * <p>A launch opens the last dataset (scanned at once, whichever screen is shown) and the last
 * run started or picked, or the newest run ({@link LastRun}).
 *
 * <p>Options (after {@code ./workbench}): {@code --dataset=PATH} opens that dataset instead of
 * the last one; {@code --screen=NAME} starts on a screen. {@code --snapshot-dir=DIR} (for
 * developers) writes a PNG of every screen once the dataset is loaded, and with
 * {@code --snapshot-exit} then quits.
 */
public final class WorkbenchApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchApp.class);

    private AppPaths paths;
    private AppPreferences prefs;
    private BackgroundTasks tasks;
    private WorkbenchSession session;
    private MainWindow window;
    private Stage stage;

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        Map<String, String> named = getParameters().getNamed();
        paths = AppPaths.fromSystemProperties();
        prefs = AppPreferences.load(paths.configDir());
        if (named.containsKey("dataset")) {
            prefs.values().lastDataset = Path.of(named.get("dataset")).toAbsolutePath().normalize().toString();
        }
        tasks = new ExecutorBackgroundTasks();
        session = new WorkbenchSession(tasks);
        FxNotifier notifier = new FxNotifier(() -> stage, tasks);
        ScreenContext ctx = new ScreenContext(session, tasks, notifier, prefs, paths, () -> stage);
        ScreenId first = parseScreen(named.getOrDefault("screen", prefs.values().screen));
        session.navigate(first);
        window = new MainWindow(ctx, Screens.defaultRegistry());
        LastRun.track(ctx);
        LastRun.restore(ctx);

        Scene scene = new Scene(window.root(), 1400, 900);
        scene.getStylesheets().add(Screens.stylesheet());
        Screens.wrapLongTooltips();
        stage.setScene(scene);
        stage.setTitle("wav2vec workbench");
        restoreGeometry();
        ShutdownCoordinator shutdown = new ShutdownCoordinator(session, this::closeNow,
                ShutdownCoordinator.dialog(() -> stage));
        stage.setOnCloseRequest(e -> {
            shutdown.onCloseRequest(e);
            if (shutdown.isStopping()) {
                ShutdownCoordinator.showStopping(stage, session);
            }
        });
        stage.show();
        if (named.containsKey("snapshot-dir")) {
            snapshots(Path.of(named.get("snapshot-dir")), getParameters().getRaw().contains("--snapshot-exit"));
        }
    }

    private static ScreenId parseScreen(String s) {
        if (s != null) {
            try {
                return ScreenId.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOG.info("Unknown screen '{}', starting on Datasets", s);
            }
        }
        return ScreenId.DATASETS;
    }

    private void restoreGeometry() {
        AppPreferences.Values v = prefs.values();
        if (v.windowWidth != null && v.windowHeight != null) {
            stage.setWidth(Math.max(800, v.windowWidth));
            stage.setHeight(Math.max(600, v.windowHeight));
        }
        if (v.windowX != null && v.windowY != null) {
            // only where a screen still is (a laptop undocked since)
            Rectangle2D r = new Rectangle2D(v.windowX, v.windowY, 100, 50);
            if (Screen.getScreens().stream().anyMatch(s -> s.getVisualBounds().intersects(r))) {
                stage.setX(v.windowX);
                stage.setY(v.windowY);
            }
        }
        stage.setMaximized(v.maximized);
    }

    private void saveGeometry() {
        AppPreferences.Values v = prefs.values();
        v.maximized = stage.isMaximized();
        if (!stage.isMaximized()) {
            v.windowX = stage.getX();
            v.windowY = stage.getY();
            v.windowWidth = stage.getWidth();
            v.windowHeight = stage.getHeight();
        }
        v.screen = session.screenProperty().get().name();
    }

    private void closeNow() {
        saveGeometry();
        prefs.save();
        window.dispose();
        stage.hide();
        Platform.exit();
    }

    @Override
    public void stop() {
        if (tasks != null) {
            tasks.shutdown();
        }
    }

    /** Developer aid: PNGs of every screen, to look at what users see (Xvfb on a server). */
    private void snapshots(Path dir, boolean exit) {
        long started = System.currentTimeMillis();
        Timeline wait = new Timeline();
        wait.getKeyFrames().add(new KeyFrame(Duration.millis(500), e -> {
            boolean ready = session.dataset() != null && tasks.runningProperty().get() == 0;
            if (!ready && System.currentTimeMillis() - started < 120_000) {
                return;
            }
            wait.stop();
            shoot(dir, ScreenId.values(), 0, exit);
        }));
        wait.setCycleCount(Timeline.INDEFINITE);
        wait.play();
    }

    private void shoot(Path dir, ScreenId[] ids, int i, boolean exit) {
        if (i == ids.length) {
            if (exit) {
                closeNow();
            }
            return;
        }
        session.navigate(ids[i]);
        Timeline later = new Timeline(new KeyFrame(Duration.seconds(2.5), e -> {
            if (tasks.runningProperty().get() > 0) {
                shoot(dir, ids, i, exit);
                return;
            }
            try {
                Files.createDirectories(dir);
                WritableImage img = stage.getScene().snapshot(null);
                Path out = dir.resolve(ids[i].snapshotName());
                ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
                LOG.info("Snapshot {}", out);
            } catch (IOException ex) {
                LOG.error("Snapshot failed", ex);
            }
            shoot(dir, ids, i + 1, exit);
        }));
        later.play();
    }
}
