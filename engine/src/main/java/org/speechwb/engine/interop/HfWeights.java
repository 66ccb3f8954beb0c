package org.speechwb.engine.interop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.nn.Param;
import org.speechwb.engine.nn.ParamStore;

/**
 * Hugging Face transformers' wav2vec 2.0 weights ↔ the engine's parameters.
 *
 * <pre>
 * engine                                   transformers (prefix "wav2vec2." in ForCTC / ForPreTraining)
 * encoder.conv{i}.w [k·Cin, Cout]          feature_extractor.conv_layers.{i}.conv.weight [Cout, Cin, k] (row j·Cin+c = w[o, c, j])
 * encoder.conv{i}.b                        feature_extractor.conv_layers.{i}.conv.bias
 * encoder.conv{i}.norm.g / .b              feature_extractor.conv_layers.{i}.layer_norm.weight / .bias
 * layer_norm.g / .b                        feature_projection.layer_norm.weight / .bias
 * post_extract_proj.w [C, d] / .b          feature_projection.projection.weight [d, C] (transposed) / .bias
 * mask_emb                                 masked_spec_embed
 * pos_conv.v [G, k·d/G, d/G]               encoder.pos_conv_embed.conv.weight_v [d, d/G, k]
 *                                          (or …conv.parametrizations.weight.original1)
 * pos_conv.g [k]                           encoder.pos_conv_embed.conv.weight_g [1, 1, k] (or …original0)
 * pos_conv.b                               encoder.pos_conv_embed.conv.bias
 * encoder.layer_norm (post-LN, BASE)       encoder.layer_norm
 * encoder.final_layer_norm (pre-LN, LARGE) encoder.layer_norm
 * encoder.layers.{l}.self_attn.qkv.w [d, 3d]  encoder.layers.{l}.attention.{q,k,v}_proj.weight, transposed side by side
 * encoder.layers.{l}.self_attn.out_proj    encoder.layers.{l}.attention.out_proj
 * encoder.layers.{l}.self_attn_layer_norm  encoder.layers.{l}.layer_norm
 * encoder.layers.{l}.fc1 / fc2             encoder.layers.{l}.feed_forward.intermediate_dense / output_dense
 * encoder.layers.{l}.final_layer_norm      encoder.layers.{l}.final_layer_norm
 * quantizer.weight_proj                    quantizer.weight_proj (no prefix)
 * quantizer.vars [G, V, D/G]               quantizer.codevectors [1, G·V, D/G]
 * project_q / final_proj                   project_q / project_hid
 * ctc_head                                 lm_head
 * </pre>
 * Every tensor of the source must find its parameter (nothing is silently dropped; the one
 * exception, a CTC model's leftover quantizer / project_q / project_hid, is listed in
 * {@link Loaded#ignored()} and in the run's import.json) and every shape must match the config.
 */
public final class HfWeights {

    private static final Pattern CONV = Pattern.compile("encoder\\.conv(\\d+)\\.(w|b|norm\\.g|norm\\.b)");
    private static final Pattern LAYER = Pattern.compile("encoder\\.layers\\.(\\d+)\\.(.+)");

    private HfWeights() {
    }

    /**
     * What a load did: parameters filled from the source, those left at their initial values, and
     * source tensors deliberately not used (a CTC model's leftover pre-training head).
     */
    public record Loaded(List<String> loaded, List<String> missing, List<String> ignored) {
    }

    /** The pre-training head, which a CTC model has no use for (transformers ignores it too). */
    static boolean pretrainingHead(String key) {
        return key.startsWith("quantizer.") || key.startsWith("project_q.") || key.startsWith("project_hid.");
    }

    /** The source key prefix of the base model: "wav2vec2." for the task models, "" for a bare Wav2Vec2Model. */
    public static String basePrefix(TensorSource src) {
        for (String k : src.tensors().keySet()) {
            if (k.startsWith("wav2vec2.")) {
                return "wav2vec2.";
            }
        }
        return "";
    }

