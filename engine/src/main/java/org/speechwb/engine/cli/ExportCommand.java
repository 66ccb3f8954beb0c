package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.speechwb.engine.interop.InteropException;
import org.speechwb.engine.interop.RunExporter;
import org.speechwb.engine.interop.handoff.FairseqCheckpointWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a wav2vec 2.0 run as a Hugging Face transformers folder (config.json, model.safetensors,"
                + " preprocessor_config.json; vocab.json and tokenizer_config.json for fine-tuned runs), or a"
                + " pre-training run as a fairseq checkpoint (.pt) that fairseq fine-tunes from (model.w2v_path).",
                "Pre-training runs export as Wav2Vec2ForPreTraining / Wav2Vec2Model, fine-tuned runs as Wav2Vec2ForCTC."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "run folder (a fine-tuning run's best checkpoint, else"
            + " the newest) or checkpoint file")
    Path model;

    @Option(names = "--format", defaultValue = "hf", description = "hf (Hugging Face transformers) or fairseq;"
            + " default ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--out", required = true, description = "hf: folder to write; fairseq: the .pt file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path to = out.toAbsolutePath().normalize();
        try {
            Path ckpt = switch (format) {
                case "hf" -> RunExporter.exportHf(Cli.resolve(model), to);
                case "fairseq" -> FairseqCheckpointWriter.export(Cli.resolve(model), to);
                default -> null;
            };
            if (ckpt == null) {
                System.err.println("error: --format " + format + " is not supported (hf, fairseq)");
                return 2;
            }
            System.out.println("exported " + ckpt + " -> " + to);
            return 0;
        } catch (InteropException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
