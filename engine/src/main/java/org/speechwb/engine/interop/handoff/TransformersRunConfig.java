package org.speechwb.engine.interop.handoff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.speechwb.engine.config.DataConfig;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.interop.HfExport;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * A workbench pre-training config as a run of transformers' example
 * {@code examples/pytorch/speech-pretraining/run_wav2vec2_pretraining_no_trainer.py} (under
 * {@code accelerate launch} or {@code torchrun}): the model folder it initialises from
 * ({@code config.json}, {@code preprocessor_config.json}) and its command-line arguments. The
 * script differs from fairseq and the engine in ways that are listed, not hidden: it truncates
 * long utterances instead of cropping at random, batches by count instead of by samples, has no
 * feature penalty and no gradient clipping, and refuses models without the "stable layer norm"
 * (LARGE-style) architecture and unnormalised input.
 */
public final class TransformersRunConfig {

    private final ObjectNode config;
    private final ObjectNode preprocessor;
    private final Map<String, Object> args = new LinkedHashMap<>();
    private final List<Unmapped> unmapped = new ArrayList<>();

    private TransformersRunConfig(ObjectNode config, ObjectNode preprocessor) {
        this.config = config;
        this.preprocessor = preprocessor;
    }

    /** {@code config.json} of the model folder; null for fine-tuning (the model is the pre-trained one). */
    public ObjectNode config() {
        return config;
    }

    /** {@code preprocessor_config.json} of the model folder. */
    public ObjectNode preprocessor() {
        return preprocessor;
    }

    /** The script's arguments, without the leading dashes; {@code List} values are nargs="+" arguments. */
    public Map<String, Object> args() {
        return args;
    }

    public List<Unmapped> unmapped() {
        return List.copyOf(unmapped);
    }

    /**
     * @param modelDir   where the model folder will be (the script's {@code --model_name_or_path})
     * @param dataDir    the audio folder dataset of the training utterances ({@code --dataset_name})
     * @param outputDir  where the script saves the model ({@code --output_dir})
     * @param validShare the validation set's share of all exported utterances
     */
    public static TransformersRunConfig pretraining(PretrainConfig p, Path modelDir, Path dataDir, Path outputDir,
                                                    double validShare) {
        if (!PretrainConfig.WAV2VEC2.equals(p.family())) {
            throw new IllegalArgumentException("transformers hand-off covers wav2vec 2.0 pre-training; this config's family is "
                    + p.family());
        }
        ObjectNode cfg = HfExport.config(p.wav2vec2(), false, null, 0.0, p.masking().maskProb(), p.masking().maskLength());
        cfg.put("mask_time_min_masks", p.masking().minMasks());
        cfg.put("num_negatives", p.loss().negatives());
        cfg.put("diversity_loss_weight", p.loss().diversityWeight());
        cfg.put("apply_spec_augment", true);
        ObjectNode pre = cfg.objectNode();
        pre.put("feature_extractor_type", "Wav2Vec2FeatureExtractor");
        pre.put("feature_size", 1);
        pre.put("sampling_rate", 16000);
        pre.put("padding_value", 0.0);
        pre.put("padding_side", "right");
        pre.put("do_normalize", p.data().normalize());
        pre.put("return_attention_mask", p.wav2vec2().extractorMode() == ExtractorMode.LAYER_NORM);
        TransformersRunConfig t = new TransformersRunConfig(cfg, pre);
        t.scriptArgs(p, modelDir, dataDir, outputDir, validShare);
        t.differences(p);
        return t;
    }

