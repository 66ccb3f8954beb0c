package org.speechwb.app.training;

import javafx.scene.Node;

import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ScreenProvider;

/** Plugs the Training screen into the shell (listed in META-INF/services). */
public final class TrainingScreen implements Screen {

    private final TrainingViewModel vm;
    private final TrainingView view;

    public TrainingScreen(ScreenContext ctx) {
        vm = new TrainingViewModel(ctx, new RunFocus(ctx.session()));
        view = new TrainingView(vm);
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onShown() {
        vm.refreshPretrainedChoices();
    }

    public TrainingViewModel viewModel() {
        return vm;
    }

    public TrainingView trainingView() {
        return view;
    }

    /** The ServiceLoader entry point. */
    public static final class Provider implements ScreenProvider {
        @Override
        public ScreenId id() {
            return ScreenId.TRAINING;
        }

        @Override
        public Screen create(ScreenContext context) {
            return new TrainingScreen(context);
        }
    }
}