    /**
     * Fills {@code params} from {@code src}. Parameters the source does not have (a bare model's
     * quantizer, a CTC model's mask embedding) keep their values and are listed in
     * {@link Loaded#missing()}; a source tensor no parameter takes is an error.
     */
    public static Loaded load(TensorSource src, ParamStore params, Wav2Vec2Config cfg) throws IOException {
        String p = basePrefix(src);
        Set<String> unused = new LinkedHashSet<>(src.tensors().keySet());
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Param param : params.list()) {
            boolean ok = loadOne(src, p, param, cfg, unused);
            (ok ? loaded : missing).add(param.name());
        }
        boolean ctc = params.all().containsKey("ctc_head.w");
        List<String> ignored = new ArrayList<>();
        if (ctc) {
            for (String k : List.copyOf(unused)) {
                if (pretrainingHead(k)) {
                    unused.remove(k);
                    ignored.add(k);
                }
            }
        }
        if (!unused.isEmpty()) {
            throw new InteropException(src.file(), "tensors this engine cannot represent (nothing is dropped silently): "
                    + String.join(", ", unused.stream().limit(12).toList()) + (unused.size() > 12 ? ", …" : ""));
        }
        return new Loaded(loaded, missing, ignored);
    }

    private static boolean loadOne(TensorSource src, String p, Param param, Wav2Vec2Config cfg, Set<String> unused)
            throws IOException {
        String n = param.name();
        INDArray dst = param.value();
        Matcher m = CONV.matcher(n);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            String base = p + "feature_extractor.conv_layers." + i + ".";
            return switch (m.group(2)) {
                case "w" -> {
                    String key = base + "conv.weight";
                    if (!take(src, key, unused)) {
                        yield false;
                    }
                    int cout = cfg.convLayers().get(i).channels();
                    int cin = i == 0 ? 1 : cfg.convLayers().get(i - 1).channels();
                    int k = cfg.convLayers().get(i).kernel();
                    float[] w = read(src, key, cout, cin, k);
                    float[] out = new float[w.length];
                    for (int o = 0; o < cout; o++) {
                        for (int c = 0; c < cin; c++) {
                            for (int j = 0; j < k; j++) {
                                out[(j * cin + c) * cout + o] = w[(o * cin + c) * k + j];
                            }
                        }
                    }
                    assign(dst, out);
                    yield true;
                }
                case "b" -> copy(src, base + "conv.bias", dst, unused);
                case "norm.g" -> copy(src, base + "layer_norm.weight", dst, unused);
                default -> copy(src, base + "layer_norm.bias", dst, unused);
            };
        }
        m = LAYER.matcher(n);
        if (m.matches()) {
            return loadLayer(src, p + "encoder.layers." + m.group(1) + ".", m.group(2), dst, cfg, unused);
        }
        int d = cfg.modelDim();
        switch (n) {
            case "layer_norm.g":
                return copy(src, p + "feature_projection.layer_norm.weight", dst, unused);
            case "layer_norm.b":
                return copy(src, p + "feature_projection.layer_norm.bias", dst, unused);
            case "post_extract_proj.w":
                return linear(src, p + "feature_projection.projection.weight", dst, unused);
            case "post_extract_proj.b":
                return copy(src, p + "feature_projection.projection.bias", dst, unused);
            case "mask_emb":
                return copy(src, p + "masked_spec_embed", dst, unused);
            case "pos_conv.v": {
                String key = first(src, p + "encoder.pos_conv_embed.conv.weight_v",
                        p + "encoder.pos_conv_embed.conv.parametrizations.weight.original1");
                if (key == null) {
                    return false;
                }
                unused.remove(key);
                int g = cfg.posConvGroups();
                int dg = d / g;
                int k = cfg.posConvKernel();
                float[] w = read(src, key, d, dg, k);
                float[] out = new float[w.length];
                for (int gi = 0; gi < g; gi++) {
                    for (int o = 0; o < dg; o++) {
                        for (int c = 0; c < dg; c++) {
                            for (int j = 0; j < k; j++) {
                                out[(gi * k * dg + j * dg + c) * dg + o] = w[((gi * dg + o) * dg + c) * k + j];
                            }
                        }
                    }
                }
                assign(dst, out);
                return true;
            }
            case "pos_conv.g": {
                String key = first(src, p + "encoder.pos_conv_embed.conv.weight_g",
                        p + "encoder.pos_conv_embed.conv.parametrizations.weight.original0");
                if (key == null) {
                    return false;
                }
                unused.remove(key);
                assign(dst, read(src, key, 1, 1, cfg.posConvKernel()));
                return true;
            }
            case "pos_conv.b":
                return copy(src, p + "encoder.pos_conv_embed.conv.bias", dst, unused);
            case "encoder.layer_norm.g", "encoder.final_layer_norm.g":
                return copy(src, p + "encoder.layer_norm.weight", dst, unused);
            case "encoder.layer_norm.b", "encoder.final_layer_norm.b":
                return copy(src, p + "encoder.layer_norm.bias", dst, unused);
            case "quantizer.weight_proj.w":
                return linear(src, "quantizer.weight_proj.weight", dst, unused);
            case "quantizer.weight_proj.b":
                return copy(src, "quantizer.weight_proj.bias", dst, unused);
            case "quantizer.vars": {
                if (!take(src, "quantizer.codevectors", unused)) {
                    return false;
                }
                assign(dst, read(src, "quantizer.codevectors", 1, (long) cfg.codebookGroups() * cfg.codebookEntries(),
                        cfg.finalDim() / cfg.codebookGroups()));
                return true;
            }
            case "project_q.w":
                return linear(src, "project_q.weight", dst, unused);
            case "project_q.b":
                return copy(src, "project_q.bias", dst, unused);
            case "final_proj.w":
                return linear(src, "project_hid.weight", dst, unused);
            case "final_proj.b":
                return copy(src, "project_hid.bias", dst, unused);
            case "ctc_head.w":
                return linear(src, "lm_head.weight", dst, unused);
            case "ctc_head.b":
                return copy(src, "lm_head.bias", dst, unused);
            default:
                throw new IllegalStateException("no Hugging Face name is known for parameter " + n);
        }
    }

    private static boolean loadLayer(TensorSource src, String base, String rest, INDArray dst, Wav2Vec2Config cfg,
                                     Set<String> unused) throws IOException {
        int d = cfg.modelDim();
        switch (rest) {
            case "self_attn.qkv.w": {
                String[] keys = {base + "attention.q_proj.weight", base + "attention.k_proj.weight",
                        base + "attention.v_proj.weight"};
                for (String k : keys) {
                    if (!take(src, k, unused)) {
                        return false;
                    }
                }
                float[] out = new float[3 * d * d];
                for (int s = 0; s < 3; s++) {
                    float[] w = read(src, keys[s], d, d);
                    for (int o = 0; o < d; o++) {
                        for (int i = 0; i < d; i++) {
                            out[i * 3 * d + s * d + o] = w[o * d + i];
                        }
                    }
                }
                assign(dst, out);
                return true;
            }
            case "self_attn.qkv.b": {
                float[] out = new float[3 * d];
                String[] keys = {base + "attention.q_proj.bias", base + "attention.k_proj.bias",
                        base + "attention.v_proj.bias"};
                for (int s = 0; s < 3; s++) {
                    if (!take(src, keys[s], unused)) {
                        return false;
                    }
                    System.arraycopy(read(src, keys[s], d), 0, out, s * d, d);
                }
                assign(dst, out);
                return true;
            }
            case "self_attn.out_proj.w":
                return linear(src, base + "attention.out_proj.weight", dst, unused);
            case "self_attn.out_proj.b":
                return copy(src, base + "attention.out_proj.bias", dst, unused);
            case "self_attn_layer_norm.g":
                return copy(src, base + "layer_norm.weight", dst, unused);
            case "self_attn_layer_norm.b":
                return copy(src, base + "layer_norm.bias", dst, unused);
            case "fc1.w":
                return linear(src, base + "feed_forward.intermediate_dense.weight", dst, unused);
            case "fc1.b":
                return copy(src, base + "feed_forward.intermediate_dense.bias", dst, unused);
            case "fc2.w":
                return linear(src, base + "feed_forward.output_dense.weight", dst, unused);
            case "fc2.b":
                return copy(src, base + "feed_forward.output_dense.bias", dst, unused);
            case "final_layer_norm.g":
                return copy(src, base + "final_layer_norm.weight", dst, unused);
            case "final_layer_norm.b":
                return copy(src, base + "final_layer_norm.bias", dst, unused);
            default:
                throw new IllegalStateException("no Hugging Face name is known for parameter " + base + rest);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String first(TensorSource src, String... keys) {
        for (String k : keys) {
            if (src.has(k)) {
                return k;
            }
        }
        return null;
    }

    private static boolean take(TensorSource src, String key, Set<String> unused) {
        if (!src.has(key)) {
            return false;
        }
        unused.remove(key);
        return true;
    }

    /** Same layout: the source's values into {@code dst} (shapes must hold as many values). */
    private static boolean copy(TensorSource src, String key, INDArray dst, Set<String> unused) throws IOException {
        if (!take(src, key, unused)) {
            return false;
        }
        assign(dst, read(src, key, dst.shape()));
        return true;
    }

    /** A PyTorch Linear weight [out, in] into an engine weight [in, out]. */
    private static boolean linear(TensorSource src, String key, INDArray dst, Set<String> unused) throws IOException {
        if (!take(src, key, unused)) {
            return false;
        }
        long in = dst.size(0);
        long out = dst.size(1);
        float[] w = read(src, key, out, in);
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[(int) (i * out + o)] = w[(int) (o * in + i)];
            }
        }
        assign(dst, t);
        return true;
    }

    /** Reads {@code key} after checking that its shape is {@code expected} (up to the number of values). */
    private static float[] read(TensorSource src, String key, long... expected) throws IOException {
        TensorSource.Info info = src.tensors().get(key);
        long n = 1;
        for (long e : expected) {
            n *= e;
        }
        boolean same = Arrays.equals(info.shape(), expected)
                || (info.numel() == n && squeeze(info.shape()).equals(squeeze(expected)));
        if (!same) {
            throw new InteropException(src.file(), "tensor " + key + " has shape " + Arrays.toString(info.shape())
                    + " but the config asks for " + Arrays.toString(expected));
        }
        return src.read(key);
    }

    private static List<Long> squeeze(long[] shape) {
        List<Long> out = new ArrayList<>();
        for (long s : shape) {
            if (s != 1) {
                out.add(s);
            }
        }
        return out;
    }

    private static void assign(INDArray dst, float[] values) {
        try (INDArray src = Nd4j.create(values, dst.shape(), 'c')) {
            dst.assign(src);
        }
    }
}
