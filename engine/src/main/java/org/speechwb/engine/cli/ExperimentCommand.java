package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"The low-resource comparison of the wav2vec papers: CTC from scratch on a small labeled subset vs"
                + " wav2vec 2.0 pre-trained on the unlabeled rest and fine-tuned on the same subset; WER/CER on held-out"
                + " voices and real speech, greedy and with an LM, with the time of every stage.",
                "Rerunning with the same --out continues an interrupted experiment."})
final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/experiment", description = "experiment folder; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--corpus", description = "labeled corpus with train/valid/test splits (default: synthesise one)")
    String corpus;

    @Option(names = "--build-train-minutes", defaultValue = "120", description = "training audio of a synthesised corpus")
    double buildTrainMinutes;

    @Option(names = "--labeled-minutes", defaultValue = "10")
    double labeledMinutes;

    @Option(names = "--pretrain-preset", defaultValue = "wav2vec2-small-cpu")
    String pretrainPreset;

    @Option(names = "--pretrain-updates", defaultValue = "6000")
    int pretrainUpdates;

    @Option(names = "--finetune-preset", defaultValue = "ctc-small-cpu")
    String finetunePreset;

    @Option(names = "--finetune-updates", defaultValue = "1500")
    int finetuneUpdates;

    @Option(names = "--lm-order", defaultValue = "3")
    int lmOrder;

    @Option(names = "--beam", defaultValue = "32")
    int beam;

    @Option(names = "--alpha", defaultValue = "0.5")
    double alpha;

    @Option(names = "--beta", defaultValue = "1.0")
    double beta;

    @Option(names = "--real-speech", defaultValue = "datasets/real-speech", description = "extra real-speech test set ('' to skip)")
    String realSpeech;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--feature-preset", defaultValue = "wav2vec1-small-cpu",
            description = "wav2vec 1.0 preset for the frozen-features vs log-mel comparison ('' to skip it)")
    String featurePreset;

    @Option(names = "--feature-updates", defaultValue = "1500", description = "wav2vec 1.0 pre-training updates")
    int featureUpdates;

    @Option(names = "--acoustic-updates", defaultValue = "2000",
            description = "updates of the small acoustic model on each feature type")
    int acousticUpdates;

    @Option(names = "--labeled-voices", defaultValue = "0",
            description = "draw the labeled subset from this many training voices only (0: all)")
    int labeledVoices;

    @Option(names = "--print-every", defaultValue = "100")
    int printEvery;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = new ExperimentConfig(corpus, buildTrainMinutes, labeledMinutes, pretrainPreset,
                pretrainUpdates, finetunePreset, finetuneUpdates, lmOrder, beam, alpha, beta, realSpeech, seed,
                featurePreset, featureUpdates, acousticUpdates, labeledVoices);
        LowResourceExperiment.Results r = new LowResourceExperiment(cfg, Cli.resolve(out), Cli.home(),
                System.out::println, new ConsoleTraining(System.out, printEvery)).run();
        System.out.println();
        System.out.println(java.nio.file.Files.readString(Cli.resolve(out).resolve("results.md")));
        return 0;
    }
}
