package org.speechwb.app.inspect;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javafx.scene.Node;

import org.speechwb.app.audio.SpectrogramModel;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.ScreenProvider;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.TrainingEvent;

/**
 * Plugs the Inspect screen into the shell and keeps its pickers in step with the session: the
 * utterances of the current dataset, the checkpoints of every run (refreshed when shown and when
 * the active run saves one), the run or checkpoint picked on the Runs screen.
 *
 * <p>Models run on one dedicated thread: loading two checkpoints at once would only double the
 * memory, and the inspector reuses the loaded model while the checkpoint stays the same.
 */
public final class InspectScreen implements Screen {

    private final ScreenContext ctx;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wb-inspect");
        t.setDaemon(true);
        return t;
    });
    private final InspectViewModel vm;
    private final InspectView view;
    private Runnable unsubscribe = () -> { };

    public InspectScreen(ScreenContext ctx) {
        this.ctx = ctx;
        this.vm = new InspectViewModel(worker, SpectrogramModel.using(ctx.tasks()));
        this.view = new InspectView(vm);
        WorkbenchSession s = ctx.session();
        s.datasetProperty().addListener((o, a, b) -> setDataset(b));
        setDataset(s.dataset());
        s.selectedCheckpointProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.selectCheckpoint(b, runIdOf(b));
            }
        });
        s.selectedRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                refresh(b);
            }
        });
        s.activeRunProperty().addListener((o, a, b) -> watch(b));
        watch(s.activeRun());
        refresh(null);
    }

    private void setDataset(Dataset ds) {
        if (ds == null) {
            vm.utterances().clear();
            return;
        }
        vm.utterances().setAll(ds.utterances());
        if (vm.utteranceProperty().get() == null || !ds.utterances().contains(vm.utteranceProperty().get())) {
            vm.utteranceProperty().set(ds.utterances().isEmpty() ? null : ds.utterances().get(0));
        }
    }

    private void watch(ActiveRun run) {
        unsubscribe.run();
        unsubscribe = () -> { };
        if (run != null) {
            unsubscribe = run.subscribe(events -> {
                if (events.stream().anyMatch(e -> e instanceof TrainingEvent.CheckpointSaved)) {
                    refresh(null);
                }
            });
        }
    }

    private void refresh(RunFolder prefer) {
        ActiveRun active = ctx.session().activeRun();
        vm.refreshRuns(ctx.paths().runs(), active == null ? null : active.run(), prefer);
    }

    private static String runIdOf(Path checkpoint) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("checkpoints")
                && dir.getParent() != null) {
            return dir.getParent().getFileName().toString();
        }
        return String.valueOf(dir == null ? checkpoint : dir.getFileName());
    }

    public InspectViewModel viewModel() {
        return vm;
    }

    public InspectView inspectView() {
        return view;
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void onShown() {
        refresh(null);
    }

    @Override
    public void onHidden() {
        view.stopPlayback();
    }

    @Override
    public void dispose() {
        unsubscribe.run();
        view.stopPlayback();
        worker.shutdownNow();
    }

    /** The ServiceLoader entry point. */
    public static final class Provider implements ScreenProvider {
        @Override
        public ScreenId id() {
            return ScreenId.INSPECT;
        }

        @Override
        public Screen create(ScreenContext context) {
            return new InspectScreen(context);
        }
    }
}
