package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.speechwb.engine.interop.InteropException;
import org.speechwb.engine.interop.RunExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a wav2vec 2.0 run as a Hugging Face transformers folder (config.json, model.safetensors,"
                + " preprocessor_config.json; vocab.json and tokenizer_config.json for fine-tuned runs).",
                "Pre-training runs export as Wav2Vec2ForPreTraining, fine-tuned runs as Wav2Vec2ForCTC."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "run folder (a fine-tuning run's best checkpoint, else"
            + " the newest) or checkpoint file")
    Path model;

    @Option(names = "--format", defaultValue = "hf", description = "hf (Hugging Face transformers); default ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--out", required = true, description = "folder to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("hf")) {
            System.err.println("error: --format " + format + " is not supported (hf)");
            return 2;
        }
        try {
            Path ckpt = RunExporter.exportHf(Cli.resolve(model), out.toAbsolutePath().normalize());
            System.out.println("exported " + ckpt + " -> " + out);
            return 0;
        } catch (InteropException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
