package org.speechwb.engine.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.speechwb.engine.interop.SafeUnpickler.PyObject;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.text.Vocabulary;

/**
 * A fairseq wav2vec 2.0 checkpoint ({@code .pt}, written by {@code torch.save}): a dict with
 * {@code model} (the state dict), {@code cfg} (a plain dict since mid-2021, a pickled OmegaConf
 * DictConfig before, or absent) and {@code args} (the argparse Namespace of 2020 files), the
 * optimizer state (never read: tensors are only loaded when asked for) and training state.
 *
 * <p>Pre-training models ({@code Wav2Vec2Model}) and CTC fine-tuned ones ({@code Wav2VecCtc}:
 * {@code w2v_encoder.w2v_model.*} plus {@code w2v_encoder.proj}, the pre-training config in
 * {@code cfg.model.w2v_args} / {@code args.w2v_args}). A CTC model's dictionary is not in the
 * checkpoint: {@code dict.ltr.txt} ("SYMBOL COUNT" lines; {@code <s> <pad> </s> <unk>} are
 * prepended, the blank is index 0). Weights are read through the transformers key names
 * ({@link HfWeights}) after renaming.
 */
public final class FairseqCheckpoint implements AutoCloseable {

    private final Path file;
    private final TorchZip zip;
    private final Map<String, Object> model;
    private final Map<String, Object> w2vCfg;
    private final Map<String, Object> topModelCfg;
    private final boolean ctc;
    private final boolean normalize;
    private final Wav2Vec2Config config;
    private final Vocabulary vocabulary;
    private final String cfgKind;
    private final Map<String, Object> raw;

    private FairseqCheckpoint(Path file, TorchZip zip, Map<String, Object> model, Map<String, Object> w2vCfg,
                              Map<String, Object> topModelCfg, boolean ctc, boolean normalize, Wav2Vec2Config config,
                              Vocabulary vocabulary, String cfgKind, Map<String, Object> raw) {
        this.file = file;
        this.zip = zip;
        this.model = model;
        this.w2vCfg = w2vCfg;
        this.topModelCfg = topModelCfg;
        this.ctc = ctc;
        this.normalize = normalize;
        this.config = config;
        this.vocabulary = vocabulary;
        this.cfgKind = cfgKind;
        this.raw = raw;
    }

