package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a stopped or crashed run from its newest checkpoint, on the data it was started with.")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "run folder (or run id under --runs)")
    String runId;

    @Option(names = "--runs", defaultValue = "runs", description = "folder holding run folders; default ${DEFAULT-VALUE}")
    Path runs;

    @Option(names = "--updates", description = "train up to this update count instead of the config's run.maxUpdates")
    Integer updates;

    @Option(names = "--data", description = "dataset to use instead of the one recorded in the run (its fingerprint must match)")
    Path data;

    @Option(names = "--print-every", defaultValue = "10", description = "progress line every N updates")
    int printEvery;

    @Override
    public Integer call() throws Exception {
        Backends.init();
        RunFolder run = new RunStore(Cli.resolve(runs)).open(runId);
        Provenance prov = run.provenance();
        Path dataPath = data != null ? Cli.resolve(data) : Path.of(prov.datasetPath());
        Dataset dataset = DatasetLoader.open(dataPath);
        if (!dataset.fingerprint().equals(prov.datasetFingerprint())) {
            System.err.println("error: the data at " + dataPath + " differs from what run " + run.id()
                    + " was trained on (fingerprint " + dataset.fingerprint() + " vs " + prov.datasetFingerprint()
                    + "); resuming would not continue the same run");
            return 2;
        }
        if (run.isFinetune()) {
            return ConsoleTraining.run(new org.speechwb.engine.train.FineTuner(run, run.readUtterances("train", dataset),
                    run.readUtterances("valid", dataset), new ConsoleTraining(System.out, printEvery), updates));
        }
        // runs record their utterances when they start; older runs fall back to the split name
        List<Utterance> train = run.hasUtterances("train") ? run.readUtterances("train", dataset)
                : TrainingData.select(dataset, prov.split());
        return ConsoleTraining.run(new Pretrainer(run, train, new ConsoleTraining(System.out, printEvery), updates));
    }
}