    /**
     * CTC fine-tuning as a run of transformers' {@code examples/pytorch/speech-recognition/
     * run_speech_recognition_ctc.py}: the pre-trained model comes from {@code model} (a
     * transformers folder, ours exported, or a hub name); the script builds its letter vocabulary
     * from the transcripts and puts a new CTC head on the model.
     *
     * @param model     {@code --model_name_or_path}, or null when the caller has none yet
     * @param dataDir   the audio folder dataset with {@code train/} and {@code validation/}
     * @param outputDir where the script saves checkpoints and the model ({@code --output_dir})
     */
    public static TransformersRunConfig finetuning(FinetuneConfig c, String model, Path dataDir, Path outputDir) {
        TransformersRunConfig t = new TransformersRunConfig(null, null);
        Wav2Vec2Config w = c.wav2vec2();
        OptimizerConfig o = c.optimizer();
        DataConfig d = c.data();
        Map<String, Object> a = t.args;
        a.put("model_name_or_path", model == null || model.isBlank() ? "???" : model);
        a.put("dataset_name", dataDir.toString());
        a.put("dataset_config_name", "default");
        a.put("train_split_name", "train");
        a.put("eval_split_name", "validation");
        a.put("audio_column_name", "audio");
        a.put("text_column_name", "transcription");
        a.put("eval_metrics", List.of("wer", "cer"));
        a.put("max_duration_in_seconds", d.maxSampleSize() / 16000.0);
        a.put("min_duration_in_seconds", d.minSampleSize() / 16000.0);
        a.put("freeze_feature_encoder", c.freezeFeatureEncoder());
        a.put("hidden_dropout", w.dropout());
        a.put("attention_dropout", w.attentionDropout());
        a.put("activation_dropout", w.activationDropout());
        a.put("feat_proj_dropout", w.inputDropout());
        a.put("final_dropout", c.finalDropout());
        a.put("layerdrop", w.layerDrop());
        a.put("mask_time_prob", c.masking().maskProb());
        a.put("mask_time_length", c.masking().maskLength());
        a.put("mask_feature_prob", c.channelMaskProb());
        a.put("mask_feature_length", c.channelMaskLength());
        a.put("ctc_loss_reduction", "mean");
        a.put("output_dir", outputDir.toString());
        a.put("do_train", true);
        a.put("do_eval", true);
        // transformers ≥ 4.41; older versions call it evaluation_strategy (the README says so)
        a.put("eval_strategy", "steps");
        a.put("eval_steps", c.validationInterval());
        a.put("max_steps", c.run().maxUpdates());
        t.adam(o);
        a.put("max_grad_norm", o.clipNorm());
        a.put("warmup_steps", o.warmupUpdates());
        // as for pre-training: a fixed count of utterances gives the engine's upper bound of samples per batch
        int batch = Math.max(1, d.maxTokens() / d.maxSampleSize());
        a.put("per_device_train_batch_size", batch);
        a.put("per_device_eval_batch_size", batch);
        // the script stores each utterance's length there: batches of similar lengths waste less padding
        a.put("group_by_length", true);
        a.put("length_column_name", "input_length");
        a.put("save_steps", c.run().checkpointInterval());
        a.put("save_total_limit", c.run().keepCheckpoints());
        a.put("logging_steps", 50);
        // the workbench follows these event files (Runs → External run…, ./speechwb metrics)
        a.put("logging_dir", outputDir.resolve("tensorboard").toString());
        a.put("report_to", List.of("tensorboard"));
        a.put("seed", (int) c.run().seed());
        t.finetuningDifferences(c, model);
        return t;
    }

    private void finetuningDifferences(FinetuneConfig c, String model) {
        OptimizerConfig o = c.optimizer();
        if (model == null || model.isBlank()) {
            unmapped.add(Unmapped.blocker("pretrained", c.pretrained().isBlank() ? "(none: from scratch)" : c.pretrained(),
                    "--model_name_or_path must name the pre-trained model: a transformers folder or hub name, or our"
                            + " checkpoint (export-run exports it); give --pretrained"));
        }
        if (c.freezeUpdates() > 0) {
            unmapped.add(Unmapped.note("freezeUpdates", c.freezeUpdates(), "the script trains the Transformer from the"
                    + " first step; it has no head-only phase (fairseq's freeze_finetune_updates)"));
        }
        if (!c.freezeFeatureEncoder() && c.wav2vec2().featureGradMult() < 1) {
            unmapped.add(Unmapped.note("wav2vec2.featureGradMult", c.wav2vec2().featureGradMult(),
                    "transformers trains the feature encoder at full gradient or freezes it"));
        }
        scheduleNotes(o);
        unmapped.add(Unmapped.note("CTC loss reduction", "mean over utterances of the per-utterance loss",
                "ctc_loss_reduction=mean also divides each utterance's loss by its target length; lr may need retuning"));
        unmapped.add(Unmapped.note("vocabulary", c.vocabulary(), "the script builds its own from the transcripts:"
                + " lower-cased letters, | between words, [UNK], and [PAD] as the CTC blank"));
        unmapped.add(Unmapped.note("data.maxSampleSize", c.data().maxSampleSize(), "the script drops utterances longer"
                + " than max_duration_in_seconds instead of cropping them"));
        unmapped.add(Unmapped.note("data.maxTokens", c.data().maxTokens(), "the script batches a fixed number of"
                + " utterances (per_device_train_batch_size = maxTokens / maxSampleSize)"));
        unmapped.add(Unmapped.note("run.keepCheckpoints", c.run().keepCheckpoints(), "save_total_limit keeps the newest"
                + " checkpoints, but not necessarily the best one"));
    }

    /** AdamW and its schedule, named alike in both scripts (the Trainer's and the accelerate one's). */
    private void adam(OptimizerConfig o) {
        args.put("learning_rate", o.lr());
        args.put("weight_decay", o.weightDecay());
        args.put("adam_beta1", o.beta1());
        args.put("adam_beta2", o.beta2());
        args.put("adam_epsilon", o.eps());
        args.put("lr_scheduler_type", "cosine".equals(o.schedule()) ? "cosine" : "linear");
        args.put("gradient_accumulation_steps", o.updateFreq());
    }

