package org.speechwb.engine.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.model.w2v2.ExtractorMode;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;
import org.speechwb.engine.text.Vocabulary;

/**
 * A Hugging Face transformers wav2vec 2.0 folder: {@code config.json}, weights in
 * {@code model.safetensors} or {@code pytorch_model.bin}, {@code vocab.json} for CTC models and
 * {@code preprocessor_config.json} when present, read into the engine's terms.
 *
 * <p>config.json → {@link Wav2Vec2Config}: {@code conv_dim / conv_kernel / conv_stride} (any
 * stack), {@code feat_extract_norm} group → per-channel GroupNorm after the first conv (BASE),
 * layer → LayerNorm after every conv (LARGE), {@code conv_bias}, {@code hidden_size},
 * {@code intermediate_size}, {@code num_hidden_layers}, {@code num_attention_heads},
 * {@code do_stable_layer_norm} (pre-LN + final LayerNorm), {@code num_conv_pos_embeddings},
 * {@code num_conv_pos_embedding_groups}, the dropouts ({@code hidden_dropout},
 * {@code attention_dropout}, {@code activation_dropout}, {@code feat_proj_dropout} →
 * dropout_input, {@code feat_quantizer_dropout}, {@code layerdrop}), the quantizer
 * ({@code num_codevector_groups}, {@code num_codevectors_per_group}, {@code proj_codevector_dim},
 * {@code contrastive_logits_temperature}). What the engine cannot compute is refused with the
 * field and its value: another {@code model_type}, activations other than exact GELU, a
 * LayerNorm eps other than 1e-5, adapters ({@code add_adapter}, {@code adapter_attn_dim}), an odd
 * positional kernel, {@code codevector_dim ≠ proj_codevector_dim} for pre-training models, and a
 * feature width equal to {@code hidden_size} (the engine then has no projection, transformers
 * always has one). transformers has no {@code feature_grad_mult}: BASE-style models get fairseq
 * BASE's 0.1, LARGE-style models 1.0 (it only matters for training).
 */
public final class HuggingFaceModel {

    /** The head a checkpoint carries. */
    public enum Kind {
        /** Wav2Vec2ForCTC: the encoder and a CTC head (lm_head) */
        CTC,
        /** Wav2Vec2ForPreTraining: the encoder, quantizer, project_q and project_hid */
        PRETRAINING,
        /** Wav2Vec2Model: the encoder only */
        BARE
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path weights;
    private final String format;
    private final Kind kind;
    private final Wav2Vec2Config config;
    private final JsonNode json;
    private final boolean doNormalize;
    private final Vocabulary vocabulary;

    private HuggingFaceModel(Path dir, Path weights, String format, Kind kind, Wav2Vec2Config config, JsonNode json,
                             boolean doNormalize, Vocabulary vocabulary) {
        this.dir = dir;
        this.weights = weights;
        this.format = format;
        this.kind = kind;
        this.config = config;
        this.json = json;
        this.doNormalize = doNormalize;
        this.vocabulary = vocabulary;
    }

    /** True if {@code dir} looks like a transformers model folder. */
    public static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json"));
    }

