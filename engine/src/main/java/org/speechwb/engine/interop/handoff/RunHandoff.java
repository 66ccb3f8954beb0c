package org.speechwb.engine.interop.handoff;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.ManifestExporter;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.interop.RunExporter;
import org.speechwb.engine.run.AtomicFiles;

/**
 * Writes a run designed in the workbench as a folder that another engine trains on a cluster:
 * the data in that engine's layout, its config, and a README with the launch commands and the
 * settings that did not carry over. Nothing here runs fairseq or transformers.
 */
public final class RunHandoff {

    /** The engines a run can be handed to. */
    public enum Target { FAIRSEQ, HF }

    /** What was written: the folder, its files, and the settings the target cannot take as they are. */
    public record Result(Path dir, List<Path> files, List<Unmapped> unmapped) {
        public boolean blocked() {
            return unmapped.stream().anyMatch(Unmapped::blocker);
        }
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunHandoff() {
    }

    /**
     * The split a hand-off uses: the dataset's own splits when every utterance has one, else by
     * speaker; the test part is what the hand-off leaves out.
     */
    public static Splits split(List<Utterance> utterances, double validFraction, double testFraction, long seed) {
        return utterances.stream().allMatch(u -> u.split() != null) ? DatasetSplitter.predefined(utterances)
                : DatasetSplitter.bySpeaker(utterances, validFraction, testFraction, seed);
    }

