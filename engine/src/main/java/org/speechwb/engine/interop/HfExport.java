package org.speechwb.engine.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.text.Vocabulary;

/**
 * Writes a run's model as a Hugging Face transformers folder: {@code config.json} (real
 * transformers field names), {@code model.safetensors} ({@code {"format": "pt"}} metadata,
 * transformers key names, positional-conv weight norm as {@code weight_g} / {@code weight_v}),
 * and for CTC models {@code vocab.json} (the blank becomes {@code <pad>}, {@code pad_token_id} its
 * id), {@code tokenizer_config.json}; {@code preprocessor_config.json} always. The inverse of
 * {@link HfWeights}: importing the folder gives back the same weights.
 */
public final class HfExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONV = Pattern.compile("encoder\\.conv(\\d+)\\.(w|b|norm\\.g|norm\\.b)");
    private static final Pattern LAYER = Pattern.compile("encoder\\.layers\\.(\\d+)\\.(.+)");

    private HfExport() {
    }

    /** One parameter: name, shape and row-major values (engine layout). */
    public record Tensor(String name, long[] shape, float[] values) {
    }

    /**
     * @param ctc        CTC model (Wav2Vec2ForCTC) with {@code vocab}; else Wav2Vec2ForPreTraining
     * @param normalize  whether the model expects zero-mean unit-variance input
     */
    public static void write(Path dir, Wav2Vec2Config cfg, List<Tensor> params, boolean ctc, Vocabulary vocab,
                             boolean normalize, double finalDropout, double maskProb, int maskLength) throws IOException {
        Files.createDirectories(dir);
        Map<String, Safetensors.Tensor> out = tensors(cfg, params, ctc);
        try (OutputStream o = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            Safetensors.write(o, out, Map.of("format", "pt"));
        }
        ObjectNode c = config(cfg, ctc, vocab, finalDropout, maskProb, maskLength);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
        ObjectNode pre = JSON.createObjectNode();
        pre.put("do_normalize", normalize);
        pre.put("feature_extractor_type", "Wav2Vec2FeatureExtractor");
        pre.put("feature_size", 1);
        pre.put("padding_side", "right");
        pre.put("padding_value", 0.0);
        pre.put("return_attention_mask", cfg.extractorMode() == ExtractorMode.LAYER_NORM);
        pre.put("sampling_rate", 16000);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);
        if (ctc) {
            ObjectNode v = JSON.createObjectNode();
            String pad = vocab.tokens().contains("<pad>") ? "<pad-" + vocab.blank() + ">" : "<pad>";
            for (int i = 0; i < vocab.size(); i++) {
                v.put(i == vocab.blank() ? pad : vocab.token(i), i);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("vocab.json").toFile(), v);
            ObjectNode tok = JSON.createObjectNode();
            tok.put("tokenizer_class", "Wav2Vec2CTCTokenizer");
            tok.put("pad_token", pad);
            tok.put("unk_token", vocab.unknown() >= 0 ? vocab.token(vocab.unknown()) : "<unk>");
            tok.put("word_delimiter_token", Vocabulary.WORD_BOUNDARY);
            tok.put("do_lower_case", false);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tok);
        }
    }

    /**
     * The parameters under transformers' names and layouts (shape [out, in] linears, [out, in, k]
     * convolutions); a CTC model leaves out the quantizer it no longer uses.
     */
    public static Map<String, Safetensors.Tensor> tensors(Wav2Vec2Config cfg, List<Tensor> params, boolean ctc) {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (Tensor t : params) {
            convert(t, cfg, ctc, out);
        }
        return out;
    }

    public static ObjectNode config(Wav2Vec2Config cfg, boolean ctc, Vocabulary vocab, double finalDropout, double maskProb,
                             int maskLength) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(ctc ? "Wav2Vec2ForCTC" : "Wav2Vec2ForPreTraining");
        c.put("model_type", "wav2vec2");
        ArrayNode dims = c.putArray("conv_dim");
        ArrayNode kernels = c.putArray("conv_kernel");
        ArrayNode strides = c.putArray("conv_stride");
        for (ConvLayerSpec l : cfg.convLayers()) {
            dims.add(l.channels());
            kernels.add(l.kernel());
            strides.add(l.stride());
        }
        c.put("num_feat_extract_layers", cfg.convLayers().size());
        c.put("conv_bias", cfg.convBias());
        c.put("feat_extract_norm", cfg.extractorMode() == ExtractorMode.LAYER_NORM ? "layer" : "group");
        c.put("feat_extract_activation", "gelu");
        c.put("hidden_act", "gelu");
        c.put("hidden_size", cfg.modelDim());
        c.put("intermediate_size", cfg.ffnDim());
        c.put("num_hidden_layers", cfg.layers());
        c.put("num_attention_heads", cfg.heads());
        c.put("do_stable_layer_norm", cfg.layerNormFirst());
        c.put("num_conv_pos_embeddings", cfg.posConvKernel());
        c.put("num_conv_pos_embedding_groups", cfg.posConvGroups());
        c.put("layer_norm_eps", 1e-5);
        c.put("hidden_dropout", cfg.dropout());
        c.put("attention_dropout", cfg.attentionDropout());
        c.put("activation_dropout", cfg.activationDropout());
        c.put("feat_proj_dropout", cfg.inputDropout());
        c.put("feat_quantizer_dropout", cfg.featureDropout());
        c.put("layerdrop", cfg.layerDrop());
        c.put("final_dropout", finalDropout);
        c.put("mask_time_prob", maskProb);
        c.put("mask_time_length", maskLength);
        c.put("num_codevector_groups", cfg.codebookGroups());
        c.put("num_codevectors_per_group", cfg.codebookEntries());
        c.put("codevector_dim", cfg.finalDim());
        c.put("proj_codevector_dim", cfg.finalDim());
        c.put("contrastive_logits_temperature", cfg.logitTemperature());
        c.put("initializer_range", 0.02);
        if (ctc) {
            c.put("vocab_size", vocab.size());
            c.put("pad_token_id", vocab.blank());
            c.put("ctc_loss_reduction", "sum");
        }
        c.put("transformers_version", "4.40.0");
        return c;
    }

    private static void convert(Tensor t, Wav2Vec2Config cfg, boolean ctc, Map<String, Safetensors.Tensor> out) {
        String n = t.name();
        String p = "wav2vec2.";
        float[] v = t.values();
        int d = cfg.modelDim();
        Matcher m = CONV.matcher(n);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            String base = p + "feature_extractor.conv_layers." + i + ".";
            switch (m.group(2)) {
                case "w" -> {
                    int cout = cfg.convLayers().get(i).channels();
                    int cin = i == 0 ? 1 : cfg.convLayers().get(i - 1).channels();
                    int k = cfg.convLayers().get(i).kernel();
                    float[] w = new float[v.length];
                    for (int o = 0; o < cout; o++) {
                        for (int c = 0; c < cin; c++) {
                            for (int j = 0; j < k; j++) {
                                w[(o * cin + c) * k + j] = v[(j * cin + c) * cout + o];
                            }
                        }
                    }
                    put(out, base + "conv.weight", w, cout, cin, k);
                }
                case "b" -> put(out, base + "conv.bias", v, v.length);
                case "norm.g" -> put(out, base + "layer_norm.weight", v, v.length);
                default -> put(out, base + "layer_norm.bias", v, v.length);
            }
            return;
        }
        m = LAYER.matcher(n);
        if (m.matches()) {
            String base = p + "encoder.layers." + m.group(1) + ".";
            switch (m.group(2)) {
                case "self_attn.qkv.w" -> {
                    String[] names = {"q_proj", "k_proj", "v_proj"};
                    for (int s = 0; s < 3; s++) {
                        float[] w = new float[d * d];
                        for (int o = 0; o < d; o++) {
                            for (int i = 0; i < d; i++) {
                                w[o * d + i] = v[i * 3 * d + s * d + o];
                            }
                        }
                        put(out, base + "attention." + names[s] + ".weight", w, d, d);
                    }
                }
                case "self_attn.qkv.b" -> {
                    String[] names = {"q_proj", "k_proj", "v_proj"};
                    for (int s = 0; s < 3; s++) {
                        put(out, base + "attention." + names[s] + ".bias", java.util.Arrays.copyOfRange(v, s * d, (s + 1) * d), d);
                    }
                }
                case "self_attn.out_proj.w" -> linear(out, base + "attention.out_proj.weight", t);
                case "self_attn.out_proj.b" -> put(out, base + "attention.out_proj.bias", v, v.length);
                case "self_attn_layer_norm.g" -> put(out, base + "layer_norm.weight", v, v.length);
                case "self_attn_layer_norm.b" -> put(out, base + "layer_norm.bias", v, v.length);
                case "fc1.w" -> linear(out, base + "feed_forward.intermediate_dense.weight", t);
                case "fc1.b" -> put(out, base + "feed_forward.intermediate_dense.bias", v, v.length);
                case "fc2.w" -> linear(out, base + "feed_forward.output_dense.weight", t);
                case "fc2.b" -> put(out, base + "feed_forward.output_dense.bias", v, v.length);
                case "final_layer_norm.g" -> put(out, base + "final_layer_norm.weight", v, v.length);
                case "final_layer_norm.b" -> put(out, base + "final_layer_norm.bias", v, v.length);
                default -> throw new IllegalStateException("no Hugging Face name for " + n);
            }
            return;
        }
        switch (n) {
            case "layer_norm.g" -> put(out, p + "feature_projection.layer_norm.weight", v, v.length);
            case "layer_norm.b" -> put(out, p + "feature_projection.layer_norm.bias", v, v.length);
            case "post_extract_proj.w" -> linear(out, p + "feature_projection.projection.weight", t);
            case "post_extract_proj.b" -> put(out, p + "feature_projection.projection.bias", v, v.length);
            case "mask_emb" -> put(out, p + "masked_spec_embed", v, v.length);
            case "pos_conv.v" -> {
                int g = cfg.posConvGroups();
                int dg = d / g;
                int k = cfg.posConvKernel();
                float[] w = new float[v.length];
                for (int gi = 0; gi < g; gi++) {
                    for (int o = 0; o < dg; o++) {
                        for (int c = 0; c < dg; c++) {
                            for (int j = 0; j < k; j++) {
                                w[((gi * dg + o) * dg + c) * k + j] = v[(gi * k * dg + j * dg + c) * dg + o];
                            }
                        }
                    }
                }
                put(out, p + "encoder.pos_conv_embed.conv.weight_v", w, d, dg, k);
            }
            case "pos_conv.g" -> put(out, p + "encoder.pos_conv_embed.conv.weight_g", v, 1, 1, v.length);
            case "pos_conv.b" -> put(out, p + "encoder.pos_conv_embed.conv.bias", v, v.length);
            case "encoder.layer_norm.g", "encoder.final_layer_norm.g" -> put(out, p + "encoder.layer_norm.weight", v, v.length);
            case "encoder.layer_norm.b", "encoder.final_layer_norm.b" -> put(out, p + "encoder.layer_norm.bias", v, v.length);
            case "quantizer.weight_proj.w" -> {
                if (!ctc) {
                    linear(out, "quantizer.weight_proj.weight", t);
                }
            }
            case "quantizer.weight_proj.b" -> {
                if (!ctc) {
                    put(out, "quantizer.weight_proj.bias", v, v.length);
                }
            }
            case "quantizer.vars" -> {
                if (!ctc) {
                    put(out, "quantizer.codevectors", v, 1, t.shape()[0] * t.shape()[1], t.shape()[2]);
                }
            }
            case "project_q.w" -> linear(out, "project_q.weight", t);
            case "project_q.b" -> put(out, "project_q.bias", v, v.length);
            case "final_proj.w" -> linear(out, "project_hid.weight", t);
            case "final_proj.b" -> put(out, "project_hid.bias", v, v.length);
            case "ctc_head.w" -> linear(out, "lm_head.weight", t);
            case "ctc_head.b" -> put(out, "lm_head.bias", v, v.length);
            default -> throw new IllegalStateException("no Hugging Face name for " + n);
        }
    }

    private static void linear(Map<String, Safetensors.Tensor> out, String key, Tensor t) {
        int in = (int) t.shape()[0];
        int o = (int) t.shape()[1];
        float[] w = new float[in * o];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < o; j++) {
                w[j * in + i] = t.values()[i * o + j];
            }
        }
        put(out, key, w, o, in);
    }

    private static void put(Map<String, Safetensors.Tensor> out, String key, float[] v, long... shape) {
        out.put(key, new Safetensors.Tensor(shape, v));
    }
}