    public static HuggingFaceModel open(Path dir) throws IOException {
        Path cfgFile = dir.resolve("config.json");
        if (!Files.isRegularFile(cfgFile)) {
            throw new InteropException(dir, "no config.json: not a Hugging Face model folder");
        }
        JsonNode cfg = readJson(cfgFile);
        Path weights;
        String format;
        if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
            weights = dir.resolve("model.safetensors");
            format = "hf-safetensors";
        } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
            weights = dir.resolve("pytorch_model.bin");
            format = "hf-pytorch";
        } else if (Files.isRegularFile(dir.resolve("model.safetensors.index.json"))
                || Files.isRegularFile(dir.resolve("pytorch_model.bin.index.json"))) {
            throw new InteropException(dir, "sharded weights (*.index.json) are not supported yet");
        } else {
            throw new InteropException(dir, "no model.safetensors or pytorch_model.bin beside config.json");
        }
        Kind kind = kind(cfgFile, cfg);
        Wav2Vec2Config model = toEngineConfig(cfgFile, cfg, kind);
        boolean normalize = false;
        Path pre = dir.resolve("preprocessor_config.json");
        if (Files.isRegularFile(pre)) {
            JsonNode p = readJson(pre);
            normalize = p.path("do_normalize").asBoolean(false);
            int rate = p.path("sampling_rate").asInt(16000);
            if (rate != 16000) {
                throw new InteropException(pre, "sampling_rate " + rate + ": the engine's models take 16 kHz audio");
            }
        }
        Vocabulary vocab = null;
        if (kind == Kind.CTC) {
            int vocabSize = intField(cfgFile, cfg, "vocab_size", -1);
            Path vf = dir.resolve("vocab.json");
            if (!Files.isRegularFile(vf)) {
                throw new InteropException(dir, "a CTC model needs vocab.json (the tokens of its " + vocabSize
                        + " outputs)");
            }
            vocab = vocabulary(vf, readJson(vf), cfg, vocabSize);
        }
        return new HuggingFaceModel(dir, weights, format, kind, model, cfg, normalize, vocab);
    }

    private static Kind kind(Path file, JsonNode cfg) throws InteropException {
        String type = cfg.path("model_type").asText("wav2vec2");
        if (!type.equals("wav2vec2")) {
            throw new InteropException(file, "model_type \"" + type + "\" is not supported (only wav2vec2)");
        }
        JsonNode arch = cfg.path("architectures");
        String a = arch.isArray() && arch.size() > 0 ? arch.get(0).asText() : "Wav2Vec2Model";
        return switch (a) {
            case "Wav2Vec2ForCTC" -> Kind.CTC;
            case "Wav2Vec2ForPreTraining" -> Kind.PRETRAINING;
            case "Wav2Vec2Model" -> Kind.BARE;
            default -> throw new InteropException(file, "architectures [\"" + a + "\"] is not supported (Wav2Vec2ForCTC,"
                    + " Wav2Vec2ForPreTraining and Wav2Vec2Model are)");
        };
    }

    /** config.json → the engine's architecture; refuses what the engine cannot compute. */
    public static Wav2Vec2Config toEngineConfig(Path file, JsonNode cfg, Kind kind) throws InteropException {
        List<String> refused = new ArrayList<>();
        requireText(cfg, "feat_extract_activation", "gelu", refused);
        requireText(cfg, "hidden_act", "gelu", refused);
        if (cfg.path("add_adapter").asBoolean(false)) {
            refused.add("add_adapter true (a convolutional adapter after the encoder)");
        }
        if (cfg.hasNonNull("adapter_attn_dim")) {
            refused.add("adapter_attn_dim " + cfg.get("adapter_attn_dim") + " (attention adapters)");
        }
        double eps = cfg.path("layer_norm_eps").asDouble(1e-5);
        if (Math.abs(eps - 1e-5) > 1e-12) {
            refused.add("layer_norm_eps " + eps + " (the engine's LayerNorm uses 1e-5)");
        }
        if (cfg.has("position_embeddings_type")) {
            refused.add("position_embeddings_type " + cfg.get("position_embeddings_type") + " (Conformer)");
        }
        String norm = cfg.path("feat_extract_norm").asText("group");
        ExtractorMode mode = switch (norm) {
            case "group" -> ExtractorMode.DEFAULT;
            case "layer" -> ExtractorMode.LAYER_NORM;
            default -> {
                refused.add("feat_extract_norm \"" + norm + "\" (group or layer)");
                yield ExtractorMode.DEFAULT;
            }
        };
        int[] dims = ints(file, cfg, "conv_dim", new int[] {512, 512, 512, 512, 512, 512, 512});
        int[] kernels = ints(file, cfg, "conv_kernel", new int[] {10, 3, 3, 3, 3, 2, 2});
        int[] strides = ints(file, cfg, "conv_stride", new int[] {5, 2, 2, 2, 2, 2, 2});
        if (dims.length != kernels.length || dims.length != strides.length) {
            throw new InteropException(file, "conv_dim, conv_kernel and conv_stride have different lengths ("
                    + dims.length + ", " + kernels.length + ", " + strides.length + ")");
        }
        List<ConvLayerSpec> conv = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            conv.add(new ConvLayerSpec(dims[i], kernels[i], strides[i]));
        }
        int d = intField(file, cfg, "hidden_size", 768);
        if (dims.length > 0 && dims[dims.length - 1] == d) {
            refused.add("conv_dim[-1] = hidden_size = " + d + " (the engine has no feature projection for equal widths)");
        }
        int posK = intField(file, cfg, "num_conv_pos_embeddings", 128);
        if (posK % 2 != 0) {
            refused.add("num_conv_pos_embeddings " + posK + " (the engine needs an even positional kernel)");
        }
        int groups = intField(file, cfg, "num_codevector_groups", 2);
        int entries = intField(file, cfg, "num_codevectors_per_group", 320);
        int codeDim = intField(file, cfg, "codevector_dim", 256);
        int projDim = intField(file, cfg, "proj_codevector_dim", 256);
        int finalDim = projDim;
        if (kind == Kind.PRETRAINING && codeDim != projDim) {
            refused.add("codevector_dim " + codeDim + " ≠ proj_codevector_dim " + projDim
                    + " (the engine's quantizer output and projections share one width)");
        }
        if (kind != Kind.PRETRAINING && finalDim % groups != 0) {
            finalDim = groups * Math.max(1, finalDim / groups);   // the quantizer is not used by these models
        }
        if (!refused.isEmpty()) {
            throw new InteropException(file, "cannot be represented by this engine: " + String.join("; ", refused));
        }
        boolean large = mode == ExtractorMode.LAYER_NORM;
        try {
            return new Wav2Vec2Config(conv, mode, cfg.path("conv_bias").asBoolean(false), d,
                    intField(file, cfg, "intermediate_size", 3072), intField(file, cfg, "num_hidden_layers", 12),
                    intField(file, cfg, "num_attention_heads", 12), cfg.path("do_stable_layer_norm").asBoolean(false),
                    dbl(cfg, "hidden_dropout", 0.1), dbl(cfg, "attention_dropout", 0.1),
                    dbl(cfg, "activation_dropout", 0.1), dbl(cfg, "feat_proj_dropout", 0.0),
                    dbl(cfg, "feat_quantizer_dropout", 0.0), dbl(cfg, "layerdrop", 0.1), posK,
                    intField(file, cfg, "num_conv_pos_embedding_groups", 16), large ? 1.0 : 0.1, finalDim, groups, entries,
                    dbl(cfg, "contrastive_logits_temperature", 0.1));
        } catch (IllegalArgumentException e) {
            throw new InteropException(file, e.getMessage(), e);
        }
    }

    /**
     * vocab.json (token → id) as a {@link Vocabulary}: the CTC blank is {@code pad_token_id}
     * (renamed {@code <blank>}, at its own id), {@code |} the word boundary. Outputs the
     * vocabulary does not name (vocab_size larger than vocab.json) become {@code <unused-N>}.
     */
    static Vocabulary vocabulary(Path file, JsonNode v, JsonNode cfg, int vocabSize) throws InteropException {
        if (!v.isObject()) {
            throw new InteropException(file, "vocab.json is not a token → id object");
        }
        int n = Math.max(vocabSize, v.size());
        String[] tokens = new String[n];
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                throw new InteropException(file, "vocab.json holds one vocabulary per language (\"" + e.getKey()
                        + "\": {…}): multilingual adapter models are not supported");
            }
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0 || e.getValue().asInt() >= n) {
                throw new InteropException(file, "token \"" + e.getKey() + "\" has id " + e.getValue()
                        + ", outside 0.." + (n - 1));
            }
            int id = e.getValue().asInt();
            if (tokens[id] != null) {
                throw new InteropException(file, "tokens \"" + tokens[id] + "\" and \"" + e.getKey() + "\" share id " + id);
            }
            tokens[id] = e.getKey();
        }
        if (vocabSize > 0 && v.size() > vocabSize) {
            throw new InteropException(file, "vocab.json has " + v.size() + " tokens but the model's vocab_size is "
                    + vocabSize);
        }
        int pad = cfg.path("pad_token_id").asInt(-1);
        if (pad < 0 || pad >= n || tokens[pad] == null) {
            throw new InteropException(file, "pad_token_id " + cfg.path("pad_token_id") + " (the CTC blank) names no"
                    + " token of vocab.json");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String t = i == pad ? Vocabulary.BLANK_SYMBOL : tokens[i] == null ? "<unused-" + i + ">" : tokens[i];
            if (i != pad && t.equals(Vocabulary.BLANK_SYMBOL)) {
                t = "<blank-token-" + i + ">";
            }
            list.add(t);
        }
        try {
            return Vocabulary.of(list);
        } catch (IllegalArgumentException e) {
            throw new InteropException(file, e.getMessage().replaceFirst("^vocabulary: ", ""), e);
        }
    }

    // ------------------------------------------------------------------ accessors

    public Path dir() {
        return dir;
    }

    public Path weightsFile() {
        return weights;
    }

    /** "hf-safetensors" or "hf-pytorch". */
    public String format() {
        return format;
    }

    public Kind kind() {
        return kind;
    }

    public Wav2Vec2Config config() {
        return config;
    }

    /** config.json as read. */
    public JsonNode json() {
        return json;
    }

    /** preprocessor_config.json's do_normalize: each utterance to zero mean, unit variance. */
    public boolean doNormalize() {
        return doNormalize;
    }

    /** The CTC vocabulary (null for other kinds). */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public double finalDropout() {
        return dbl(json, "final_dropout", 0.0);
    }

    /** Opens the weights file (safetensors or PyTorch ZIP). */
    public TensorSource openWeights() throws IOException {
        if (format.equals("hf-safetensors")) {
            return Safetensors.open(weights);
        }
        TorchZip zip = TorchZip.open(weights);
        if (!(zip.root() instanceof Map<?, ?> sd)) {
            zip.close();
            throw new InteropException(weights, "does not hold a state dict (found " + zip.root() + ")");
        }
        TensorSource view = zip.tensors(sd);
        return new TensorSource() {
            @Override
            public Path file() {
                return weights;
            }

            @Override
            public Map<String, Info> tensors() {
                return view.tensors();
            }

            @Override
            public float[] read(String name) throws IOException {
                return view.read(name);
            }

            @Override
            public void close() throws IOException {
                zip.close();
            }
        };
    }

    // ------------------------------------------------------------------ JSON helpers

    static JsonNode readJson(Path file) throws InteropException {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InteropException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InteropException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void requireText(JsonNode cfg, String field, String expected, List<String> refused) {
        String v = cfg.path(field).asText(expected);
        if (!v.toLowerCase(Locale.ROOT).equals(expected)) {
            refused.add(field + " \"" + v + "\" (only " + expected + ", the exact erf form, is implemented)");
        }
    }

    private static int intField(Path file, JsonNode cfg, String field, int dflt) throws InteropException {
        JsonNode n = cfg.get(field);
        if (n == null || n.isNull()) {
            if (dflt < 0) {
                throw new InteropException(file, "field " + field + " is missing");
            }
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new InteropException(file, "field " + field + " is " + n + ", not an integer");
        }
        return n.asInt();
    }

    private static double dbl(JsonNode cfg, String field, double dflt) {
        JsonNode n = cfg.get(field);
        return n == null || !n.isNumber() ? dflt : n.asDouble();
    }

    private static int[] ints(Path file, JsonNode cfg, String field, int[] dflt) throws InteropException {
        JsonNode n = cfg.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isArray()) {
            throw new InteropException(file, "field " + field + " is " + n + ", not a list");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw new InteropException(file, "field " + field + " has a non-integer entry " + n.get(i));
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }
}
