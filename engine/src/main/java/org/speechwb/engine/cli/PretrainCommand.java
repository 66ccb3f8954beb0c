package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train wav2vec 2.0, wav2vec 1.0 or vq-wav2vec (the config's family) on a dataset, in a new run"
                + " folder (resumable with 'resume').")
final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--config",
            description = "preset name (wav2vec2-small-cpu, wav2vec2-base, wav2vec2-large, wav2vec1-small-cpu, wav2vec1-paper,"
                    + " wav2vec1-large, vq-wav2vec-small-cpu, vq-wav2vec-gumbel, vq-wav2vec-kmeans) or a YAML/JSON file;"
                    + " default wav2vec2-small-cpu, or with --init-from the config stored in that checkpoint")
    String config;

    @Option(names = "--init-from", description = "continued pre-training: start from the weights of this wav2vec 2.0"
            + " pre-training run or checkpoint (an imported Hugging Face / fairseq model, say), with a fresh optimiser")
    Path initFrom;

    @Option(names = "--data", defaultValue = "datasets/harvard-tts",
            description = "dataset folder or manifest; default ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--split", defaultValue = "train",
            description = "split to train on (train, valid, test or all); default ${DEFAULT-VALUE}")
    String split;

    @Option(names = "--runs", defaultValue = "runs", description = "folder holding run folders; default ${DEFAULT-VALUE}")
    Path runs;

    @Option(names = "--name", description = "run name (part of the run folder's name); default: the config name")
    String name;

    @Option(names = "--set", description = "override a config field, e.g. --set masking.maskProb=0.5 --set run.maxUpdates=200")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--print-every", defaultValue = "10", description = "progress line every N updates")
    int printEvery;

    @Option(names = "--dry-run", description = "print the resolved config and exit")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Backends.init();
        PretrainConfig cfg;
        try {
            PretrainConfig base = config == null && initFrom != null ? storedConfig(Cli.resolve(initFrom))
                    : Presets.pretrainFromNameOrFile(config == null ? "wav2vec2-small-cpu" : config);
            cfg = ConfigOverrides.apply(base, overrides, PretrainConfig.class);
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (dryRun) {
            System.out.print(ConfigIO.toYaml(cfg));
            return 0;
        }
        Path dataPath = Cli.resolve(data);
        Dataset dataset = DatasetLoader.open(dataPath);
        List<Utterance> train = TrainingData.select(dataset, split);
        for (var s : dataset.skipped()) {
            System.err.println("skipped " + s.file() + ": " + s.reason() + " " + s.detail());
        }
        Backends.Info device = Backends.describe();
        Provenance prov = new Provenance(dataset.root().toString(), dataset.format().name(), dataset.fingerprint(), split,
                train.size(), train.stream().mapToDouble(Utterance::seconds).sum() / 3600, Provenance.gitCommit(Cli.home()),
                Provenance.ENGINE_VERSION, device.backend() + " / " + device.blas(), device.device(),
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Provenance.now(), Cli.commandLine());
        String runName = name != null ? name : config != null ? Path.of(config).getFileName().toString()
                .replaceAll("\\.(ya?ml|json)$", "") : "continued";
        RunFolder run = new RunStore(Cli.resolve(runs)).create(runName, cfg, prov);
        if (initFrom != null) {
            Pretrainer.initialiseFrom(run, Cli.resolve(initFrom));
            System.out.println("starting from the weights of " + initFrom);
        }
        System.out.printf("training on %d utterances (%.2f h) of %s [%s]%n", train.size(), prov.hours(), dataset.root(),
                split);
        return ConsoleTraining.run(new Pretrainer(run, train, new ConsoleTraining(System.out, printEvery), null));
    }

    /** The pre-training config a checkpoint was written with (an imported one holds the recipe around its architecture). */
    private static PretrainConfig storedConfig(Path runOrCheckpoint) throws ConfigException {
        try {
            Path file = RunFolder.newestCheckpoint(runOrCheckpoint);
            return ConfigIO.readYaml(Checkpoint.readMeta(file).config(), PretrainConfig.class, file);
        } catch (java.io.IOException | CheckpointException e) {
            throw new ConfigException(runOrCheckpoint, e.getMessage(), e);
        }
    }
}
