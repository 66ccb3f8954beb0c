package org.speechwb.engine.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.nd4j.linalg.api.buffer.DataType;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.DataConfig;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.LossConfig;
import org.speechwb.engine.config.MaskingConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2CtcModel;
import org.speechwb.engine.model.w2v2.Wav2Vec2Model;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;
import org.speechwb.engine.run.AtomicFiles;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.train.RunState;

/**
 * Turns a checkpoint from another toolkit into an ordinary run folder: a fine-tuning run
 * (config with the imported architecture and vocabulary, one checkpoint at update 0) for CTC
 * models, a pre-training run for pre-training and bare models, so that {@code decode},
 * {@code evaluate}, {@code align}, {@code inspect} and {@code finetune --pretrained} take it as
 * they take the workbench's own. The run folder also holds {@code import.json}: kind "imported",
 * the source path, its format, the SHA-256 of the weights file and the parameters the source
 * did not have (left at their initial values; for example a bare model's quantizer).
 *
 * <p>Memory: the model's parameters (and their gradient buffers) plus one source tensor at a
 * time; the Adam moments in the checkpoint are written as zeros without being allocated.
 */
public final class CheckpointImporter {

    /** What an import produced. */
    public record Result(RunFolder run, String kind, String format, String sha256, long parameters,
                         List<String> initialised, Wav2Vec2Config config, Vocabulary vocabulary) {
    }

    /** The contents of {@code import.json}. */
    public record ImportRecord(String kind, String source, String format, String weightsFile, String sha256,
                               String architecture, long parameters, List<String> initialised, String importedAt) {
    }

    private CheckpointImporter() {
    }

