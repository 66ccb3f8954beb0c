package org.speechwb.app.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.experiment.ExperimentSplits;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.probe.ProbeRecipe;
import org.speechwb.engine.probe.Wav2Vec2Layers;
import org.speechwb.engine.run.CheckpointException;

/**
 * The engine work behind "Run probes", as the {@code probe} command does it: the experiment's
 * speaker-disjoint split of the dataset, a labeled subset of its training part, linear CTC
 * probes of every representation of the checkpoint and, optionally, of the same architecture at
 * random initialisation. Runs on a background thread; tells its {@link Listener} from there.
 * A cancelled job returns what it finished, marked cancelled, rather than nothing.
 */
final class ProbeJob implements Callable<ProbeReport> {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);
    /** The experiment's validation and test shares of a corpus without its own splits. */
    static final double VALID_FRACTION = 0.08;
    static final double TEST_FRACTION = 0.10;
    static final String RANDOM_INIT = "random init";

    /** What the user asked for. */
    record Settings(Path checkpoint, double labeledMinutes, int updates, boolean randomBaseline, ProbeRecipe probes,
                    long seed) {
    }

    /** Called on the job's thread. */
    interface Listener {
        /** A model is loaded and the representations named {@code layers} are being computed. */
        void modelStarted(String model, int modelIndex, int models, List<String> layers, String what);

        void layerDone(String model, int modelIndex, int models, int done, int total, LayerProbe.LayerScore score);
    }

    private final Settings settings;
    private final Dataset dataset;
    private final BooleanSupplier cancelled;
    private final Listener listener;

    ProbeJob(Settings settings, Dataset dataset, BooleanSupplier cancelled, Listener listener) {
        this.settings = settings;
        this.dataset = dataset;
        this.cancelled = cancelled;
        this.listener = listener;
    }

    @Override
    public ProbeReport call() throws IOException, CheckpointException {
        long t0 = System.nanoTime();
        Path ckpt = settings.checkpoint();
        if (!Files.exists(ckpt)) {
            throw new java.nio.file.NoSuchFileException(ckpt.toString(), null, "checkpoint or run folder not found");
        }
        ExperimentSplits splits = ExperimentSplits.of(dataset, VALID_FRACTION, TEST_FRACTION);
        List<Utterance> labeled = DatasetSplitter.labeledSubset(splits.train(), settings.labeledMinutes() * 60,
                settings.seed());
        if (labeled.isEmpty()) {
            throw new IllegalArgumentException(dataset.root() + ": no transcribed training utterance fits in "
                    + settings.labeledMinutes() + " labeled minutes");
        }
        double minutes = labeled.stream().mapToDouble(Utterance::seconds).sum() / 60;
        String data = String.format(Locale.ROOT, "%d + %d utterances", labeled.size(), splits.valid().size());
        LOG.info("Probes of {} on {}: {}; probe training set {} utterances ({} min)", ckpt, dataset.root(),
                splits.description(), labeled.size(), minutes);
        LayerProbe probe = settings.probes().probe(settings.updates(), ModelSelection.DEFAULT, LOG::info);
        int models = settings.randomBaseline() ? 2 : 1;
        List<ProbeReport.Model> done = new ArrayList<>();
        List<LayerProbe.LayerScore> partial = new ArrayList<>();
        String label = null;
        String description = null;
        boolean wasCancelled = false;
        try {
            for (int m = 0; m < models; m++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("layer probes cancelled");
                }
                Wav2Vec2Layers layers = m == 0 ? Wav2Vec2Layers.load(ckpt) : Wav2Vec2Layers.randomLike(ckpt, settings.seed());
                label = m == 0 ? checkpointLabel(ckpt, layers.description()) : RANDOM_INIT;
                description = layers.description();
                String modelLabel = label;
                int index = m;
                partial = new ArrayList<>();
                List<LayerProbe.LayerScore> scores = partial;
                listener.modelStarted(modelLabel, index, models, layers.layerNames(), "computing "
                        + layers.layerNames().size() + " representations of " + data);
                LayerProbe.Result r = run(probe, layers, labeled, splits.valid(), new LayerProbe.Progress() {
                    @Override
                    public void layerDone(int d, int total, LayerProbe.LayerScore score) {
                        scores.add(score);
                        listener.layerDone(modelLabel, index, models, d, total, score);
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelled.getAsBoolean();
                    }
                });
                done.add(new ProbeReport.Model(modelLabel, r.model(), r.layers(), true));
                partial = List.of();
            }
        } catch (CancellationException e) {
            wasCancelled = true;
            if (label != null && !partial.isEmpty()) {
                done.add(new ProbeReport.Model(label, description, List.copyOf(partial), false));
            }
        }
        return new ProbeReport(ckpt.toAbsolutePath().toString(), dataset.root().toString(), splits.description(),
                settings.labeledMinutes(), labeled.size(), minutes, splits.valid().size(), settings.updates(),
                settings.probes().lr(), settings.probes().seeds(), settings.seed(), wasCancelled,
                (System.nanoTime() - t0) / 1e9, done);
    }

    private LayerProbe.Result run(LayerProbe probe, Wav2Vec2Layers layers, List<Utterance> train,
                                  List<Utterance> valid, LayerProbe.Progress progress) throws IOException {
        try {
            return probe.run(layers, train, valid, progress);
        } catch (IllegalArgumentException e) {
            // e.g. every utterance shorter than its transcript needs at this model's frame rate
            throw new IllegalArgumentException(dataset.root() + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern UPDATE = Pattern.compile("\\(update (\\d+)\\)");

    /** "run-id (update 40)": the run folder's name, or the checkpoint's file name outside a run. */
    static String checkpointLabel(Path ckpt, String description) {
        Path abs = ckpt.toAbsolutePath().normalize();
        String name;
        if (Files.isDirectory(abs)) {
            name = abs.getFileName().toString();
        } else if (abs.getParent() != null && abs.getParent().getFileName() != null
                && abs.getParent().getFileName().toString().equals("checkpoints") && abs.getParent().getParent() != null) {
            String file = abs.getFileName().toString();
            name = abs.getParent().getParent().getFileName() + (file.equals("best.ckpt") ? " best" : "");
        } else {
            name = abs.getFileName().toString();
        }
        Matcher m = UPDATE.matcher(description);
        return m.find() ? name + " (update " + m.group(1) + ")" : name;
    }
}
