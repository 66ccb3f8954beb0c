package org.speechwb.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.data.CancellationToken;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.handoff.RunHandoff;
import org.speechwb.engine.interop.handoff.Unmapped;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code export-run}: a run designed here, as data + config + launch commands for fairseq or transformers. */
@Command(name = "export-run", mixinStandardHelpOptions = true,
        description = {"Hand a run to the engines built for clusters: writes the dataset in their layout, their config"
                + " (fairseq hydra YAML; transformers' run_wav2vec2_pretraining_no_trainer.py model folder and"
                + " arguments, or run_speech_recognition_ctc.py arguments for fine-tuning) and a README with single-"
                + " and multi-node launch commands.",
                "Settings the target has no place for are listed in the README and here, never dropped silently."
                        + " Test speakers (--test) are left out of everything written."})
final class ExportRunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "pre-training or fine-tuning preset name, or config file")
    String config;

    @Option(names = "--data", required = true, description = "dataset (any layout the workbench reads)")
    Path data;

    @Option(names = "--to", required = true, description = "fairseq or hf")
    String to;

    @Option(names = "--out", required = true, description = "folder to write")
    Path out;

    @Option(names = "--valid", defaultValue = "0.1", description = "validation share of the audio, by speaker, when the"
            + " dataset has no splits (default ${DEFAULT-VALUE})")
    double valid;

    @Option(names = "--test", defaultValue = "0.1", description = "held-out test share, by speaker, left out of the"
            + " export (default ${DEFAULT-VALUE})")
    double test;

    @Option(names = "--seed", defaultValue = "1", description = "split seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"--pretrained", "--w2v-path"}, description = "fine-tuning: the pre-trained model. fairseq: a"
            + " fairseq pre-training checkpoint (model.w2v_path). hf: a transformers folder or hub name"
            + " (--model_name_or_path), or one of our pre-training runs or checkpoints, exported into OUT/model")
    String pretrained;

    @Override
    public Integer call() throws Exception {
        RunHandoff.Target target = switch (to) {
            case "fairseq" -> RunHandoff.Target.FAIRSEQ;
            case "hf", "transformers" -> RunHandoff.Target.HF;
            default -> throw new IllegalArgumentException("--to " + to + ": expected fairseq or hf");
        };
        boolean finetune = isFinetuning(config);
        Dataset ds = DatasetLoader.open(Cli.resolve(data), new ScanProgress(System.err), CancellationToken.none());
        List<Utterance> utts = finetune ? ds.utterances().stream().filter(Utterance::labeled).toList() : ds.utterances();
        Splits s = RunHandoff.split(utts, valid, test, seed);
        System.err.printf("%s: train %d, valid %d utterances; %d test utterance(s) left out%n", data,
                s.train().size(), s.valid().size(), s.test().size());
        RunHandoff.Result r = finetune
                ? RunHandoff.finetuning(Presets.finetuneFromNameOrFile(config), s.train(), s.valid(),
                        pretrainedPath(), target, out)
                : RunHandoff.pretraining(Presets.pretrainFromNameOrFile(config), s.train(), s.valid(), target, out);
        r.files().forEach(f -> System.out.println("wrote " + f));
        for (Unmapped u : r.unmapped()) {
            System.out.println((u.blocker() ? "BLOCKS LAUNCH: " : "not carried over: ") + u.knob() + " = " + u.value()
                    + " (" + u.why() + ")");
        }
        System.out.println("launch commands: " + r.dir().resolve("README.md"));
        return 0;
    }

    /** A path that exists (here or under the workbench's home) made absolute; anything else (a hub name) as given. */
    private String pretrainedPath() {
        if (pretrained == null) {
            return null;
        }
        Path p = Cli.resolve(Path.of(pretrained));
        return Files.exists(p) ? p.toString() : pretrained;
    }

    /** Fine-tuning presets by name; a file is a pre-training config when it names its model family. */
    private static boolean isFinetuning(String nameOrPath) throws Exception {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            JsonNode tree = ConfigIO.mapperFor(p).readTree(p.toFile());
            return tree == null || !tree.has("family");
        }
        return Presets.FINETUNE.stream().anyMatch(e -> e[0].equals(nameOrPath));
    }
}