    /**
     * Hands a pre-training config over.
     *
     * @param train the utterances to pre-train on (transcripts not needed)
     * @param valid validation utterances (their speakers are not in {@code train})
     */
    public static Result pretraining(PretrainConfig cfg, List<Utterance> train, List<Utterance> valid, Target target,
                                     Path out) throws IOException {
        requireRows(train, valid);
        Path dir = out.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        if (target == Target.FAIRSEQ) {
            Path manifests = dir.resolve("manifests");
            files.addAll(manifests(manifests, train, valid));
            FairseqRunConfig f = FairseqRunConfig.pretraining(cfg, manifests);
            f.sampleRates(train, valid);
            Path yaml = writeYaml(dir.resolve("config").resolve("pretrain.yaml"), f.groups());
            files.add(yaml);
            files.add(readme(dir, fairseqReadme("pretrain", dir, train, valid, f.unmapped()), f.unmapped()));
            return new Result(dir, files, f.unmapped());
        }
        Path model = dir.resolve("model");
        Path data = dir.resolve("data");
        TransformersRunConfig t = TransformersRunConfig.pretraining(cfg, model, data, dir.resolve("output"),
                (double) valid.size() / (train.size() + valid.size()));
        Files.createDirectories(model);
        AtomicFiles.writeString(model.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(t.config()));
        AtomicFiles.writeString(model.resolve("preprocessor_config.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(t.preprocessor()));
        files.add(model.resolve("config.json"));
        files.add(model.resolve("preprocessor_config.json"));
        // validation rows first: the script validates on the first validation_split_percentage % of the rows
        List<Utterance> rows = new ArrayList<>(valid);
        rows.addAll(train);
        files.add(audioFolder(data.resolve("train"), rows, false));
        Path args = dir.resolve("args.txt");
        AtomicFiles.writeString(args, String.join("\n", commandLine(t.args())) + "\n");
        files.add(args);
        files.add(readme(dir, hfReadme(dir, t, train, valid), t.unmapped()));
        return new Result(dir, files, t.unmapped());
    }

    /** Hands a CTC fine-tuning config to fairseq; see {@link #finetuning(FinetuneConfig, List, List, String, Target, Path)}. */
    public static Result finetuning(FinetuneConfig cfg, List<Utterance> train, List<Utterance> valid, String w2vPath,
                                    Path out) throws IOException {
        return finetuning(cfg, train, valid, w2vPath, Target.FAIRSEQ, out);
    }

    /**
     * Hands a CTC fine-tuning config over: to fairseq ({@code wav2vec_ctc} on letter manifests) or
     * to transformers' {@code run_speech_recognition_ctc.py} (an audio folder with transcripts).
     *
     * @param pretrained the model to fine-tune, or null to leave it for the launch command: for
     *                   fairseq a fairseq pre-training checkpoint ({@code model.w2v_path}); for
     *                   transformers a transformers folder or hub name, or one of our runs or
     *                   checkpoints, which is exported into {@code model/}
     */
    public static Result finetuning(FinetuneConfig cfg, List<Utterance> train, List<Utterance> valid, String pretrained,
                                    Target target, Path out) throws IOException {
        requireRows(train, valid);
        for (List<Utterance> part : List.of(train, valid)) {
            long unlabeled = part.stream().filter(u -> !u.labeled()).count();
            if (unlabeled > 0) {
                throw new IllegalArgumentException("fine-tuning hand-off needs a transcript for every utterance; "
                        + unlabeled + " have none (first: " + part.stream().filter(u -> !u.labeled()).findFirst()
                        .orElseThrow().id() + ")");
            }
        }
        Path dir = out.toAbsolutePath().normalize();
        if (target == Target.HF) {
            return hfFinetuning(cfg, train, valid, pretrained, dir);
        }
        Path manifests = dir.resolve("manifests");
        List<Path> files = new ArrayList<>(manifests(manifests, train, valid));
        files.add(letterDictionary(manifests.resolve("dict.ltr.txt"), train));
        String w2vPath = pretrained;
        if (pretrained != null && !pretrained.isBlank() && ours(Path.of(pretrained))) {
            Path ckpt = dir.resolve("pretrained").resolve("checkpoint.pt");
            FairseqCheckpointWriter.export(Path.of(pretrained), ckpt);
            files.add(ckpt);
            w2vPath = ckpt.toString();
        }
        FairseqRunConfig f = FairseqRunConfig.finetuning(cfg, manifests, w2vPath);
        f.sampleRates(train, valid);
        files.add(writeYaml(dir.resolve("config").resolve("finetune.yaml"), f.groups()));
        files.add(readme(dir, fairseqReadme("finetune", dir, train, valid, f.unmapped()), f.unmapped()));
        return new Result(dir, files, f.unmapped());
    }

    private static Result hfFinetuning(FinetuneConfig cfg, List<Utterance> train, List<Utterance> valid, String pretrained,
                                       Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Unmapped> blockers = new ArrayList<>();
        String model = pretrained;
        if (pretrained != null && !pretrained.isBlank() && ours(Path.of(pretrained))) {
            Path modelDir = dir.resolve("model");
            RunExporter.exportHf(Path.of(pretrained), modelDir);
            files.add(modelDir.resolve("config.json"));
            model = modelDir.toString();
            if (JSON.readTree(modelDir.resolve("config.json").toFile()).path("architectures").toString().contains("CTC")) {
                blockers.add(Unmapped.blocker("pretrained", pretrained, "this is a fine-tuned (CTC) model; the script"
                        + " puts a new head for its own vocabulary on a pre-trained one and refuses a head of another size"));
            }
        }
        Path data = dir.resolve("data");
        files.add(audioFolder(data.resolve("train"), train, true));
        files.add(audioFolder(data.resolve("validation"), valid, true));
        TransformersRunConfig t = TransformersRunConfig.finetuning(cfg, model, data, dir.resolve("output"));
        List<Unmapped> unmapped = new ArrayList<>(blockers);
        unmapped.addAll(t.unmapped());
        Path args = dir.resolve("args.txt");
        AtomicFiles.writeString(args, String.join("\n", commandLine(t.args())) + "\n");
        files.add(args);
        files.add(readme(dir, hfFinetuneReadme(dir, t, train, valid), unmapped));
        return new Result(dir, files, unmapped);
    }

    /** One of our run folders or checkpoint files, rather than a transformers folder or hub name. */
    private static boolean ours(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".ckpt")
                || Files.isDirectory(p.resolve("checkpoints"));
    }

    private static void requireRows(List<Utterance> train, List<Utterance> valid) {
        if (train.isEmpty() || valid.isEmpty()) {
            throw new IllegalArgumentException("a hand-off needs training and validation utterances (got " + train.size()
                    + " and " + valid.size() + ")");
        }
    }

    private static List<Path> manifests(Path dir, List<Utterance> train, List<Utterance> valid) throws IOException {
        List<Utterance> all = new ArrayList<>(train);
        all.addAll(valid);
        Path root = ManifestExporter.audioRoot(all);
        List<Path> out = new ArrayList<>();
        for (var e : Map.of("train", train, "valid", valid).entrySet()) {
            ManifestExporter.ExportedManifest m = ManifestExporter.write(dir, e.getKey(), e.getValue(), root);
            out.add(m.tsv());
            if (m.labeled()) {
                out.add(m.ltr());
                out.add(m.wrd());
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** fairseq's dictionary format: one "SYMBOL COUNT" line per letter, most frequent first. */
    static Path letterDictionary(Path file, List<Utterance> train) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (Utterance u : train) {
            for (String s : ManifestExporter.toLetters(u.transcript()).split(" ")) {
                if (!s.isEmpty()) {
                    counts.merge(s, 1L, Long::sum);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
        return file;
    }

    /**
     * A datasets "audiofolder": {@code metadata.csv} naming links to the audio files (the corpus
     * is not copied; {@code cp -rL} makes a self-contained copy for a cluster).
     */
    private static Path audioFolder(Path dir, List<Utterance> rows, boolean transcripts) throws IOException {
        Path audio = dir.resolve("audio");
        Files.createDirectories(audio);
        StringBuilder csv = new StringBuilder(transcripts ? "file_name,transcription,id,speaker\n" : "file_name,id,speaker\n");
        for (Utterance u : rows) {
            String name = u.id().replaceAll("[^A-Za-z0-9._-]", "_") + extension(u.audio());
            Path link = audio.resolve(name);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, u.audio().toAbsolutePath().normalize());
            csv.append("audio/").append(name).append(',');
            if (transcripts) {
                // the script lower-cases anyway; normalised here as the engine and the fairseq hand-off see it
                csv.append(csvField(ManifestExporter.toWords(u.transcript()).toLowerCase(Locale.ROOT))).append(',');
            }
            csv.append(csvField(u.id())).append(',')
                    .append(csvField(u.speaker() == null ? "" : u.speaker())).append('\n');
        }
        Path meta = dir.resolve("metadata.csv");
        AtomicFiles.writeString(meta, csv.toString());
        return meta;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot).toLowerCase(Locale.ROOT);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static Path writeYaml(Path file, Map<String, Object> groups) throws IOException {
        Files.createDirectories(file.getParent());
        String body = YAML.writeValueAsString(plainNumbers(groups));
        AtomicFiles.writeString(file, "# @package _group_\n# written by speechwb export-run\n\n" + body);
        return file;
    }

    /**
     * Doubles as plain decimals: YAML 1.1 (PyYAML, so OmegaConf) reads {@code 1.0E7} as a string;
     * {@code 10000000.0} and {@code 0.00000001} are floats.
     */
    @SuppressWarnings("unchecked")
    static Object plainNumbers(Object v) {
        if (v instanceof Double d) {
            BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            return b.scale() <= 0 ? b.setScale(1) : b;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, plainNumbers(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RunHandoff::plainNumbers).toList();
        }
        return v;
    }

    static List<String> commandLine(Map<String, Object> args) {
        List<String> out = new ArrayList<>();
        args.forEach((k, v) -> {
            StringBuilder sb = new StringBuilder("--").append(k);
            if (v instanceof List<?> l) {
                l.forEach(x -> sb.append(' ').append(x));
            } else {
                sb.append(' ').append(v instanceof Double d ? ((BigDecimal) plainNumbers(d)).toPlainString() : v);
            }
            out.add(sb.toString());
        });
        return out;
    }

    private static Path readme(Path dir, String body, List<Unmapped> unmapped) throws IOException {
        StringBuilder sb = new StringBuilder(body);
        sb.append("\n## Settings that did not carry over\n\n");
        if (unmapped.isEmpty()) {
            sb.append("None: every setting has a counterpart.\n");
        } else {
            sb.append("| setting | value | what the target does | blocks the launch |\n|---|---|---|---|\n");
            for (Unmapped u : unmapped) {
                sb.append("| `").append(u.knob()).append("` | ").append(u.value()).append(" | ").append(u.why())
                        .append(" | ").append(u.blocker() ? "**yes**" : "no").append(" |\n");
            }
        }
        Path file = dir.resolve("README.md");
        AtomicFiles.writeString(file, sb.toString());
        return file;
    }

    private static String fairseqReadme(String name, Path dir, List<Utterance> train, List<Utterance> valid,
                                         List<Unmapped> unmapped) {
        String ckpt = name.equals("finetune") ? " model.w2v_path=/path/to/pretrained/checkpoint_best.pt" : "";
        boolean needsW2v = unmapped.stream().anyMatch(u -> u.knob().equals("pretrained"));
        return "# fairseq hand-off (" + name + ")\n\n"
                + "Written by `speechwb export-run`. Data: " + train.size() + " training and " + valid.size()
                + " validation utterances (" + String.format(Locale.ROOT, "%.1f", hours(train)) + " h of training audio).\n\n"
                + "- `manifests/`: fairseq manifests (`train.tsv`, `valid.tsv`" + (name.equals("finetune")
                ? ", `.ltr`, `.wrd`, `dict.ltr.txt`" : "") + "). The first line of each `.tsv` is the audio root"
                + " on this machine; change it where the audio lives on the cluster.\n"
                + "- `config/" + name + ".yaml`: the hydra config (`fairseq-hydra-train --config-name " + name + "`).\n\n"
                + "## Launch\n\nSingle node, 8 GPUs:\n\n```\n"
                + "fairseq-hydra-train --config-dir " + dir.resolve("config") + " --config-name " + name
                + " \\\n    task.data=" + dir.resolve("manifests") + ckpt
                + " distributed_training.distributed_world_size=8\n```\n\n"
                + "Several nodes (`torchrun` sets MASTER_ADDR, RANK and WORLD_SIZE, which fairseq reads), e.g. 4 nodes x 8 GPUs,"
                + " run on every node with its own `--node_rank`:\n\n```\n"
                + "torchrun --nnodes 4 --nproc_per_node 8 --node_rank $NODE_RANK --master_addr $MASTER --master_port 29500 \\\n"
                + "    $(which fairseq-hydra-train) --config-dir " + dir.resolve("config") + " --config-name " + name
                + " \\\n    task.data=" + dir.resolve("manifests") + ckpt
                + " distributed_training.distributed_world_size=32\n```\n\n"
                + "Every GPU takes `dataset.max_tokens` samples per step, so N GPUs make the batch N times the"
                + " workbench's; lower `optimization.update_freq` or `max_tokens` to keep it, or scale `optimization.lr`.\n"
                + (needsW2v ? "\n`model.w2v_path` must name a fairseq pre-training checkpoint: give one of ours to"
                + " `export-run --pretrained` (it is written to `pretrained/checkpoint.pt`), or write it with"
                + " `./speechwb export --format fairseq --model RUN --out checkpoint.pt`.\n" : "")
                + (Files.isRegularFile(dir.resolve("pretrained/checkpoint.pt")) ? "\n`pretrained/checkpoint.pt`: the"
                + " pre-trained model, exported from the workbench as a fairseq checkpoint (`model.w2v_path`); copy it"
                + " with the manifests and change the path.\n" : "")
                + "\n## Watch it in the workbench\n\nfairseq writes TensorBoard files to `tensorboard/` under the"
                + " directory it runs in (`common.tensorboard_logdir`) and JSON log lines to its output:\n\n```\n"
                + "./speechwb metrics /cluster/run/tensorboard      # or the JSON log, hydra_train.log\n"
                + "./speechwb import /cluster/run/checkpoints/checkpoint_last.pt --out runs/imported\n```\n";
    }

    private static String hfReadme(Path dir, TransformersRunConfig t, List<Utterance> train, List<Utterance> valid) {
        String args = String.join(" \\\n    ", commandLine(t.args()));
        return "# transformers hand-off (pre-training)\n\n"
                + "Written by `speechwb export-run`. Data: " + train.size() + " training and " + valid.size()
                + " validation utterances.\n\n"
                + "- `model/`: `config.json` and `preprocessor_config.json` the script initialises a random"
                + " `Wav2Vec2ForPreTraining` from (`--model_name_or_path`).\n"
                + "- `data/train/`: a datasets audio folder (`metadata.csv` and links to the audio; `cp -rL` makes a copy"
                + " that travels). Validation utterances come first.\n"
                + "- `args.txt`: the arguments below, one per line.\n\n"
                + "## Launch\n\nThe script is transformers' `examples/pytorch/speech-pretraining/"
                + "run_wav2vec2_pretraining_no_trainer.py` (needs `accelerate` and `datasets`).\n\n"
                + "Single node, all its GPUs:\n\n```\naccelerate launch run_wav2vec2_pretraining_no_trainer.py \\\n    "
                + args + "\n```\n\nSeveral nodes, e.g. 4 nodes x 8 GPUs, on every node:\n\n```\n"
                + "torchrun --nnodes 4 --nproc_per_node 8 --node_rank $NODE_RANK --master_addr $MASTER --master_port 29500 \\\n"
                + "    run_wav2vec2_pretraining_no_trainer.py \\\n    " + args + "\n```\n\n"
                + "## Watch it in the workbench\n\nThe script saves the model to `--output_dir` every `--saving_steps`;"
                + " `./speechwb import OUTPUT_DIR --out runs/imported` opens it in Inspect.\n";
    }

    private static String hfFinetuneReadme(Path dir, TransformersRunConfig t, List<Utterance> train, List<Utterance> valid) {
        String args = String.join(" \\\n    ", commandLine(t.args()));
        return "# transformers hand-off (CTC fine-tuning)\n\n"
                + "Written by `speechwb export-run`. Data: " + train.size() + " training and " + valid.size()
                + " validation utterances (" + String.format(Locale.ROOT, "%.2f", hours(train)) + " h of training audio).\n\n"
                + (Files.isDirectory(dir.resolve("model")) ? "- `model/`: the pre-trained model, exported from the"
                + " workbench (`--model_name_or_path`).\n" : "")
                + "- `data/train/`, `data/validation/`: a datasets audio folder (`metadata.csv` with the transcripts,"
                + " and links to the audio; `cp -rL` makes a copy that travels).\n"
                + "- `args.txt`: the arguments below, one per line.\n\n"
                + "## Launch\n\nThe script is transformers' `examples/pytorch/speech-recognition/run_speech_recognition_ctc.py`"
                + " (needs `datasets`, `evaluate` or `datasets`' metrics for WER and CER, and `tensorboard`)."
                + " transformers before 4.41 call `--eval_strategy` `--evaluation_strategy`.\n\n"
                + "Single node, all its GPUs:\n\n```\ntorchrun --nproc_per_node 8 run_speech_recognition_ctc.py \\\n    "
                + args + "\n```\n\nSeveral nodes, e.g. 4 nodes x 8 GPUs, on every node:\n\n```\n"
                + "torchrun --nnodes 4 --nproc_per_node 8 --node_rank $NODE_RANK --master_addr $MASTER --master_port 29500 \\\n"
                + "    run_speech_recognition_ctc.py \\\n    " + args + "\n```\n\n"
                + "Every GPU takes `per_device_train_batch_size` utterances, so N GPUs make the batch N times the"
                + " workbench's; lower it or `gradient_accumulation_steps`, or scale `learning_rate`.\n\n"
                + "## Watch it in the workbench\n\nThe Trainer writes TensorBoard files to `output/tensorboard` and"
                + " checkpoints to `output/checkpoint-N/`:\n\n```\n"
                + "./speechwb metrics " + dir.resolve("output/tensorboard") + "\n"
                + "./speechwb import " + dir.resolve("output") + " --out runs/imported\n```\n\n"
                + "or Runs → External run… → the `output/tensorboard` folder.\n";
    }

    private static double hours(List<Utterance> utts) {
        return utts.stream().mapToDouble(Utterance::seconds).sum() / 3600;
    }
}
