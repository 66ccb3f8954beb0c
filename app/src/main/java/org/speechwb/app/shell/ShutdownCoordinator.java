package org.speechwb.app.shell;

import java.util.Optional;
import java.util.function.Supplier;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.train.RunState;

/**
 * Decides what closing the window means while a run trains: the user either keeps training
 * (the close is cancelled) or stops it, in which case the trainer writes a checkpoint and the
 * window closes only after the trainer has returned. Metrics are appended by the trainer
 * after every update, so none are lost either way.
 */
public final class ShutdownCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCoordinator.class);

    /** The question asked while training; answers true to stop, false to keep training. */
    public interface StopQuestion {
        boolean askStop(ActiveRun run);
    }

    private final WorkbenchSession session;
    private final Runnable closeNow;
    private final StopQuestion question;
    private boolean stopping;

    /**
     * @param closeNow saves the preferences and closes the window for good (UI thread)
     */
    public ShutdownCoordinator(WorkbenchSession session, Runnable closeNow, StopQuestion question) {
        this.session = session;
        this.closeNow = closeNow;
        this.question = question;
    }

    /** Handler for {@code stage.setOnCloseRequest}. */
    public void onCloseRequest(WindowEvent e) {
        if (!requestClose()) {
            e.consume();
        }
    }

    /**
     * @return true if the window may close now; false if closing was cancelled or will happen
     *         once the trainer has stopped
     */
    public boolean requestClose() {
        if (stopping) {
            return false;
        }
        if (!session.isTraining()) {
            closeNow.run();
            return true;
        }
        ActiveRun run = session.activeRun();
        if (!question.askStop(run)) {
            return false;
        }
        stopping = true;
        LOG.info("Window closing: stopping run {} (checkpoint first)", run.run().id());
        run.requestStop();
        session.trainerThreadDone().whenComplete((state, err) -> session.tasks().runOnUi(() -> {
            LOG.info("Run {} stopped as {}; closing", run.run().id(), state);
            closeNow.run();
        }));
        return false;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** The real question: a dialog owned by the main window. */
    public static StopQuestion dialog(Supplier<Window> owner) {
        return run -> {
            ButtonType stop = new ButtonType("Stop and save checkpoint", ButtonBar.ButtonData.OK_DONE);
            ButtonType keep = new ButtonType("Keep training", ButtonBar.ButtonData.CANCEL_CLOSE);
            Alert a = new Alert(Alert.AlertType.CONFIRMATION,
                    "Run " + run.run().id() + " is " + run.state().name().toLowerCase(java.util.Locale.ROOT)
                            + ". Stop it now? The trainer saves a checkpoint first, so the run can be resumed "
                            + "from the Runs screen; every metric so far is already on disk.", stop, keep);
            a.setTitle("Training in progress");
            a.setHeaderText("Close the workbench while training?");
            a.initOwner(owner.get());
            Optional<ButtonType> answer = a.showAndWait();
            return answer.isPresent() && answer.get() == stop;
        };
    }

    /** Shown while the trainer finishes its checkpoint. */
    public static void showStopping(Window owner, WorkbenchSession session) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "Saving a checkpoint and stopping the run…");
        a.setHeaderText("Stopping");
        a.getButtonTypes().clear();
        a.initOwner(owner);
        a.show();
        session.trainerThreadDone().whenComplete((RunState s, Throwable t) -> session.tasks().runOnUi(() -> {
            a.getButtonTypes().add(ButtonType.CLOSE);
            a.close();
        }));
    }
}
