package org.speechwb.app.codebook;

import javafx.scene.Node;

import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ScreenProvider;
import org.speechwb.app.training.RunFocus;

/** Plugs the Codebook screen into the shell (listed in META-INF/services). */
public final class CodebookScreen implements Screen {

    private final CodebookViewModel vm;
    private final CodebookView view;

    public CodebookScreen(ScreenContext ctx) {
        vm = new CodebookViewModel(ctx.tasks(), new RunFocus(ctx.session()));
        view = new CodebookView(vm);
        // the Training screen's "Smoothing (all charts)": one smoothing wherever curves are drawn
        view.perplexityChart().smoothingProperty().bindBidirectional(ctx.preferences().chartSmoothingProperty());
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onShown() {
        view.redrawUsage();
    }

    public CodebookViewModel viewModel() {
        return vm;
    }

    public CodebookView codebookView() {
        return view;
    }

    /** The ServiceLoader entry point. */
    public static final class Provider implements ScreenProvider {
        @Override
        public ScreenId id() {
            return ScreenId.CODEBOOK;
        }

        @Override
        public Screen create(ScreenContext context) {
            return new CodebookScreen(context);
        }
    }
}
