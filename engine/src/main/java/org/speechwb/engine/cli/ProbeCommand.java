package org.speechwb.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.experiment.ExperimentSplits;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.probe.ProbeRecipe;
import org.speechwb.engine.probe.ProbeTable;
import org.speechwb.engine.probe.Wav2Vec2Layers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Layer-wise linear CTC probes of a wav2vec 2.0 checkpoint: a linear layer is trained on the"
                + " frozen feature encoder output, the Transformer input, every Transformer layer's output and (for a"
                + " pre-training checkpoint) the quantizer's codes, and scored"
                + " by greedy CER on validation speakers; the same architecture at random initialisation is probed too,"
                + " so the difference shows what pre-training put where.",
                "The labeled subset and validation speakers follow the experiment's speaker-disjoint split."})
final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "wav2vec 2.0 run folder or checkpoint")
    Path model;

    @Option(names = "--data", required = true, description = "labeled dataset (any layout)")
    Path data;

    @Option(names = "--labeled-minutes", defaultValue = "10", description = "probe training audio; default ${DEFAULT-VALUE}")
    double labeledMinutes;

    @Option(names = "--seed", defaultValue = "1", description = "labeled subset and random baseline model; default"
            + " ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--probe-seeds", split = ",", paramLabel = "N",
            description = "probe every representation once per seed (initialisation and batch order) and report the"
                    + " mean CER with its range: the range is the probe's own noise, which a difference between"
                    + " models must exceed; default ${DEFAULT-VALUE}")
    List<Long> probeSeeds = new ArrayList<>(ProbeRecipe.DEFAULT.seeds());

    @Option(names = "--updates", defaultValue = "1500", description = "updates per probe; default ${DEFAULT-VALUE}")
    int updates;

    @Option(names = "--lr", description = "probe peak learning rate; default ${DEFAULT-VALUE}")
    double lr = ProbeRecipe.DEFAULT.lr();

    @Option(names = "--representations", split = ",", paramLabel = "NAME",
            description = "probe only these: features, 0 (the Transformer's input) to the last layer, last, or codes"
                    + " (the quantizer's codes, one-hot: the pre-training targets); default: all")
    List<String> representations;

    @Option(names = "--no-random-baseline", description = "skip the randomly initialised model")
    boolean noBaseline;

    @Option(names = "--out", description = "write the results as JSON here")
    Path out;

    @Override
    public Integer call() throws Exception {
        Dataset ds = DatasetLoader.open(Cli.resolve(data));
        ExperimentSplits splits = ExperimentSplits.of(ds, 0.08, 0.10);
        System.out.println(splits.description());
        List<Utterance> labeled = DatasetSplitter.labeledSubset(splits.train(), labeledMinutes * 60, seed);
        System.out.printf(Locale.ROOT, "probe training set: %d utterances (%.1f min); validation: %d utterances%n",
                labeled.size(), labeled.stream().mapToDouble(Utterance::seconds).sum() / 60, splits.valid().size());
        LayerProbe probe = new ProbeRecipe(lr, probeSeeds).probe(updates, ModelSelection.DEFAULT, System.out::println);
        List<LayerProbe.Result> results = new ArrayList<>();
        Path m = Cli.resolve(model);
        Wav2Vec2Layers trained = Wav2Vec2Layers.load(m);
        List<Integer> which = representations == null
                ? trained.allRepresentations()
                : representations.stream().map(trained::representationIndex).distinct().toList();
        results.add(probe.run(trained, which, labeled, splits.valid(), null));
        if (!noBaseline) {
            results.add(probe.run(Wav2Vec2Layers.randomLike(m, seed), which, labeled, splits.valid(), null));
        }
        System.out.println();
        System.out.println(ProbeTable.markdown(results));
        if (out != null) {
            Path o = Cli.resolve(out);
            if (o.getParent() != null) {
                Files.createDirectories(o.getParent());
            }
            Files.writeString(o, ConfigIO.json().writeValueAsString(results));
            System.out.println("wrote " + o);
        }
        return 0;
    }
}
