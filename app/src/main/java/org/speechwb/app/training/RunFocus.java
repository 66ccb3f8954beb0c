package org.speechwb.app.training;

import java.util.Objects;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ExternalRun;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.run.RunFolder;

/**
 * Which run the Training and Codebook screens show: the active run when one is started, a run
 * picked on the Runs screen when that happens later (reopened from its files), or a run made
 * elsewhere that the Runs screen started following ({@link ExternalRun}). Whichever changed last
 * wins, so picking an old run while another trains shows the old one until the user goes back to
 * the live one ({@link #showLive()}).
 */
public final class RunFocus {

    /**
     * The run shown: one of ours ({@code run}; {@code live} is non-null when it is the session's
     * active run) or one made elsewhere ({@code external}, with {@code run} null).
     */
    public record Focus(RunFolder run, ActiveRun live, ExternalRun external) {
        public Focus {
            if ((run == null) == (external == null)) {
                throw new IllegalArgumentException("a focus is either one of our runs or an external one");
            }
        }

        public Focus(RunFolder run, ActiveRun live) {
            this(Objects.requireNonNull(run), live, null);
        }

        public boolean isLive() {
            return live != null;
        }

        public boolean isExternal() {
            return external != null;
        }

        /** The name the screens give the run. */
        public String title() {
            return external != null ? external.title() : run.id();
        }
    }

    private final WorkbenchSession session;
    private final ReadOnlyObjectWrapper<Focus> focus = new ReadOnlyObjectWrapper<>(this, "focus");

    public RunFocus(WorkbenchSession session) {
        this.session = session;
        session.activeRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                focus.set(new Focus(b.run(), b));
            }
        });
        session.selectedRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                show(b);
            }
        });
        session.externalRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                focus.set(new Focus(null, null, b));
            }
        });
        if (session.activeRun() != null) {
            focus.set(new Focus(session.activeRun().run(), session.activeRun()));
        } else if (session.selectedRunProperty().get() != null) {
            show(session.selectedRunProperty().get());
        }
    }

    public ReadOnlyObjectProperty<Focus> focusProperty() {
        return focus.getReadOnlyProperty();
    }

    public Focus focus() {
        return focus.get();
    }

    /** Shows {@code run}; it is live when it is the active run's folder. */
    public void show(RunFolder run) {
        ActiveRun active = session.activeRun();
        if (active != null && active.run().dir().equals(run.dir())) {
            focus.set(new Focus(active.run(), active));
        } else {
            focus.set(new Focus(run, null));
        }
    }

    /** Back to the active run, if any. */
    public void showLive() {
        ActiveRun active = session.activeRun();
        if (active != null) {
            focus.set(new Focus(active.run(), active));
        }
    }
}
