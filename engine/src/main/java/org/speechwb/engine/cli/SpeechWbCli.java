package org.speechwb.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Headless entry point: every engine workflow (scanning data, building corpora, training,
 * inspecting, benchmarking) is a subcommand here, so servers and scripts need no display.
 */
@Command(name = "speechwb",
        mixinStandardHelpOptions = true,
        version = "speechwb 0.1.0",
        description = "wav2vec workbench engine: datasets, pre-training, fine-tuning, CTC decoding and scoring, inspection.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DatasetInfoCommand.class,
                ExportManifestCommand.class,
                BenchScanCommand.class,
                AudioBenchCommand.class,
                SynthCorpusCommand.class,
                PretrainCommand.class,
                ExtractFeaturesCommand.class,
                ProbeCommand.class,
                MetricsCommand.class,
                ResumeCommand.class,
                InspectCommand.class,
                BenchPretrainCommand.class,
                FinetuneCommand.class,
                DecodeCommand.class,
                EvaluateCommand.class,
                AlignCommand.class,
                ExperimentCommand.class,
                LmCommand.class,
                WerCommand.class,
                BenchDecodeCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                EmissionsCommand.class,
                BenchInferenceCommand.class,
        })
public final class SpeechWbCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        org.speechwb.engine.backend.Backends.init();
        System.exit(new CommandLine(new SpeechWbCli()).execute(args));
    }
}
