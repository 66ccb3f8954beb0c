package org.speechwb.engine.interop.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.speechwb.engine.interop.HfExport;
import org.speechwb.engine.interop.InteropException;
import org.speechwb.engine.interop.RunExporter;
import org.speechwb.engine.interop.Safetensors;
import org.speechwb.engine.interop.TorchSave;
import org.speechwb.engine.model.w2v2.ExtractorMode;

/**
 * Writes one of our wav2vec 2.0 pre-training checkpoints as a fairseq checkpoint: what
 * {@code fairseq-hydra-train} fine-tunes from ({@code model.w2v_path}) or continues with
 * {@code checkpoint.restore_file} and reset optimizer. The file is what fairseq ≥ 0.12 saves: a
 * dict with {@code cfg} (a plain dict, which fairseq turns back into an OmegaConf config on
 * load), {@code model} (the {@code Wav2Vec2Model} state dict under fairseq's names), and the
 * {@code optimizer_history} and {@code extra_state} its loader upgrades; no optimizer state.
 * The config groups are the ones the hand-off writes ({@link FairseqRunConfig}), so the model
 * fairseq builds from the file is the one the hand-off YAML describes. It lives here, beside the
 * hand-off, because it is made of it.
 */
public final class FairseqCheckpointWriter {

    private FairseqCheckpointWriter() {
    }

    /** Exports the checkpoint {@code runOrCheckpoint} names (a run: its newest) to {@code out}; returns the checkpoint read. */
    public static Path export(Path runOrCheckpoint, Path out) throws IOException {
        RunExporter.Model m = RunExporter.read(runOrCheckpoint);
        if (m.ctc()) {
            throw new InteropException(m.file(), "a fine-tuned (CTC) model: fairseq export covers pre-training checkpoints,"
                    + " the ones fairseq fine-tunes from (model.w2v_path); export this one with --format hf");
        }
        Map<String, Safetensors.Tensor> hf = HfExport.tensors(m.wav2vec2(), m.params(), false);
        Map<String, Object> state = new LinkedHashMap<>();
        ExtractorMode mode = m.wav2vec2().extractorMode();
        for (Map.Entry<String, Safetensors.Tensor> e : hf.entrySet()) {
            String name = fairseqName(e.getKey(), mode);
            state.put(name, new TorchSave.FloatTensor(e.getValue().shape(), e.getValue().values()));
        }
        int updates = updateOf(m.file());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cfg", FairseqRunConfig.pretraining(m.pretrain(), Path.of(FairseqRunConfig.MISSING)).groups());
        root.put("args", null);
        root.put("model", new TorchSave.OrderedDict(state));
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("criterion_name", "Wav2vecCriterion");
        history.put("optimizer_name", "FairseqAdam");
        history.put("lr_scheduler_state", Map.of());
        history.put("num_updates", updates);
        root.put("optimizer_history", List.of(history));
        Map<String, Object> iterator = new LinkedHashMap<>();
        iterator.put("epoch", 1);
        iterator.put("iterations_in_epoch", 0);
        iterator.put("shuffle", true);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("train_iterator", iterator);
        extra.put("val_loss", null);
        root.put("extra_state", extra);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        TorchSave.write(out, root);
        return m.file();
    }

    private static int updateOf(Path checkpoint) {
        try {
            return org.speechwb.engine.run.RunFolder.updateOf(checkpoint);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** transformers' key → fairseq's {@code Wav2Vec2Model} key: the inverse of the fairseq importer's renaming. */
    static String fairseqName(String hf, ExtractorMode mode) {
        String w = "wav2vec2.";
        String[] p = hf.split("\\.");
        if (hf.startsWith(w + "feature_extractor.conv_layers.")) {
            String i = p[3];
            String last = p[p.length - 1];
            String prefix = "feature_extractor.conv_layers." + i + ".";
            if (p[4].equals("conv")) {
                return prefix + "0." + last;
            }
            // BASE: a GroupNorm (first layer only) at index 2; LARGE: Sequential(TransposeLast, LayerNorm, TransposeLast)
            return prefix + (mode == ExtractorMode.LAYER_NORM ? "2.1." : "2.") + last;
        }
        if (hf.startsWith(w + "feature_projection.layer_norm.")) {
            return hf.substring((w + "feature_projection.").length());
        }
        if (hf.startsWith(w + "feature_projection.projection.")) {
            return "post_extract_proj." + hf.substring((w + "feature_projection.projection.").length());
        }
        if (hf.equals(w + "masked_spec_embed")) {
            return "mask_emb";
        }
        if (hf.startsWith(w + "encoder.pos_conv_embed.conv.")) {
            return "encoder.pos_conv.0." + hf.substring((w + "encoder.pos_conv_embed.conv.").length());
        }
        if (hf.startsWith(w + "encoder.layer_norm.")) {
            return hf.substring(w.length());
        }
        if (hf.startsWith(w + "encoder.layers.")) {
            String prefix = "encoder.layers." + p[3] + ".";
            String rest = hf.substring((w + prefix).length());
            if (rest.startsWith("layer_norm.")) {
                return prefix + "self_attn_layer_norm." + rest.substring("layer_norm.".length());
            }
            if (rest.startsWith("attention.")) {
                return prefix + "self_attn." + rest.substring("attention.".length());
            }
            if (rest.startsWith("feed_forward.intermediate_dense.")) {
                return prefix + "fc1." + rest.substring("feed_forward.intermediate_dense.".length());
            }
            if (rest.startsWith("feed_forward.output_dense.")) {
                return prefix + "fc2." + rest.substring("feed_forward.output_dense.".length());
            }
            if (rest.startsWith("final_layer_norm.")) {
                return prefix + rest;
            }
        }
        if (hf.equals("quantizer.codevectors")) {
            return "quantizer.vars";
        }
        if (hf.startsWith("quantizer.weight_proj.") || hf.startsWith("project_q.")) {
            return hf;
        }
        if (hf.startsWith("project_hid.")) {
            return "final_proj." + hf.substring("project_hid.".length());
        }
        throw new IllegalStateException("no fairseq name for " + hf);
    }
}
