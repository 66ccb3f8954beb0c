package org.speechwb.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "CTC fine-tuning of a pre-trained wav2vec 2.0 (or from random initialisation) on labeled audio.")
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--config", defaultValue = "ctc-small-cpu",
            description = "fine-tuning preset (ctc-small-cpu, ctc-base-10m) or a YAML/JSON file; default ${DEFAULT-VALUE}")
    String config;

    @Option(names = "--pretrained", description = "pre-training run folder or checkpoint; omit to train from scratch")
    Path pretrained;

    @Option(names = "--data", defaultValue = "datasets/harvard-tts", description = "labeled dataset; default ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--train-split", defaultValue = "train", description = "split to fine-tune on; default ${DEFAULT-VALUE}")
    String trainSplit;

    @Option(names = "--valid-split", defaultValue = "valid", description = "split for validation WER and CER, which choose best.ckpt ('none' to skip)")
    String validSplit;

    @Option(names = "--labeled-minutes", defaultValue = "0",
            description = "use a seeded random subset of about this many minutes of the training split (0: all)")
    double labeledMinutes;

    @Option(names = "--runs", defaultValue = "runs", description = "folder holding run folders")
    Path runs;

    @Option(names = "--name", description = "run name")
    String name;

    @Option(names = "--set", description = "override a config field, e.g. --set run.maxUpdates=500")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--print-every", defaultValue = "25", description = "progress line every N updates")
    int printEvery;

    @Override
    public Integer call() throws Exception {
        Backends.init();
        FinetuneConfig cfg;
        try {
            cfg = Presets.finetuneFromNameOrFile(config);
            if (pretrained != null) {
                cfg = Presets.forPretrained(cfg, Cli.resolve(pretrained));
            }
            cfg = ConfigOverrides.apply(cfg, overrides, FinetuneConfig.class);
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        Dataset dataset = DatasetLoader.open(Cli.resolve(data));
        List<Utterance> all = TrainingData.select(dataset, trainSplit);
        List<Utterance> train = all.stream().filter(Utterance::labeled).toList();
        if (train.size() < all.size()) {
            System.out.printf("fine-tuning uses the %d transcribed of the %d utterances in %s%n", train.size(), all.size(),
                    trainSplit);
        }
        if (labeledMinutes > 0) {
            train = DatasetSplitter.labeledSubset(train, labeledMinutes * 60, cfg.run().seed());
        }
        List<Utterance> valid = validSplit.equals("none") ? List.of() : TrainingData.select(dataset, validSplit);
        Backends.Info device = Backends.describe();
        Provenance prov = new Provenance(dataset.root().toString(), dataset.format().name(), dataset.fingerprint(),
                trainSplit + (labeledMinutes > 0 ? " (" + labeledMinutes + " min subset)" : "") + "; valid: " + validSplit,
                train.size(), train.stream().mapToDouble(Utterance::seconds).sum() / 3600, Provenance.gitCommit(Cli.home()),
                Provenance.ENGINE_VERSION, device.backend() + " / " + device.blas(), device.device(),
                System.getProperty("java.version"), System.getProperty("os.name"), Provenance.now(), Cli.commandLine());
        RunFolder run = new RunStore(Cli.resolve(runs)).create(name != null ? name : (pretrained == null ? "ctc-scratch"
                : "ctc"), cfg, prov);
        long untranscribed = valid.stream().filter(u -> !u.labeled()).count();
        System.out.printf("fine-tuning on %d utterances (%.1f min), validating on %d%s%n", train.size(),
                prov.hours() * 60, valid.size() - untranscribed,
                untranscribed > 0 ? " (" + untranscribed + " without transcript left out)" : "");
        return ConsoleTraining.run(new FineTuner(run, train, valid, new ConsoleTraining(System.out, printEvery), null));
    }
}
