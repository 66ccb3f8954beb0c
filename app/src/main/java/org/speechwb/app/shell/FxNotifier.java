package org.speechwb.app.shell;

import java.time.Instant;
import java.util.function.Supplier;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;

import org.controlsfx.control.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows notices as ControlsFX notifications over the main window; everything is logged. */
public final class FxNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(FxNotifier.class);
    private static final int MAX_HISTORY = 500;

    private final ObservableList<Notice> history = FXCollections.observableArrayList();
    private final Supplier<Window> owner;
    private final BackgroundTasks tasks;
    private volatile boolean popups = true;

    public FxNotifier(Supplier<Window> owner, BackgroundTasks tasks) {
        this.owner = owner;
        this.tasks = tasks;
    }

    /** Headless tests turn the pop-ups off and read {@link #history()} instead. */
    public void setPopups(boolean show) {
        popups = show;
    }

    @Override
    public void info(String title, String message) {
        LOG.info("{}: {}", title, message);
        show(Level.INFO, title, message);
    }

    @Override
    public void warning(String title, String message) {
        LOG.warn("{}: {}", title, message);
        show(Level.WARNING, title, message);
    }

    @Override
    public void error(String title, String message, Throwable cause) {
        if (cause != null && !(cause instanceof java.util.concurrent.CancellationException)) {
            LOG.error("{}: {}", title, message, cause);
        } else {
            LOG.error("{}: {}", title, message);
        }
        show(Level.ERROR, title, message);
    }

    @Override
    public ObservableList<Notice> history() {
        return history;
    }

    private void show(Level level, String title, String message) {
        tasks.runOnUi(() -> {
            history.add(new Notice(Instant.now(), level, title, message));
            if (history.size() > MAX_HISTORY) {
                history.remove(0);
            }
            Window w = owner.get();
            if (!popups || w == null || !w.isShowing()) {
                return;
            }
            try {
                Notifications n = Notifications.create().title(title).text(wrap(message)).owner(w)
                        .position(Pos.BOTTOM_RIGHT)
                        .hideAfter(Duration.seconds(level == Level.ERROR ? 12 : 6));
                switch (level) {
                    case INFO -> n.showInformation();
                    case WARNING -> n.showWarning();
                    case ERROR -> n.showError();
                }
            } catch (RuntimeException e) {
                // a notice that cannot pop up is still in the history and the log
                LOG.debug("notification not shown", e);
            }
        });
    }

    /** Keeps long engine messages (paths, lists of fields) readable in a narrow pop-up. */
    static String wrap(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String word : s.split(" ")) {
            if (col > 0 && col + word.length() > 70) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