    /**
     * @param dict {@code dict.ltr.txt} for a CTC model; null to look beside the checkpoint
     */
    public static FairseqCheckpoint open(Path file, Path dict) throws IOException {
        TorchZip zip = TorchZip.open(file);
        try {
            if (!(zip.root() instanceof Map<?, ?> rootMap)) {
                throw new InteropException(file, "not a fairseq checkpoint (the pickle holds " + describe(zip.root()) + ")");
            }
            Map<String, Object> root = stringMap(rootMap);
            if (!(root.get("model") instanceof Map<?, ?> sd)) {
                throw new InteropException(file, "not a fairseq checkpoint: no \"model\" state dict");
            }
            Map<String, Object> state = stringMap(sd);
            Object cfgObj = plain(root.get("cfg"));
            Object argsObj = plain(root.get("args"));
            String cfgKind;
            Map<String, Object> modelCfg;
            Map<String, Object> taskCfg;
            if (cfgObj instanceof Map<?, ?> cfg && cfg.get("model") instanceof Map<?, ?> m) {
                cfgKind = root.get("cfg") instanceof PyObject ? "cfg (OmegaConf DictConfig)" : "cfg (dict)";
                modelCfg = stringMap(m);
                taskCfg = cfg.get("task") instanceof Map<?, ?> t ? stringMap(t) : Map.of();
            } else if (argsObj instanceof Map<?, ?> a) {
                cfgKind = "args (argparse Namespace)";
                modelCfg = stringMap(a);
                taskCfg = modelCfg;
            } else {
                throw new InteropException(file, "the checkpoint has neither cfg.model nor args: its architecture is unknown");
            }
            boolean ctc = state.containsKey("w2v_encoder.proj.weight");
            Map<String, Object> w2v = modelCfg;
            if (ctc) {
                Object w2vArgs = plain(modelCfg.get("w2v_args"));
                if (w2vArgs instanceof Map<?, ?> wa && wa.get("model") instanceof Map<?, ?> wm) {
                    w2v = stringMap(wm);                                     // cfg.model.w2v_args.model
                } else if (w2vArgs instanceof Map<?, ?> wa) {
                    w2v = stringMap(wa);                                     // args.w2v_args (Namespace)
                } else {
                    throw new InteropException(file, "CTC checkpoint without w2v_args: the pre-trained architecture is"
                            + " unknown (fine-tuning from w2v_path needs that file; not supported)");
                }
            }
            boolean normalize = bool(taskCfg.get("normalize"), false);
            Wav2Vec2Config config = toEngineConfig(file, w2v, ctc ? modelCfg : null);
            Vocabulary vocab = null;
            if (ctc) {
                Object proj = state.get("w2v_encoder.proj.weight");
                int rows = (int) ((SafeUnpickler.TorchTensor) proj).size()[0];
                Path d = dict != null ? dict : file.resolveSibling("dict.ltr.txt");
                if (!Files.isRegularFile(d)) {
                    throw new InteropException(file, "a fairseq CTC model's dictionary is not in the checkpoint: pass its"
                            + " dict.ltr.txt with --dict (looked for " + d + ")");
                }
                vocab = dictionary(d, rows);
            }
            return new FairseqCheckpoint(file, zip, state, w2v, modelCfg, ctc, normalize, config, vocab, cfgKind, root);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** fairseq's Wav2Vec2Config (pre-training model fields) → the engine's; refusals name field and value. */
    static Wav2Vec2Config toEngineConfig(Path file, Map<String, Object> m, Map<String, Object> ctcCfg)
            throws InteropException {
        List<String> refused = new ArrayList<>();
        String act = str(m.get("activation_fn"), "gelu");
        if (!act.equals("gelu")) {
            refused.add("activation_fn \"" + act + "\" (only gelu)");
        }
        if (bool(m.get("quantize_input"), false)) {
            refused.add("quantize_input true");
        }
        if (bool(m.get("target_glu"), false)) {
            refused.add("target_glu true");
        }
        String layerType = str(m.get("layer_type"), "transformer");
        if (!layerType.equals("transformer")) {
            refused.add("layer_type \"" + layerType + "\" (only transformer)");
        }
        long posDepth = num(m.get("pos_conv_depth"), 1).longValue();
        if (posDepth != 1) {
            refused.add("pos_conv_depth " + posDepth + " (only 1)");
        }
        if (m.containsKey("adapter_num") && num(m.get("adapter_num"), 0).longValue() > 0) {
            refused.add("adapter_num " + m.get("adapter_num") + " (adapters)");
        }
        String mode = str(m.get("extractor_mode"), "default");
        ExtractorMode em = switch (mode) {
            case "default" -> ExtractorMode.DEFAULT;
            case "layer_norm" -> ExtractorMode.LAYER_NORM;
            default -> {
                refused.add("extractor_mode \"" + mode + "\"");
                yield ExtractorMode.DEFAULT;
            }
        };
        List<ConvLayerSpec> conv = convLayers(file, str(m.get("conv_feature_layers"),
                "[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] + [(512,2,2)]"));
        int d = num(m.get("encoder_embed_dim"), 768).intValue();
        int finalDim = num(m.get("final_dim"), 0).intValue();
        if (finalDim <= 0) {
            finalDim = d;                                   // fairseq: final_dim 0 means encoder_embed_dim
        }
        int latentDim = num(m.get("latent_dim"), 0).intValue();
        if (latentDim > 0 && latentDim != finalDim) {
            refused.add("latent_dim " + latentDim + " ≠ final_dim " + finalDim
                    + " (the engine's codebook output and projections share one width)");
        }
        int groups = num(m.get("latent_groups"), 2).intValue();
        int posK = num(m.get("conv_pos"), 128).intValue();
        if (posK % 2 != 0) {
            refused.add("conv_pos " + posK + " (the engine needs an even positional kernel)");
        }
        if (!refused.isEmpty()) {
            throw new InteropException(file, "cannot be represented by this engine: " + String.join("; ", refused));
        }
        Map<String, Object> reg = ctcCfg != null ? ctcCfg : m;        // the fine-tuning run's regularisation wins
        try {
            return new Wav2Vec2Config(conv, em, bool(m.get("conv_bias"), false), d,
                    num(m.get("encoder_ffn_embed_dim"), 3072).intValue(), num(m.get("encoder_layers"), 12).intValue(),
                    num(m.get("encoder_attention_heads"), 12).intValue(), bool(m.get("layer_norm_first"), false),
                    num(reg.get("dropout"), 0.1).doubleValue(), num(reg.get("attention_dropout"), 0.1).doubleValue(),
                    num(reg.get("activation_dropout"), 0.0).doubleValue(),
                    num(reg.get("dropout_input"), 0.1).doubleValue(),
                    num(m.get("dropout_features"), 0.1).doubleValue(),
                    num(reg.get(ctcCfg != null ? "layerdrop" : "encoder_layerdrop"), 0.05).doubleValue(), posK,
                    num(m.get("conv_pos_groups"), 16).intValue(),
                    Math.min(1.0, num(ctcCfg != null ? reg.get("feature_grad_mult") : m.get("feature_grad_mult"), 1.0)
                            .doubleValue()),
                    finalDim, groups, num(m.get("latent_vars"), 320).intValue(), num(m.get("logit_temp"), 0.1).doubleValue());
        } catch (IllegalArgumentException e) {
            throw new InteropException(file, e.getMessage(), e);
        }
    }

    /**
     * Parses fairseq's {@code conv_feature_layers}, a Python expression such as
     * {@code "[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] * 2"}: lists of (dim, kernel,
     * stride) tuples joined by {@code +}, each optionally repeated with {@code * n}. Nothing is evaluated.
     */
    static List<ConvLayerSpec> convLayers(Path file, String expr) throws InteropException {
        List<ConvLayerSpec> out = new ArrayList<>();
        String s = expr.replaceAll("\\s+", "");
        int i = 0;
        try {
            while (i < s.length()) {
                if (s.charAt(i) != '[') {
                    throw new IllegalArgumentException("expected '[' at " + i);
                }
                int close = s.indexOf(']', i);
                List<ConvLayerSpec> block = new ArrayList<>();
                for (String t : s.substring(i + 1, close).split("\\),?")) {
                    if (t.isEmpty()) {
                        continue;
                    }
                    String[] v = t.replace("(", "").split(",");
                    if (v.length != 3) {
                        throw new IllegalArgumentException("a layer needs (dim, kernel, stride): " + t);
                    }
                    block.add(new ConvLayerSpec(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2])));
                }
                i = close + 1;
                int times = 1;
                if (i < s.length() && s.charAt(i) == '*') {
                    int j = i + 1;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                    times = Integer.parseInt(s.substring(i + 1, j));
                    i = j;
                }
                for (int r = 0; r < times; r++) {
                    out.addAll(block);
                }
                if (i < s.length()) {
                    if (s.charAt(i) != '+') {
                        throw new IllegalArgumentException("expected '+' at " + i);
                    }
                    i++;
                }
            }
        } catch (RuntimeException e) {
            throw new InteropException(file, "conv_feature_layers \"" + expr + "\" is not understood: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InteropException(file, "conv_feature_layers \"" + expr + "\" has no layers");
        }
        return out;
    }

