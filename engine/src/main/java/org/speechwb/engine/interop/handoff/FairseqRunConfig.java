package org.speechwb.engine.interop.handoff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.speechwb.engine.config.DataConfig;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.MaskingConfig;
import org.speechwb.engine.config.OptimizerConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.RunConfig;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * A workbench config as a fairseq hydra config ({@code fairseq-hydra-train --config-name}),
 * laid out like fairseq's own {@code examples/wav2vec/config/} files. Every key is one of the
 * fields of fairseq's dataclasses (checked against a schema derived from fairseq's source in
 * the tests); what fairseq cannot express is collected in {@link #unmapped()}.
 */
public final class FairseqRunConfig {

    /** hydra's marker for a value that must be given on the command line. */
    public static final String MISSING = "???";

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Unmapped> unmapped = new ArrayList<>();

    private FairseqRunConfig() {
    }

    /** The nested groups, in fairseq's order. */
    public Map<String, Object> groups() {
        return root;
    }

    public List<Unmapped> unmapped() {
        return List.copyOf(unmapped);
    }

    /** wav2vec 2.0 pre-training ({@code audio_pretraining} task, {@code wav2vec} criterion). */
    public static FairseqRunConfig pretraining(PretrainConfig p, Path manifestDir) {
        if (!PretrainConfig.WAV2VEC2.equals(p.family())) {
            throw new IllegalArgumentException("fairseq hand-off covers wav2vec 2.0 pre-training; this config's family is "
                    + p.family());
        }
        FairseqRunConfig f = new FairseqRunConfig();
        f.common(p.run());
        f.checkpoint(p.run(), false);
        Map<String, Object> task = f.group("task");
        task.put("_name", "audio_pretraining");
        task.put("data", manifestDir.toString());
        f.data(task, p.data());
        Map<String, Object> dataset = f.dataset(p.data());
        dataset.put("valid_subset", "valid");
        f.group("distributed_training").putAll(distributed());
        Map<String, Object> crit = f.group("criterion");
        crit.put("_name", "wav2vec");
        crit.put("infonce", true);
        crit.put("log_keys", List.of("prob_perplexity", "code_perplexity", "temp"));
        crit.put("loss_weights", List.of(p.loss().diversityWeight(), p.loss().penaltyWeight()));
        f.optimization(p.optimizer(), p.run());
        f.optimizer(p.optimizer());
        f.scheduler(p.optimizer(), p.run().maxUpdates());

        Wav2Vec2Config w = p.wav2vec2();
        Map<String, Object> model = f.group("model");
        model.put("_name", "wav2vec2");
        model.put("extractor_mode", w.extractorMode() == ExtractorMode.LAYER_NORM ? "layer_norm" : "default");
        model.put("conv_feature_layers", convLayers(w.convLayers()));
        model.put("conv_bias", w.convBias());
        model.put("encoder_layers", w.layers());
        model.put("encoder_embed_dim", w.modelDim());
        model.put("encoder_ffn_embed_dim", w.ffnDim());
        model.put("encoder_attention_heads", w.heads());
        model.put("activation_fn", "gelu");
        model.put("layer_norm_first", w.layerNormFirst());
        model.put("dropout", w.dropout());
        model.put("attention_dropout", w.attentionDropout());
        model.put("activation_dropout", w.activationDropout());
        model.put("encoder_layerdrop", w.layerDrop());
        model.put("dropout_input", w.inputDropout());
        model.put("dropout_features", w.featureDropout());
        model.put("feature_grad_mult", w.featureGradMult());
        model.put("conv_pos", w.posConvKernel());
        model.put("conv_pos_groups", w.posConvGroups());
        model.put("final_dim", w.finalDim());
        model.put("quantize_targets", true);
        model.put("latent_vars", w.codebookEntries());
        model.put("latent_groups", w.codebookGroups());
        // the engine's code vectors have final_dim channels; fairseq's latent_dim 0 means the same
        model.put("latent_dim", 0);
        model.put("logit_temp", w.logitTemperature());
        model.put("latent_temp", List.of(p.quantizer().startTemperature(), p.quantizer().endTemperature(),
                p.quantizer().decay()));
        MaskingConfig m = p.masking();
        model.put("mask_prob", m.maskProb());
        model.put("mask_length", m.maskLength());
        model.put("require_same_masks", m.requireSameMasks());
        model.put("num_negatives", p.loss().negatives());
        model.put("cross_sample_negatives", 0);
        f.minMasks(m);
        f.unmapped.addAll(Unmapped.workbenchVariants(p, "fairseq"));
        return f;
    }

    /**
     * CTC fine-tuning ({@code audio_finetuning} task, {@code wav2vec_ctc} model, {@code ctc}
     * criterion). The architecture comes from {@code w2v_path} in fairseq, so only the
     * fine-tuning-time settings are written.
     *
     * @param w2vPath a fairseq pre-training checkpoint, or null for {@link #MISSING}
     */
    public static FairseqRunConfig finetuning(FinetuneConfig c, Path manifestDir, String w2vPath) {
        FairseqRunConfig f = new FairseqRunConfig();
        f.common(c.run());
        f.checkpoint(c.run(), true);
        Map<String, Object> task = f.group("task");
        task.put("_name", "audio_finetuning");
        task.put("data", manifestDir.toString());
        f.data(task, c.data());
        task.put("labels", "ltr");
        Map<String, Object> dataset = f.dataset(c.data());
        dataset.put("valid_subset", "valid");
        dataset.put("validate_interval_updates", c.validationInterval());
        f.group("distributed_training").putAll(distributed());
        Map<String, Object> crit = f.group("criterion");
        crit.put("_name", "ctc");
        crit.put("zero_infinity", true);
        crit.put("post_process", "letter");
        f.optimization(c.optimizer(), c.run());
        // fairseq's fine-tuning recipes average the loss over sentences, as the engine does
        f.group("optimization").put("sentence_avg", true);
        f.optimizer(c.optimizer());
        f.scheduler(c.optimizer(), c.run().maxUpdates());

        Wav2Vec2Config w = c.wav2vec2();
        Map<String, Object> model = f.group("model");
        model.put("_name", "wav2vec_ctc");
        model.put("w2v_path", w2vPath == null || w2vPath.isBlank() ? MISSING : w2vPath);
        model.put("apply_mask", true);
        model.put("mask_prob", c.masking().maskProb());
        model.put("mask_length", c.masking().maskLength());
        model.put("require_same_masks", c.masking().requireSameMasks());
        model.put("mask_channel_prob", c.channelMaskProb());
        model.put("mask_channel_length", c.channelMaskLength());
        model.put("dropout", w.dropout());
        model.put("attention_dropout", w.attentionDropout());
        model.put("activation_dropout", w.activationDropout());
        model.put("dropout_input", w.inputDropout());
        model.put("layerdrop", w.layerDrop());
        model.put("final_dropout", c.finalDropout());
        model.put("feature_grad_mult", c.freezeFeatureEncoder() ? 0.0 : w.featureGradMult());
        model.put("freeze_finetune_updates", c.freezeUpdates());
        f.minMasks(c.masking());
        if (w2vPath == null || w2vPath.isBlank()) {
            f.unmapped.add(Unmapped.blocker("pretrained", c.pretrained().isBlank() ? "(none: from scratch)" : c.pretrained(),
                    "model.w2v_path must name a fairseq pre-training checkpoint (the architecture comes from it);"
                            + " give --pretrained (a fairseq checkpoint, or one of our runs, exported to fairseq) or pass"
                            + " model.w2v_path=... to fairseq-hydra-train"));
        }
        if (!"english-letters".equals(c.vocabulary())) {
            f.unmapped.add(Unmapped.note("vocabulary", c.vocabulary(), "fairseq's targets are the letters in"
                    + " dict.ltr.txt, built from the training transcripts"));
        }
        return f;
    }

    /** fairseq reads audio at its stored rate and refuses anything but 16 kHz; the engine resamples. */
    void sampleRates(List<Utterance> train, List<Utterance> valid) {
        long other = java.util.stream.Stream.concat(train.stream(), valid.stream())
                .filter(u -> u.sampleRate() != Utterance.MODEL_RATE).count();
        if (other > 0) {
            unmapped.add(Unmapped.blocker("audio sample rate", other + " file(s) not at 16 kHz",
                    "fairseq's audio datasets do not resample and stop on such a file; convert them to 16 kHz first"));
        }
    }

    private Map<String, Object> group(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) root.computeIfAbsent(name, k -> new LinkedHashMap<>());
        return g;
    }

    private void common(RunConfig run) {
        Map<String, Object> c = group("common");
        c.put("seed", (int) run.seed());
        c.put("log_format", "json");
        c.put("log_interval", 50);
        // the workbench watches this folder (./speechwb metrics, Runs) while the cluster trains
        c.put("tensorboard_logdir", "tensorboard");
        if (run.nanTolerance() > 0) {
            unmapped.add(Unmapped.note("run.nanTolerance", run.nanTolerance(), "fairseq skips an update whose"
                    + " gradients overflow (fp16) and stops on a NaN loss; it has no count of tolerated NaN updates"));
        }
        unmapped.add(Unmapped.note("run.warnAfterUpdates", run.warnAfterUpdates(),
                "the workbench's health warnings; they apply when the run is watched here"));
    }

    private void checkpoint(RunConfig run, boolean finetune) {
        Map<String, Object> c = group("checkpoint");
        c.put("save_interval_updates", run.checkpointInterval());
        c.put("keep_interval_updates", run.keepCheckpoints());
        c.put("no_epoch_checkpoints", true);
        if (finetune) {
            c.put("best_checkpoint_metric", "loss");
        }
    }

    private void data(Map<String, Object> task, DataConfig d) {
        task.put("max_sample_size", d.maxSampleSize());
        task.put("min_sample_size", d.minSampleSize());
        task.put("normalize", d.normalize());
        if (d.normalizeEpsilon() != null && d.normalizeEpsilon() != DataConfig.FAIRSEQ_EPSILON) {
            unmapped.add(Unmapped.note("data.normalizeEpsilon", d.normalizeEpsilon(),
                    "fairseq normalises with F.layer_norm's ε = 1e-5"));
        }
        unmapped.add(Unmapped.note("data.cacheMegabytes", d.cacheMegabytes(),
                "the workbench's decoded-audio cache; fairseq reads audio with its data loader workers"));
    }

    private Map<String, Object> dataset(DataConfig d) {
        Map<String, Object> ds = group("dataset");
        ds.put("max_tokens", d.maxTokens());
        if (d.maxBatchSize() > 0) {
            ds.put("batch_size", d.maxBatchSize());
        }
        ds.put("skip_invalid_size_inputs_valid_test", true);
        return ds;
    }

    private static Map<String, Object> distributed() {
        Map<String, Object> d = new LinkedHashMap<>();
        // the launch command sets the world size; legacy_ddp is what fairseq's wav2vec recipes use
        d.put("distributed_world_size", 1);
        d.put("ddp_backend", "legacy_ddp");
        return d;
    }

    private void optimization(OptimizerConfig o, RunConfig run) {
        Map<String, Object> opt = group("optimization");
        opt.put("max_update", run.maxUpdates());
        opt.put("lr", List.of(o.lr()));
        opt.put("clip_norm", o.clipNorm());
        opt.put("update_freq", List.of(o.updateFreq()));
    }

    private void optimizer(OptimizerConfig o) {
        Map<String, Object> opt = group("optimizer");
        opt.put("_name", "adam");
        opt.put("adam_betas", String.format(Locale.ROOT, "(%s,%s)", num(o.beta1()), num(o.beta2())));
        opt.put("adam_eps", o.eps());
        opt.put("weight_decay", o.weightDecay());
        if (!o.decayAllParams() && o.weightDecay() > 0) {
            unmapped.add(Unmapped.note("optimizer.decayAllParams", false, "fairseq's adam decays every parameter,"
                    + " biases and norms included"));
        }
    }

    private void scheduler(OptimizerConfig o, int maxUpdates) {
        Map<String, Object> s = group("lr_scheduler");
        switch (o.schedule()) {
            case "tri_stage" -> {
                double fin = o.endLr() > 0 ? o.endLr() : o.lr() * 0.05;
                s.put("_name", "tri_stage");
                s.put("warmup_steps", o.warmupUpdates());
                s.put("hold_steps", o.holdUpdates());
                s.put("decay_steps", Math.max(0, maxUpdates - o.warmupUpdates() - o.holdUpdates()));
                s.put("init_lr_scale", 0.01);
                s.put("final_lr_scale", fin / o.lr());
            }
            case "cosine" -> {
                s.put("_name", "cosine");
                s.put("warmup_updates", o.warmupUpdates());
                s.put("warmup_init_lr", 0.0);
                s.put("min_lr", o.endLr());
                s.put("lr_period_updates", (double) Math.max(1, maxUpdates - o.warmupUpdates()));
            }
            default -> {
                s.put("_name", "polynomial_decay");
                s.put("warmup_updates", o.warmupUpdates());
                s.put("end_learning_rate", o.endLr());
                s.put("power", o.power());
                s.put("total_num_update", (double) maxUpdates);
            }
        }
    }

    private void minMasks(MaskingConfig m) {
        if (m.minMasks() != 2) {
            unmapped.add(Unmapped.note("masking.minMasks", m.minMasks(), "fairseq's wav2vec2 model always asks"
                    + " compute_mask_indices for at least 2 spans"));
        }
    }

    /** fairseq parses this string with Python's eval: a plain list of (dim, kernel, stride) tuples. */
    static String convLayers(List<ConvLayerSpec> layers) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < layers.size(); i++) {
            ConvLayerSpec l = layers.get(i);
            sb.append(i == 0 ? "" : ", ").append('(').append(l.channels()).append(", ").append(l.kernel()).append(", ")
                    .append(l.stride()).append(')');
        }
        return sb.append(']').toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
