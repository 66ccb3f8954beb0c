package org.speechwb.engine.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
import org.speechwb.engine.config.QuantizerSchedule;
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
 * the source path, its format, the SHA-256 of the weights file, the parameters the source
 * did not have (left at their initial values; for example a bare model's quantizer) and the
 * source tensors not used (a CTC checkpoint's leftover pre-training head).
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
                               String architecture, long parameters, List<String> initialised, List<String> ignored,
                               String importedAt) {
    }

    private CheckpointImporter() {
    }

    /** What any source format hands the importer. */
    private record Source(String format, Path weightsFile, HuggingFaceModel.Kind kind, String architecture,
                          Wav2Vec2Config config, Vocabulary vocabulary, boolean normalize, Double epsilon,
                          double finalDropout, Double maskProb, Integer maskLength, Integer negatives,
                          Double diversityWeight, Double penaltyWeight, QuantizerSchedule gumbel, String detail,
                          WeightsOpener weights) {
    }

    @FunctionalInterface
    private interface WeightsOpener {
        TensorSource open() throws IOException;
    }

    /**
     * @param source   a Hugging Face model folder or a fairseq {@code .pt}
     * @param dict     a fairseq CTC model's {@code dict.ltr.txt} (null: beside the checkpoint)
     * @param out      the run folder to create (must not exist or be empty)
     * @param progress receives one line per step (may be null)
     */
    public static Result importCheckpoint(Path source, Path dict, Path out, List<String> command,
                                          Consumer<String> progress) throws IOException {
        Consumer<String> say = progress == null ? s -> { } : progress;
        if (!Files.exists(source)) {
            throw new InteropException(source, "no such file or folder");
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            throw new InteropException(out, "already exists and is not empty; choose a new run folder");
        }
        if (Files.isDirectory(source)) {
            if (dict != null) {
                throw new InteropException(dict, "--dict applies to fairseq .pt files; a Hugging Face folder has vocab.json");
            }
            HuggingFaceModel hf = HuggingFaceModel.open(source);
            String arch = hf.kind() == HuggingFaceModel.Kind.CTC ? "Wav2Vec2ForCTC"
                    : hf.kind() == HuggingFaceModel.Kind.PRETRAINING ? "Wav2Vec2ForPreTraining" : "Wav2Vec2Model";
            var j = hf.json();
            Source src = new Source(hf.format(), hf.weightsFile(), hf.kind(), arch, hf.config(), hf.vocabulary(),
                    hf.doNormalize(), hf.doNormalize() ? DataConfig.TRANSFORMERS_EPSILON : null, hf.finalDropout(),
                    j.has("mask_time_prob") ? j.get("mask_time_prob").asDouble() : null,
                    j.has("mask_time_length") ? j.get("mask_time_length").asInt() : null,
                    j.has("num_negatives") ? j.get("num_negatives").asInt() : null,
                    j.has("diversity_loss_weight") ? j.get("diversity_loss_weight").asDouble() : null, null, null,
                    "config.json", hf::openWeights);
            Result r = write(source, src, out, command, say);
            Files.copy(source.resolve("config.json"), out.resolve("source-config.json"));
            return r;
        }
        try (FairseqCheckpoint fs = FairseqCheckpoint.open(source, dict)) {
            HuggingFaceModel.Kind kind = fs.ctc() ? HuggingFaceModel.Kind.CTC
                    : fs.pretraining() ? HuggingFaceModel.Kind.PRETRAINING : HuggingFaceModel.Kind.BARE;
            Map<String, Object> m = fs.modelConfig();
            // the pre-training recipe the checkpoint was trained with, so that continuing it keeps it
            double[] weights = fs.ctc() ? null : fs.lossWeights();
            double[] temp = fs.ctc() ? null : fs.latentTemp();
            QuantizerSchedule gumbel;
            try {
                gumbel = temp == null ? null : new QuantizerSchedule(temp[0], temp[1], temp[2]);
            } catch (IllegalArgumentException e) {
                throw new InteropException(source, "latent_temp " + m.get("latent_temp") + ": " + e.getMessage(), e);
            }
            Source src = new Source("fairseq", source, kind, fs.ctc() ? "Wav2VecCtc" : "Wav2Vec2Model", fs.config(),
                    fs.vocabulary(), fs.normalize(), null, fs.finalDropout(),
                    m.get("mask_prob") instanceof Number n ? n.doubleValue() : null,
                    m.get("mask_length") instanceof Number n ? n.intValue() : null,
                    m.get("num_negatives") instanceof Number n ? n.intValue() : null,
                    weights == null ? null : weights[0], weights == null ? null : weights[1], gumbel, fs.cfgKind(),
                    fs::weights);
            return write(source, src, out, command, say);
        }
    }

    private static Result write(Path source, Source src, Path out, List<String> command, Consumer<String> say)
            throws IOException {
        say.accept("reading " + src.weightsFile() + " (" + src.format() + ", " + src.architecture() + ", architecture from "
                + src.detail() + ")");
        String sha = sha256(src.weightsFile());
        Wav2Vec2Config cfg = src.config();
        boolean ctc = src.kind() == HuggingFaceModel.Kind.CTC;
        ParamStore params = ctc ? new Wav2Vec2CtcModel(cfg, src.vocabulary().size(), src.finalDropout(), 1,
                DataType.FLOAT).params() : new Wav2Vec2Model(cfg, 1, DataType.FLOAT).params();
        HfWeights.Loaded loaded;
        try (TensorSource ts = src.weights().open()) {
            loaded = HfWeights.load(ts, params, cfg);
        }
        List<String> essential = new ArrayList<>();
        for (String name : loaded.missing()) {
            boolean optional = name.equals("mask_emb") || (src.kind() == HuggingFaceModel.Kind.BARE
                    && (name.startsWith("quantizer.") || name.startsWith("project_q.") || name.startsWith("final_proj.")));
            if (!optional) {
                essential.add(name);
            }
        }
        if (!essential.isEmpty()) {
            throw new InteropException(src.weightsFile(), "the weights lack what the config describes: "
                    + String.join(", ", essential.stream().limit(12).toList()) + (essential.size() > 12 ? ", …" : ""));
        }
        say.accept("mapped " + loaded.loaded().size() + " tensors" + (loaded.missing().isEmpty() ? ""
                : "; not in the source, left at their initial values: " + String.join(", ", loaded.missing()))
                + (loaded.ignored().isEmpty() ? "" : "; not used by a CTC model (pre-training head): "
                + String.join(", ", loaded.ignored())));

        Object runConfig;
        try {
            runConfig = ctc ? finetuneConfig(src, out) : pretrainConfig(src);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new InteropException(source, "the imported architecture does not fit a run config: " + e.getMessage(), e);
        }
        Provenance prov = new Provenance(source.toAbsolutePath().toString(), "imported " + src.format(), "sha256:" + sha,
                "imported", 0, 0, Provenance.gitCommit(Path.of(".")), Provenance.ENGINE_VERSION, "", "",
                System.getProperty("java.version"), System.getProperty("os.name"), Provenance.now(), command);
        RunFolder run = RunStore.openOrCreate(out, runConfig, prov);
        if (ctc) {
            src.vocabulary().save(out.resolve("vocab.txt"));
        }
        long count = params.count();
        ImportRecord rec = new ImportRecord("imported", source.toAbsolutePath().toString(), src.format(),
                src.weightsFile().getFileName().toString(), sha, src.architecture(), count, loaded.missing(),
                loaded.ignored(), Provenance.now());
        AtomicFiles.writeString(out.resolve("import.json"), ConfigIO.json().writerWithDefaultPrettyPrinter()
                .writeValueAsString(rec));
        String yaml = ConfigIO.toYaml(runConfig);
        String provJson = ConfigIO.json().writeValueAsString(prov);
        List<Param> list = params.list();
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, ctc ? "wav2vec2-ctc" : PretrainConfig.WAV2VEC2, 0, 0,
                0, 1, params.dtype().name(), Checkpoint.describe(list), new long[list.size()], null, Provenance.now(), yaml,
                provJson, ctc ? src.vocabulary().tokens() : null);
        Checkpoint.writeFresh(run.checkpointFile(0), meta, list);
        run.writeStatus(new RunStatus(RunState.FINISHED, 0, 0, Provenance.now(), "imported from " + source));
        run.log("imported " + source + " (" + src.format() + ", sha256 " + sha + "), " + count + " parameters");
        say.accept("wrote " + run.checkpointFile(0));
        return new Result(run, "imported", src.format(), sha, count, loaded.missing(), cfg, ctc ? src.vocabulary() : null);
    }

    /** A fine-tuning config around the imported architecture: the ctc-base-10m recipe's training settings. */
    private static FinetuneConfig finetuneConfig(Source src, Path runDir) throws ConfigException {
        FinetuneConfig preset = Presets.finetune("ctc-base-10m");
        DataConfig data = preset.data().withNormalize(src.normalize(), src.normalize() ? src.epsilon() : null);
        return new FinetuneConfig("", src.config(), runDir.toAbsolutePath().resolve("vocab.txt").toString(),
                preset.masking(), preset.channelMaskProb(), Math.min(preset.channelMaskLength(), src.config().modelDim()),
                src.finalDropout(), preset.freezeUpdates(), preset.freezeFeatureEncoder(), preset.optimizer(), data,
                preset.run(), preset.validationInterval(), preset.selection());
    }

    /**
     * A pre-training config around the imported architecture: the masking, distractors, Gumbel
     * schedule and loss weights the checkpoint names, fairseq's BASE or LARGE recipe for the rest
     * (optimizer, batches, updates: a checkpoint's run settings rarely suit another machine).
     */
    private static PretrainConfig pretrainConfig(Source src) throws ConfigException {
        boolean large = src.config().extractorMode() == ExtractorMode.LAYER_NORM;
        PretrainConfig preset = Presets.pretrain(large ? "wav2vec2-large" : "wav2vec2-base");
        MaskingConfig pm = preset.masking();
        MaskingConfig masking = new MaskingConfig(src.maskProb() != null ? src.maskProb() : pm.maskProb(),
                src.maskLength() != null ? src.maskLength() : pm.maskLength(), pm.minMasks(), pm.requireSameMasks());
        LossConfig pl = preset.loss();
        LossConfig loss = new LossConfig(src.negatives() != null ? src.negatives() : pl.negatives(),
                src.diversityWeight() != null ? src.diversityWeight() : pl.diversityWeight(),
                src.penaltyWeight() != null ? src.penaltyWeight() : pl.penaltyWeight());
        DataConfig data = preset.data().withNormalize(src.normalize(), src.normalize() ? src.epsilon() : null);
        return new PretrainConfig(PretrainConfig.WAV2VEC2, src.config(), masking,
                src.gumbel() != null ? src.gumbel() : preset.quantizer(), loss, preset.optimizer(), data, preset.run());
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

}