    private void scheduleNotes(OptimizerConfig o) {
        if ("tri_stage".equals(o.schedule())) {
            unmapped.add(Unmapped.note("optimizer.schedule", "tri_stage", "transformers has no tri-stage schedule;"
                    + " linear decay after warm-up is used"));
        } else if (!"cosine".equals(o.schedule()) && (o.endLr() != 0 || o.power() != 1)) {
            unmapped.add(Unmapped.note("optimizer.endLr / power", o.endLr() + " / " + o.power(),
                    "transformers' linear schedule decays to 0 with power 1"));
        }
    }

    private void scriptArgs(PretrainConfig p, Path modelDir, Path dataDir, Path outputDir, double validShare) {
        OptimizerConfig o = p.optimizer();
        DataConfig d = p.data();
        args.put("dataset_name", dataDir.toString());
        args.put("dataset_config_names", List.of("default"));
        args.put("dataset_split_names", List.of("train"));
        args.put("validation_split_percentage", Math.max(1, (int) Math.round(100 * validShare)));
        args.put("model_name_or_path", modelDir.toString());
        args.put("output_dir", outputDir.toString());
        args.put("max_train_steps", p.run().maxUpdates());
        adam(o);
        args.put("num_warmup_steps", o.warmupUpdates());
        // the engine fills a batch up to maxTokens samples; the script takes a fixed count of
        // utterances truncated to max_duration_in_seconds, so this count gives the same upper bound
        args.put("per_device_train_batch_size", Math.max(1, d.maxTokens() / d.maxSampleSize()));
        args.put("max_duration_in_seconds", d.maxSampleSize() / 16000.0);
        args.put("min_duration_in_seconds", d.minSampleSize() / 16000.0);
        args.put("max_gumbel_temperature", p.quantizer().startTemperature());
        args.put("min_gumbel_temperature", p.quantizer().endTemperature());
        args.put("gumbel_temperature_decay", p.quantizer().decay());
        args.put("seed", (int) p.run().seed());
        args.put("saving_steps", p.run().checkpointInterval());
        args.put("logging_steps", 50);
    }

    private void differences(PretrainConfig p) {
        OptimizerConfig o = p.optimizer();
        if (!p.wav2vec2().layerNormFirst() || p.wav2vec2().extractorMode() != ExtractorMode.LAYER_NORM) {
            unmapped.add(Unmapped.blocker("wav2vec2.layerNormFirst / wav2vec2.extractorMode",
                    p.wav2vec2().layerNormFirst() + " / " + p.wav2vec2().extractorMode().name().toLowerCase(),
                    "the script pre-trains only do_stable_layer_norm=true with feat_extract_norm=layer (LARGE-style);"
                            + " use the fairseq hand-off, or a LARGE-style config"));
        }
        if (!p.data().normalize()) {
            unmapped.add(Unmapped.blocker("data.normalize", false,
                    "the script trains only on normalised input (do_normalize=true)"));
        } else if (p.data().normalizeEpsilon() == null || p.data().normalizeEpsilon() != DataConfig.TRANSFORMERS_EPSILON) {
            unmapped.add(Unmapped.note("data.normalizeEpsilon", p.data().normalizeEpsilon() == null
                    ? DataConfig.FAIRSEQ_EPSILON : p.data().normalizeEpsilon(), "transformers normalises with ε = 1e-7"));
        }
        scheduleNotes(o);
        if (o.clipNorm() > 0) {
            unmapped.add(Unmapped.note("optimizer.clipNorm", o.clipNorm(), "the script does not clip gradients"));
        }
        unmapped.addAll(Unmapped.workbenchVariants(p, "transformers' script"));
        if (p.loss().penaltyWeight() > 0) {
            unmapped.add(Unmapped.note("loss.penaltyWeight", p.loss().penaltyWeight(),
                    "transformers' Wav2Vec2ForPreTraining has no feature penalty (fairseq's features_pen)"));
        }
        if (p.masking().requireSameMasks()) {
            unmapped.add(Unmapped.note("masking.requireSameMasks", true, "transformers masks each utterance"
                    + " independently; fairseq's require_same_masks has no counterpart"));
        }
        unmapped.add(Unmapped.note("data.maxSampleSize", p.data().maxSampleSize(), "the script keeps the first"
                + " max_duration_in_seconds of each utterance; the engine and fairseq crop at a random offset"));
        unmapped.add(Unmapped.note("data.maxTokens", p.data().maxTokens(), "the script batches a fixed number of"
                + " utterances (per_device_train_batch_size = maxTokens / maxSampleSize)"));
        unmapped.add(Unmapped.note("validation set", "valid.tsv speakers", "the script validates on the first"
                + " validation_split_percentage % of the training rows; the exported folder lists the validation"
                + " utterances first"));
        unmapped.add(Unmapped.note("optimizer.decayAllParams", o.decayAllParams(), "the script's AdamW decays every parameter"));
        unmapped.add(Unmapped.note("run.keepCheckpoints", p.run().keepCheckpoints(), "the script overwrites one saved model"
                + " in output_dir every saving_steps"));
    }
}