    /**
     * @param source   a Hugging Face model folder
     * @param out      the run folder to create (must not exist or be empty)
     * @param progress receives one line per step (may be null)
     */
    public static Result importCheckpoint(Path source, Path out, List<String> command, Consumer<String> progress)
            throws IOException {
        Consumer<String> say = progress == null ? s -> { } : progress;
        if (!Files.isDirectory(source)) {
            throw new InteropException(source, Files.exists(source)
                    ? "fairseq .pt files are not supported yet: pass a Hugging Face model folder (config.json plus"
                    + " model.safetensors or pytorch_model.bin)"
                    : "no such file or folder");
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            throw new InteropException(out, "already exists and is not empty; choose a new run folder");
        }
        HuggingFaceModel hf = HuggingFaceModel.open(source);
        say.accept("reading " + hf.weightsFile() + " (" + hf.format() + ", " + hf.json().path("architectures") + ")");
        String sha = sha256(hf.weightsFile());
        Wav2Vec2Config cfg = hf.config();
        boolean ctc = hf.kind() == HuggingFaceModel.Kind.CTC;
        ParamStore params;
        Wav2Vec2CtcModel ctcModel = null;
        if (ctc) {
            ctcModel = new Wav2Vec2CtcModel(cfg, hf.vocabulary().size(), hf.finalDropout(), 1, DataType.FLOAT);
            params = ctcModel.params();
        } else {
            params = new Wav2Vec2Model(cfg, 1, DataType.FLOAT).params();
        }
        HfWeights.Loaded loaded;
        try (TensorSource src = hf.openWeights()) {
            loaded = HfWeights.load(src, params, cfg);
        }
        List<String> essential = new ArrayList<>();
        for (String name : loaded.missing()) {
            boolean optional = name.equals("mask_emb") || (hf.kind() == HuggingFaceModel.Kind.BARE
                    && (name.startsWith("quantizer.") || name.startsWith("project_q.") || name.startsWith("final_proj.")));
            if (!optional) {
                essential.add(name);
            }
        }
        if (!essential.isEmpty()) {
            throw new InteropException(hf.weightsFile(), "the weights lack what the config describes: "
                    + String.join(", ", essential.stream().limit(12).toList()) + (essential.size() > 12 ? ", …" : ""));
        }
        say.accept("mapped " + loaded.loaded().size() + " tensors" + (loaded.missing().isEmpty() ? ""
                : "; not in the source, left at their initial values: " + String.join(", ", loaded.missing())));

        Object runConfig;
        try {
            runConfig = ctc ? finetuneConfig(hf, out) : pretrainConfig(hf);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InteropException(source, "the imported architecture does not fit a run config: " + e.getMessage(), e);
        }
        Provenance prov = new Provenance(source.toAbsolutePath().toString(), "imported " + hf.format(), "sha256:" + sha,
                "imported", 0, 0, Provenance.gitCommit(Path.of(".")), Provenance.ENGINE_VERSION, "", "",
                System.getProperty("java.version"), System.getProperty("os.name"), Provenance.now(), command);
        RunFolder run = RunStore.openOrCreate(out, runConfig, prov);
        if (ctc) {
            hf.vocabulary().save(out.resolve("vocab.txt"));
        }
        long count = params.count();
        ImportRecord rec = new ImportRecord("imported", source.toAbsolutePath().toString(), hf.format(),
                hf.weightsFile().getFileName().toString(), sha, hf.kind() == HuggingFaceModel.Kind.CTC ? "Wav2Vec2ForCTC"
                : hf.kind() == HuggingFaceModel.Kind.PRETRAINING ? "Wav2Vec2ForPreTraining" : "Wav2Vec2Model", count,
                loaded.missing(), Provenance.now());
        AtomicFiles.writeString(out.resolve("import.json"), ConfigIO.json().writerWithDefaultPrettyPrinter()
                .writeValueAsString(rec));
        Files.copy(source.resolve("config.json"), out.resolve("source-config.json"));
        String yaml = ConfigIO.toYaml(runConfig);
        String provJson = ConfigIO.json().writeValueAsString(prov);
        List<Param> list = params.list();
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, ctc ? "wav2vec2-ctc" : PretrainConfig.WAV2VEC2, 0, 0,
                0, 1, params.dtype().name(), Checkpoint.describe(list), new long[list.size()], null, Provenance.now(), yaml,
                provJson, ctc ? hf.vocabulary().tokens() : null);
        Checkpoint.writeFresh(run.checkpointFile(0), meta, list);
        run.writeStatus(new RunStatus(RunState.FINISHED, 0, 0, Provenance.now(), "imported from " + source));
        run.log("imported " + source + " (" + hf.format() + ", sha256 " + sha + "), " + count + " parameters");
        say.accept("wrote " + run.checkpointFile(0));
        return new Result(run, "imported", hf.format(), sha, count, loaded.missing(), cfg,
                ctc ? hf.vocabulary() : null);
    }

    /** A fine-tuning config around the imported architecture: the ctc-base-10m recipe's training settings. */
    static FinetuneConfig finetuneConfig(HuggingFaceModel hf, Path runDir) throws ConfigException {
        FinetuneConfig preset = Presets.finetune("ctc-base-10m");
        DataConfig data = preset.data().withNormalize(hf.doNormalize(),
                hf.doNormalize() ? DataConfig.TRANSFORMERS_EPSILON : null);
        return new FinetuneConfig("", hf.config(), runDir.toAbsolutePath().resolve("vocab.txt").toString(),
                preset.masking(), preset.channelMaskProb(), Math.min(preset.channelMaskLength(), hf.config().modelDim()),
                hf.finalDropout(), preset.freezeUpdates(), preset.freezeFeatureEncoder(), preset.optimizer(), data,
                preset.run(), preset.validationInterval());
    }

    /** A pre-training config around the imported architecture: fairseq's BASE or LARGE recipe. */
    static PretrainConfig pretrainConfig(HuggingFaceModel hf) throws ConfigException {
        boolean large = hf.config().extractorMode() == ExtractorMode.LAYER_NORM;
        PretrainConfig preset = Presets.pretrain(large ? "wav2vec2-large" : "wav2vec2-base");
        var j = hf.json();
        MaskingConfig pm = preset.masking();
        MaskingConfig masking = new MaskingConfig(j.path("mask_time_prob").asDouble(pm.maskProb()),
                j.path("mask_time_length").asInt(pm.maskLength()), pm.minMasks(), pm.requireSameMasks());
        LossConfig pl = preset.loss();
        LossConfig loss = new LossConfig(j.path("num_negatives").asInt(pl.negatives()),
                j.path("diversity_loss_weight").asDouble(pl.diversityWeight()), pl.penaltyWeight());
        DataConfig data = preset.data().withNormalize(hf.doNormalize(),
                hf.doNormalize() ? DataConfig.TRANSFORMERS_EPSILON : null);
        return new PretrainConfig(PretrainConfig.WAV2VEC2, hf.config(), masking, preset.quantizer(), loss,
                preset.optimizer(), data, preset.run());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The parameters by name (for tests and export). */
    static Map<String, Param> byName(ParamStore ps) {
        return new LinkedHashMap<>(ps.all());
    }
}
