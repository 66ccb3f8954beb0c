package org.speechwb.app.probe;

import javafx.scene.Node;

import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;

/**
 * The Probes screen: linear CTC probes of every layer of a wav2vec 2.0 checkpoint (and of its
 * random initialisation) on the session's dataset, as the engine's {@code probe} command runs them.
 */
public final class ProbeScreen implements Screen {

    private final ProbeViewModel vm;
    private final ProbeView view;

    public ProbeScreen(ScreenContext ctx) {
        this.vm = new ProbeViewModel(ctx);
        this.view = new ProbeView(vm, ctx);
    }

    public ProbeViewModel viewModel() {
        return vm;
    }

    public ProbeView probeView() {
        return view;
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void dispose() {
        vm.dispose();
    }
}