    /** dict.ltr.txt → vocabulary: {@code <s>} (the blank, id 0), {@code <pad>}, {@code </s>}, {@code <unk>}, then the file. */
    static Vocabulary dictionary(Path dict, int outputs) throws IOException {
        List<String> tokens = new ArrayList<>(List.of(Vocabulary.BLANK_SYMBOL, "<pad>", "</s>", "<unk>"));
        int n = 0;
        for (String line : Files.readAllLines(dict, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");                  // SYMBOL COUNT [#fairseq:overwrite]
            if (f.length < 2 || !f[1].matches("\\d+")) {
                throw new InteropException(dict, "line " + n + " is not \"SYMBOL COUNT\": " + l);
            }
            tokens.add(f[0]);
        }
        if (tokens.size() > outputs) {
            throw new InteropException(dict, "has " + tokens.size() + " symbols (with the 4 fairseq specials) but the"
                    + " model has " + outputs + " outputs: not this model's dictionary");
        }
        while (tokens.size() < outputs) {
            tokens.add("<unused-" + tokens.size() + ">");
        }
        try {
            return Vocabulary.of(tokens);
        } catch (IllegalArgumentException e) {
            throw new InteropException(dict, e.getMessage().replaceFirst("^vocabulary: ", ""), e);
        }
    }

    /** The model's tensors under transformers' names (see {@link HfWeights}), read lazily from the archive. */
    public TensorSource weights() throws InteropException {
        Map<String, Object> renamed = new LinkedHashMap<>();
        String base = ctc ? "w2v_encoder.w2v_model." : "";
        for (Map.Entry<String, Object> e : model.entrySet()) {
            String k = e.getKey();
            String hf;
            if (ctc && k.startsWith("w2v_encoder.proj.")) {
                hf = "lm_head." + k.substring("w2v_encoder.proj.".length());
            } else if (k.startsWith(base)) {
                hf = hfName(k.substring(base.length()), config.extractorMode());
            } else {
                hf = k;                                   // unknown: HfWeights will refuse it by name
            }
            if (renamed.put(hf, e.getValue()) != null) {
                throw new InteropException(file, "two tensors map to " + hf);
            }
        }
        return zip.tensors(renamed);
    }

    /** One fairseq Wav2Vec2Model key → transformers' key (unknown keys come back unchanged, with a marker). */
    static String hfName(String k, ExtractorMode mode) {
        String[] p = k.split("\\.");
        if (k.startsWith("feature_extractor.conv_layers.") && p.length >= 5) {
            String prefix = "wav2vec2.feature_extractor.conv_layers." + p[2] + ".";
            String last = p[p.length - 1];
            if (p[3].equals("0")) {
                return prefix + "conv." + last;
            }
            if (mode == ExtractorMode.DEFAULT && p[3].equals("2") && p.length == 5) {
                return prefix + "layer_norm." + last;
            }
            if (mode == ExtractorMode.LAYER_NORM && p[3].equals("2") && p.length == 6 && p[4].equals("1")) {
                return prefix + "layer_norm." + last;
            }
        }
        if (k.startsWith("layer_norm.")) {
            return "wav2vec2.feature_projection." + k;
        }
        if (k.startsWith("post_extract_proj.")) {
            return "wav2vec2.feature_projection.projection." + k.substring("post_extract_proj.".length());
        }
        if (k.equals("mask_emb")) {
            return "wav2vec2.masked_spec_embed";
        }
        if (k.startsWith("encoder.pos_conv.0.")) {
            return "wav2vec2.encoder.pos_conv_embed.conv." + k.substring("encoder.pos_conv.0.".length());
        }
        if (k.startsWith("encoder.layer_norm.")) {
            return "wav2vec2." + k;
        }
        if (k.startsWith("encoder.layers.") && p.length >= 5) {
            String prefix = "wav2vec2.encoder.layers." + p[2] + ".";
            String rest = k.substring(("encoder.layers." + p[2] + ".").length());
            if (rest.startsWith("self_attn_layer_norm.")) {
                return prefix + "layer_norm." + rest.substring("self_attn_layer_norm.".length());
            }
            if (rest.startsWith("self_attn.")) {
                return prefix + "attention." + rest.substring("self_attn.".length());
            }
            if (rest.startsWith("fc1.")) {
                return prefix + "feed_forward.intermediate_dense." + rest.substring(4);
            }
            if (rest.startsWith("fc2.")) {
                return prefix + "feed_forward.output_dense." + rest.substring(4);
            }
            if (rest.startsWith("final_layer_norm.")) {
                return prefix + rest;
            }
        }
        if (k.equals("quantizer.vars")) {
            return "quantizer.codevectors";
        }
        if (k.startsWith("quantizer.weight_proj.") || k.startsWith("project_q.")) {
            return k;
        }
        if (k.startsWith("final_proj.")) {
            return "project_hid." + k.substring("final_proj.".length());
        }
        return "fairseq:" + k;
    }

    // ------------------------------------------------------------------ plain data

    /** OmegaConf containers and nodes, argparse Namespaces → maps, lists and values. */
    static Object plain(Object o) {
        if (o instanceof PyObject p) {
            Object st = p.state();
            Map<?, ?> state = st instanceof Map<?, ?> m ? m : Map.of();
            return switch (p.className()) {
                case "argparse.Namespace" -> plain(st);
                case "omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig" -> plain(state.get("_content"));
                default -> {
                    if (p.className().startsWith("omegaconf.nodes.")) {
                        yield plain(state.get("_val"));
                    }
                    yield p.toString();
                }
            };
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) {
                out.add(plain(v));
            }
            return out;
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringMap(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private static Number num(Object o, Number dflt) {
        if (o instanceof Number n) {
            return n;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return dflt;
    }

    private static boolean bool(Object o, boolean dflt) {
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Number n) {
            return n.intValue() != 0;
        }
        return dflt;
    }

    private static String str(Object o, String dflt) {
        return o instanceof String s ? s : dflt;
    }

    // ------------------------------------------------------------------ accessors

    public Path file() {
        return file;
    }

    public boolean ctc() {
        return ctc;
    }

    public boolean pretraining() {
        return !ctc && model.containsKey("quantizer.vars");
    }

    public Wav2Vec2Config config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The task's normalize (fairseq normalises with ε 1e-5, as the engine does). */
    public boolean normalize() {
        return normalize;
    }

    /** Where the architecture came from: "cfg (dict)", "cfg (OmegaConf DictConfig)" or "args (argparse Namespace)". */
    public String cfgKind() {
        return cfgKind;
    }

    /** The pre-training model config (fields of fairseq's Wav2Vec2Config). */
    public Map<String, Object> modelConfig() {
        return w2vCfg;
    }

    /**
     * The pre-training criterion's config: {@code cfg.criterion}, or the flat argparse args of an
     * older checkpoint; empty when the checkpoint has neither.
     */
    public Map<String, Object> criterionConfig() {
        Object cfg = plain(raw.get("cfg"));
        if (cfg instanceof Map<?, ?> c && c.get("criterion") instanceof Map<?, ?> crit) {
            return stringMap(crit);
        }
        return plain(raw.get("args")) instanceof Map<?, ?> a ? stringMap(a) : Map.of();
    }

    /** {@code model.latent_temp}: start, end and decay of the Gumbel temperature; null when not saved. */
    public double[] latentTemp() throws InteropException {
        return w2vCfg.containsKey("latent_temp") ? numbers("latent_temp", w2vCfg.get("latent_temp"), 3) : null;
    }

    /**
     * {@code criterion.loss_weights}: the weights of the diversity loss and the feature penalty (one
     * value applies to both, as fairseq's criterion does; None adds neither); null when not saved.
     */
    public double[] lossWeights() throws InteropException {
        Map<String, Object> crit = criterionConfig();
        if (!crit.containsKey("loss_weights")) {
            return null;
        }
        Object v = crit.get("loss_weights");
        if (v == null || "None".equals(v)) {
            return new double[] {0, 0};
        }
        double[] w = numbers("loss_weights", v, -1);
        if (w.length == 1) {
            return new double[] {w[0], w[0]};
        }
        if (w.length != 2) {
            throw new InteropException(file, "criterion.loss_weights " + v + ": expected the diversity and"
                    + " feature-penalty weights, got " + w.length + " values");
        }
        return w;
    }

    /**
     * A list of numbers as fairseq saves it: a list in a cfg, or a string such as
     * {@code "(2, 0.5, 0.999995)"} in argparse args (read as numbers, never evaluated).
     */
    double[] numbers(String field, Object value, int expected) throws InteropException {
        List<Object> items = new ArrayList<>();
        Object v = plain(value);
        if (v instanceof List<?> l) {
            items.addAll(l);
        } else if (v instanceof String str) {
            String t = str.strip();
            if ((t.startsWith("(") && t.endsWith(")")) || (t.startsWith("[") && t.endsWith("]"))) {
                t = t.substring(1, t.length() - 1);
            }
            for (String part : t.split(",")) {
                if (!part.isBlank()) {
                    items.add(part.strip());
                }
            }
        } else {
            throw new InteropException(file, field + " " + value + ": expected a list of numbers");
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = items.get(i);
            try {
                out[i] = o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o));
            } catch (NumberFormatException e) {
                throw new InteropException(file, field + " " + value + ": '" + o + "' is not a number");
            }
        }
        if (expected > 0 && out.length != expected) {
            throw new InteropException(file, field + " " + value + ": expected " + expected + " numbers, got "
                    + out.length);
        }
        return out;
    }

    public double finalDropout() {
        return ctc ? num(topModelCfg.get("final_dropout"), 0.0).doubleValue() : 0.0;
    }

    /** The top-level entries of the checkpoint (model, cfg, args, optimizer state, …), unread tensors as references. */
    public Map<String, Object> root() {
        return raw;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
