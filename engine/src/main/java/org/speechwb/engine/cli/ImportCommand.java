package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.speechwb.engine.interop.CheckpointImporter;
import org.speechwb.engine.interop.InteropException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a wav2vec 2.0 checkpoint from another toolkit as a run folder (kind \"imported\").",
                "SOURCE: a Hugging Face model folder (config.json plus model.safetensors or pytorch_model.bin; vocab.json"
                        + " for CTC models; preprocessor_config.json's do_normalize is honoured), or a fairseq .pt"
                        + " (pre-training Wav2Vec2Model or CTC Wav2VecCtc with its dict.ltr.txt; cfg as dict, OmegaConf or args).",
                "CTC models become fine-tuning runs (decode, evaluate, align); pre-training and bare models become"
                        + " pre-training runs (inspect, finetune --pretrained)."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Hugging Face model folder or fairseq .pt")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "RUN_FOLDER", description = "run folder to create")
    Path out;

    @Option(names = "--dict", paramLabel = "dict.ltr.txt",
            description = "dictionary of a fairseq CTC .pt (default: dict.ltr.txt beside it)")
    Path dict;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        try {
            CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(Cli.resolve(source),
                    dict == null ? null : Cli.resolve(dict),
                    out.toAbsolutePath().normalize(), Cli.commandLine(), line -> System.out.println(line));
            System.out.printf(Locale.ROOT, "imported %s (%s, %,d parameters, sha256 %s) into %s in %.1f s%n", source,
                    r.format(), r.parameters(), r.sha256().substring(0, 16) + "…", r.run().dir(),
                    (System.nanoTime() - t0) / 1e9);
            if (r.vocabulary() != null) {
                System.out.printf(Locale.ROOT, "vocabulary: %d tokens, blank = id %d, word boundary = id %d%n",
                        r.vocabulary().size(), r.vocabulary().blank(), r.vocabulary().wordBoundary());
            }
            return 0;
        } catch (InteropException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
