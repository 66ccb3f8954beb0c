package org.speechwb.app.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.model.w2v2.ConvLayerSpec;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;

/**
 * State and actions of the Experiment screen. The config is held as a base (a preset or a
 * loaded file) plus the fields the user edited, as {@code section.field=value} overrides; every
 * edit rebuilds the config through {@link ConfigOverrides#apply}, i.e. through the engine's own
 * validating constructors, so what the screen calls valid is exactly what the trainer accepts.
 */
public final class ExperimentViewModel {

    private final ScreenContext ctx;
    private final List<ConfigField> fields = ConfigField.all();
    private final Map<String, ConfigField> byPath = new LinkedHashMap<>();

    /** Model families in display order: the config's family value and what people call it. */
    public static final List<String[]> FAMILIES = List.of(new String[] {PretrainConfig.WAV2VEC2, "wav2vec 2.0"},
            new String[] {PretrainConfig.WAV2VEC1, "wav2vec 1.0"}, new String[] {PretrainConfig.VQ_WAV2VEC, "vq-wav2vec"});

    private final StringProperty family = new SimpleStringProperty(this, "family", PretrainConfig.WAV2VEC2);
    private final ObservableList<String> presetNames = FXCollections.observableArrayList();
    /** The fields of the current family's sections, in editor order: what the property sheet shows. */
    private final ObservableList<ConfigField> visibleFields = FXCollections.observableArrayList();
    /** Set while the view model itself moves family and preset together, so their listeners stay quiet. */
    private boolean switching;
    private final StringProperty preset = new SimpleStringProperty(this, "preset");
    private final ObjectProperty<Path> configFile = new SimpleObjectProperty<>(this, "configFile");
    private PretrainConfig base;
    private PretrainConfig presetConfig;
    /** Edits as typed, by path; only those that parse. */
    private final Map<String, String> overrides = new LinkedHashMap<>();
    /** Text shown in each field (the edit, or the base value). */
    private final ObservableMap<String, String> values = FXCollections.observableHashMap();
    private final ObservableMap<String, String> fieldErrors = FXCollections.observableHashMap();
    private final ObjectProperty<PretrainConfig> config = new SimpleObjectProperty<>(this, "config");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    private final ObservableList<DiffRow> diff = FXCollections.observableArrayList();
    private String lastEdited;

    private final ReadOnlyStringWrapper backend = new ReadOnlyStringWrapper(this, "backend", "");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "detecting…");
    private final ReadOnlyBooleanWrapper gpuAvailable = new ReadOnlyBooleanWrapper(this, "gpuAvailable");

    private final ObservableList<Utterance> previewUtterances = FXCollections.observableArrayList();
    private final ObjectProperty<Utterance> previewUtterance = new SimpleObjectProperty<>(this, "previewUtterance");
    private final ObjectProperty<AudioClip> previewClip = new SimpleObjectProperty<>(this, "previewClip");
    private final StringProperty previewError = new SimpleStringProperty(this, "previewError", "");
    private final LongProperty maskSeed = new SimpleLongProperty(this, "maskSeed", 1);
    private final ObjectProperty<MaskPreview> maskPreview = new SimpleObjectProperty<>(this, "maskPreview");
    /** Counts preview reads, so only the latest one's result (or failure) is shown. */
    private long previewLoads;

    private final StringProperty runName = new SimpleStringProperty(this, "runName", "");
    private final BooleanProperty starting = new SimpleBooleanProperty(this, "starting");
    private final ReadOnlyBooleanWrapper canStart = new ReadOnlyBooleanWrapper(this, "canStart");
    private final ReadOnlyStringWrapper startBlocker = new ReadOnlyStringWrapper(this, "startBlocker", "");

    public ExperimentViewModel(ScreenContext ctx) {
        this.ctx = ctx;
        for (ConfigField f : fields) {
            byPath.put(f.path(), f);
        }
        var prefs = ctx.preferences().values();
        String p = prefs.configPreset;
        if (p == null || allPresets().stream().noneMatch(x -> x[0].equals(p))) {
            preset.set(Presets.PRETRAIN.get(0)[0]);
        } else {
            preset.set(p);
        }
        presetConfig = loadPreset(preset.get());
        base = presetConfig;
        family.set(presetConfig.family());
        presetNames.setAll(namesOf(presetsFor(family.get())));
        if (prefs.configFile != null) {
            try {
                base = ConfigIO.read(Path.of(prefs.configFile), PretrainConfig.class);
                configFile.set(Path.of(prefs.configFile));
                followBaseFamily();
            } catch (ConfigException e) {
                ctx.notifier().warning("Last config file not loaded", e.getMessage());
            }
        }
        for (String o : prefs.configOverrides) {
            int eq = o.indexOf('=');
            if (eq > 0 && byPath.containsKey(o.substring(0, eq))) {
                overrides.put(o.substring(0, eq), o.substring(eq + 1));
            }
        }
        preset.addListener((o, a, b) -> {
            if (!switching && b != null && !b.equals(a)) {
                usePreset(b);
            }
        });
        family.addListener((o, a, b) -> {
            if (!switching && b != null && !b.equals(a)) {
                usePreset(presetsFor(b).get(0)[0]);
            }
        });
        updateVisibleFields();
        maskSeed.addListener((o, a, b) -> updatePreview());
        previewClip.addListener((o, a, b) -> updatePreview());
        previewUtterance.addListener((o, a, b) -> loadPreviewClip(b));
        // invalidation, not change: a rescan of unchanged files gives an equal Dataset record, and
        // the preview must still try again to read a file that failed before
        ctx.session().datasetProperty().addListener((javafx.beans.Observable o) -> refreshPreviewUtterances());
        ctx.session().splitsProperty().addListener((o, a, b) -> refreshPreviewUtterances());
        ctx.session().activeRunProperty().addListener((o, a, b) -> {
            if (b != null) {
                b.stateProperty().addListener((x, y, z) -> updateCanStart());
                // the state turns STOPPED or FINISHED a moment before the run stops counting as
                // training (its trainer returns after the last checkpoint): only then may Start
                b.completion().whenComplete((r, e) -> ctx.tasks().runOnUi(this::updateCanStart));
            }
            updateCanStart();
        });
        runName.addListener((o, a, b) -> updateCanStart());
        starting.addListener((o, a, b) -> updateCanStart());
        revalidate();
        refreshPreviewUtterances();
        ctx.tasks().submit("Asking the engine for its device", Backends::describe, info -> {
            backend.set(info.backend());
            device.set(info.device() + " · BLAS " + info.blas() + ", " + info.threads() + " threads");
            gpuAvailable.set(info.backend().contains("CUDA"));
        }, e -> device.set("unavailable: " + ErrorMessages.describe(e)));
    }

    private PretrainConfig loadPreset(String name) {
        try {
            return Presets.pretrain(name);
        } catch (ConfigException e) {
            throw new IllegalStateException("shipped preset " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    // ---- base config ----------------------------------------------------------------------

    /** Every pre-training preset, all families. */
    public static List<String[]> allPresets() {
        List<String[]> out = new ArrayList<>(Presets.PRETRAIN);
        out.addAll(Presets.PRETRAIN_WAV2VEC1);
        return out;
    }

    /** The presets of one family, in display order. */
    public static List<String[]> presetsFor(String family) {
        if (PretrainConfig.WAV2VEC2.equals(family)) {
            return Presets.PRETRAIN;
        }
        // the wav2vec 1.0 list holds both families; the shipped names say which
        boolean vq = PretrainConfig.VQ_WAV2VEC.equals(family);
        return Presets.PRETRAIN_WAV2VEC1.stream().filter(p -> p[0].startsWith("vq-") == vq).toList();
    }

    /** "wav2vec 1.0" for "wav2vec1". */
    public static String familyLabel(String family) {
        return FAMILIES.stream().filter(f -> f[0].equals(family)).map(f -> f[1]).findFirst().orElse(family);
    }

    private static List<String> namesOf(List<String[]> presets) {
        return presets.stream().map(p -> p[0]).toList();
    }

    /** Bases the config on a preset (of any family; the family follows) and drops all edits. */
    public void usePreset(String name) {
        presetConfig = loadPreset(name);
        switching = true;
        try {
            // preset first: the preset combo keeps its value while its items are replaced
            preset.set(name);
            family.set(presetConfig.family());
            if (!presetNames.equals(namesOf(presetsFor(presetConfig.family())))) {
                presetNames.setAll(namesOf(presetsFor(presetConfig.family())));
            }
            preset.set(name);
        } finally {
            switching = false;
        }
        base = presetConfig;
        configFile.set(null);
        overrides.clear();
        fieldErrors.clear();
        updateVisibleFields();
        revalidate();
    }

    /**
     * After a file became the base: the family follows the file, and when the file is of another
     * family the diff baseline becomes that family's first preset.
     */
    private void followBaseFamily() {
        String f = base.family();
        if (!f.equals(presetConfig.family())) {
            String name = presetsFor(f).get(0)[0];
            presetConfig = loadPreset(name);
            switching = true;
            try {
                preset.set(name);
                family.set(f);
                presetNames.setAll(namesOf(presetsFor(f)));
                preset.set(name);
            } finally {
                switching = false;
            }
        }
        updateVisibleFields();
    }

    private void updateVisibleFields() {
        ObjectNode tree = ConfigIO.json().valueToTree(base);
        List<ConfigField> v = fields.stream().filter(f -> applies(f, base, tree)).toList();
        if (!v.equals(visibleFields)) {
            visibleFields.setAll(v);
        }
    }

    /**
     * Whether a field belongs on the sheet for this base: its section is in the config, and for
     * wav2vec 1.0 it is not one the family pins (the quantizer kind comes with the preset; the
     * wav2vec 2.0 feature penalty, level-matched distractors and gain jitter must stay 0; without a
     * quantizer its knobs mean nothing).
     */
    static boolean applies(ConfigField f, PretrainConfig base, ObjectNode tree) {
        if (!tree.hasNonNull(f.section())) {
            return false;
        }
        if (!base.isWav2Vec1()) {
            return true;
        }
        var w = base.wav2vec1();
        String p = f.path();
        if (p.equals("wav2vec1.quantizer") || p.equals("loss.penaltyWeight") || p.equals("loss.levelPool")
                || p.equals("loss.mfccClusters") || p.equals("loss.mfccCmvn") || p.equals("data.gainJitterDb")) {
            return false;
        }
        boolean vqKnob = p.startsWith("wav2vec1.vq") || p.equals("wav2vec1.combineGroups");
        if (!w.quantized()) {
            return !vqKnob && !p.equals("loss.diversityWeight");
        }
        boolean gumbel = w.quantizer().equals(org.speechwb.engine.model.w2v1.Wav2Vec1Config.GUMBEL);
        if (p.equals("wav2vec1.vqGamma")) {
            return !gumbel;
        }
        if (p.equals("wav2vec1.vqDepth")) {
            return gumbel;
        }
        return true;
    }

    /** Drops the edits, keeping the base (preset or file). */
    public void revertEdits() {
        overrides.clear();
        fieldErrors.clear();
        revalidate();
    }

    /** Loads a YAML/JSON config as the new base (in the background; errors are reported). */
    public void load(Path file) {
        ctx.tasks().submit("Reading " + file.getFileName(), () -> ConfigIO.read(file, PretrainConfig.class), cfg -> {
            base = cfg;
            configFile.set(file);
            followBaseFamily();
            overrides.clear();
            fieldErrors.clear();
            revalidate();
            ctx.notifier().info("Config loaded", file.toString());
        }, e -> ctx.notifier().error("Could not load config " + file.getFileName(), e));
    }

    /** Synchronous load, for callers already off the FX thread (tests, drag and drop). */
    public void loadNow(Path file) throws ConfigException {
        base = ConfigIO.read(file, PretrainConfig.class);
        configFile.set(file);
        followBaseFamily();
        overrides.clear();
        fieldErrors.clear();
        revalidate();
    }

    /** Writes the current (valid) config as YAML or JSON by the file's extension. */
    public void save(Path file) throws IOException {
        PretrainConfig c = config.get();
        if (c == null) {
            throw new IOException("the config is invalid: " + error.get());
        }
        ConfigIO.write(file, c);
        ctx.notifier().info("Config saved", file.toString());
    }

    // ---- editing --------------------------------------------------------------------------

    /** Every field of every family. */
    public List<ConfigField> fields() {
        return fields;
    }

    /** The fields that apply to the current family and base: the property sheet's rows. */
    public ObservableList<ConfigField> visibleFields() {
        return visibleFields;
    }

    /** Text to show for a field. */
    public ObservableMap<String, String> values() {
        return values;
    }

    /** Error per field path (absent when fine). */
    public ObservableMap<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** Called as the user types: checks the text, then rebuilds the whole config. */
    public void edit(String path, String text) {
        ConfigField f = byPath.get(path);
        if (f == null) {
            throw new IllegalArgumentException("no config field " + path);
        }
        lastEdited = path;
        String problem = f.parseError(text);
        if (problem != null) {
            values.put(path, text);
            overrides.remove(path);
            fieldErrors.put(path, problem);
            revalidate();
            return;
        }
        String baseText = baseText(path);
        if (normalised(f, text).equals(normalised(f, baseText))) {
            overrides.remove(path);
        } else {
            overrides.put(path, text.trim());
        }
        fieldErrors.remove(path);
        revalidate();
    }

    private static String normalised(ConfigField f, String text) {
        String t = text == null ? "" : text.trim();
        try {
            return switch (f.kind()) {
                case INT, LONG -> Long.toString(Long.parseLong(t));
                case DOUBLE -> Double.toString(Double.parseDouble(t));
                case CONV_LAYERS -> ConfigField.formatConvLayers(ConfigField.parseConvLayers(t));
                default -> t;
            };
        } catch (IllegalArgumentException e) {
            return t;
        }
    }

    /** {@code section.field=value} for every edit, as ConfigOverrides and the CLI's --set take them. */
    public List<String> overrideList() {
        List<String> out = new ArrayList<>();
        overrides.forEach((p, v) -> out.add(p + "=" + byPath.get(p).toOverrideValue(v)));
        return out;
    }

    private void revalidate() {
        // text shown: base values, then edits (fields with a parse error keep what was typed)
        ObjectNode baseTree = ConfigIO.json().valueToTree(base);
        for (ConfigField f : fields) {
            if (!fieldErrors.containsKey(f.path()) || !values.containsKey(f.path())) {
                values.put(f.path(), overrides.getOrDefault(f.path(), display(baseTree, f)));
            }
        }
        fieldErrors.keySet().removeIf(k -> !isParseError(k));
        String unparsed = fields.stream().map(ConfigField::path).filter(fieldErrors::containsKey).findFirst()
                .orElse(null);
        if (unparsed != null) {
            // text that does not parse is not an edit the config may ignore: like an out-of-range
            // value, it leaves the config unusable (no preview, no start) until it is fixed
            config.set(null);
            error.set(unparsed + ": " + fieldErrors.get(unparsed));
            warnings.clear();
        } else {
            applyOverrides();
        }
        ctx.session().configProperty().set(config.get());
        ctx.session().configNameProperty().set(configName());
        diff.setAll(computeDiff());
        persist();
        updatePreview();
        updateCanStart();
    }

    private void applyOverrides() {
        try {
            PretrainConfig c = ConfigOverrides.apply(base, overrideList(), PretrainConfig.class);
            config.set(c);
            error.set("");
            warnings.setAll(c.warnings());
        } catch (ConfigException e) {
            config.set(null);
            String msg = cleanMessage(e.getMessage());
            error.set(msg);
            warnings.clear();
            boolean attributed = false;
            for (ConfigField f : fields) {
                if (mentions(msg, f)) {
                    fieldErrors.putIfAbsent(f.path(), msg);
                    attributed = true;
                }
            }
            if (!attributed && lastEdited != null) {
                fieldErrors.putIfAbsent(lastEdited, msg);
            }
        }
    }

    private boolean isParseError(String path) {
        ConfigField f = byPath.get(path);
        return f != null && values.containsKey(path) && f.parseError(values.get(path)) != null;
    }

    /** A message names a field either with its section ("masking.maskLength") or, inside its section's message, alone. */
    private static boolean mentions(String msg, ConfigField f) {
        if (msg.contains(f.path())) {
            return true;
        }
        if ((f.section().equals("wav2vec2") && msg.contains("wav2vec 2.0 model"))
                || (f.section().equals("wav2vec1") && msg.contains("wav2vec 1.0 model"))) {
            return java.util.regex.Pattern.compile("\\b" + f.name() + "\\b").matcher(msg).find();
        }
        return false;
    }

    /** Drops ConfigOverrides' "invalid after overrides [...]:" prefix: the user knows what they typed. */
    static String cleanMessage(String m) {
        if (m == null) {
            return "invalid config";
        }
        int i = m.indexOf("]: ");
        if (m.startsWith("invalid after overrides") && i > 0) {
            return m.substring(i + 3);
        }
        return m;
    }

    private String baseText(String path) {
        return display(ConfigIO.json().valueToTree(base), byPath.get(path));
    }

    static String display(ObjectNode tree, ConfigField f) {
        JsonNode n = tree.path(f.section()).path(f.name());
        if (f.kind() == ConfigField.Kind.CONV_LAYERS && n instanceof ArrayNode arr) {
            List<ConvLayerSpec> layers = new ArrayList<>();
            for (JsonNode l : arr) {
                layers.add(new ConvLayerSpec(l.path("channels").asInt(), l.path("kernel").asInt(), l.path("stride").asInt()));
            }
            return ConfigField.formatConvLayers(layers);
        }
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    private List<DiffRow> computeDiff() {
        ObjectNode p = ConfigIO.json().valueToTree(presetConfig);
        ObjectNode c = ConfigIO.json().valueToTree(base);
        List<DiffRow> out = new ArrayList<>();
        for (ConfigField f : fields) {
            String pv = display(p, f);
            String cv = isParseError(f.path()) ? values.get(f.path())
                    : overrides.containsKey(f.path()) ? normalised(f, overrides.get(f.path())) : display(c, f);
            if (!normalised(f, pv).equals(normalised(f, cv))) {
                out.add(new DiffRow(f.path(), pv, cv));
            }
        }
        return out;
    }

    private void persist() {
        var v = ctx.preferences().values();
        v.configPreset = preset.get();
        v.configFile = configFile.get() == null ? null : configFile.get().toString();
        v.configOverrides = new ArrayList<>();
        overrides.forEach((k, val) -> v.configOverrides.add(k + "=" + val));
        ctx.preferences().save();
    }

    private String configName() {
        Path f = configFile.get();
        return f != null ? f.getFileName().toString().replaceAll("\\.(ya?ml|json)$", "") : preset.get();
    }

    // ---- derived numbers ------------------------------------------------------------------

    /** Parameters of the current model, or -1 while invalid. */
    public long parameterCount() {
        PretrainConfig c = config.get();
        if (c == null) {
            return -1;
        }
        return ModelSize.parameters(c);
    }

    // ---- mask preview ---------------------------------------------------------------------

    private void refreshPreviewUtterances() {
        Dataset ds = ctx.session().dataset();
        List<Utterance> us = ctx.session().trainingUtterances();
        if (us.isEmpty() && ds != null) {
            us = ds.utterances();
        }
        Utterance keep = previewUtterance.get();
        // a combo box bound to the selection may clear it while its items are replaced
        previewUtterances.setAll(us);
        Utterance next = keep != null && us.contains(keep) ? keep : us.isEmpty() ? null : us.get(0);
        if (next != null && next.equals(previewUtterance.get()) && previewClip.get() == null) {
            // a rescan keeps the utterance, so no change would reload it; its file may be readable now
            loadPreviewClip(next);
        }
        previewUtterance.set(next);
        updateCanStart();
    }

    private void loadPreviewClip(Utterance u) {
        long load = ++previewLoads;
        previewError.set("");
        previewClip.set(null);
        if (u == null) {
            return;
        }
        ctx.tasks().submit("Loading " + u.id(), () -> AudioReader.read16k(u.audio()), c -> {
            if (load == previewLoads) {
                previewClip.set(c);
            }
        }, e -> {
            if (load == previewLoads) {
                previewError.set("Cannot read " + u.audio().getFileName() + ": " + ErrorMessages.describe(e));
            }
            ctx.notifier().error("Cannot read " + u.audio().getFileName(), e);
        });
    }

    /** Draws new masks (a new seed) on the same utterance. */
    public void resample() {
        maskSeed.set(maskSeed.get() + 1);
    }

    private void updatePreview() {
        PretrainConfig c = config.get();
        AudioClip clip = previewClip.get();
        // wav2vec 1.0 masks nothing: it predicts future frames of unmasked audio
        if (c == null || clip == null || c.isWav2Vec1()) {
            maskPreview.set(null);
            return;
        }
        maskPreview.set(MaskPreview.draw(c.wav2vec2(), c.masking(), clip.samples().length, maskSeed.get()));
    }

    // ---- starting a run -------------------------------------------------------------------

    private void updateCanStart() {
        String why = "";
        if (config.get() == null) {
            why = "Fix the config first";
        } else if (ctx.session().dataset() == null) {
            why = "Open a dataset on the Datasets screen";
        } else if (ctx.session().trainingUtterances().isEmpty()) {
            why = "The chosen split has no training utterances";
        } else if (ctx.session().isTraining()) {
            why = "Run " + ctx.session().activeRun().run().id() + " is still training";
        } else if (starting.get()) {
            why = "Starting…";
        }
        startBlocker.set(why);
        canStart.set(why.isEmpty());
    }

    /**
     * Creates a run folder under the runs folder (config and provenance as the CLI writes them)
     * and hands it to the session, which trains it on its own thread; then shows Training.
     */
    public void startTraining() {
        updateCanStart();
        if (!canStart.get()) {
            return;
        }
        PretrainConfig cfg = config.get();
        Dataset ds = ctx.session().dataset();
        SplitChoice split = ctx.session().splitChoiceProperty().get();
        List<Utterance> train = List.copyOf(ctx.session().trainingUtterances());
        String name = runName.get().isBlank() ? configName() : runName.get().trim();
        List<String> command = new ArrayList<>(List.of("workbench", "--config", configFile.get() != null
                ? configFile.get().toString() : preset.get(), "--data", ds.root().toString(), "--split", split.spec()));
        for (String o : overrideList()) {
            command.add("--set");
            command.add(o);
        }
        starting.set(true);
        ctx.tasks().submit("Creating run " + name, () -> {
            Backends.Info device = Backends.describe();
            Provenance prov = new Provenance(ds.root().toString(), ds.format().name(), ds.fingerprint(), split.spec(),
                    train.size(), train.stream().mapToDouble(Utterance::seconds).sum() / 3600,
                    Provenance.gitCommit(ctx.paths().home()), Provenance.ENGINE_VERSION,
                    device.backend() + " / " + device.blas(), device.device(), System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), Provenance.now(), command);
            return new RunStore(ctx.paths().runs()).create(name, cfg, prov);
        }, (RunFolder run) -> {
            starting.set(false);
            String description = String.format(Locale.ROOT, "%s, %s: %d utterances", ds.root().getFileName(),
                    split.describe(), train.size());
            try {
                ActiveRun active = ctx.session().startTraining(run, train, null, description);
                Objects.requireNonNull(active);
                ctx.session().selectedRunProperty().set(run);
                ctx.session().navigate(ScreenId.TRAINING);
            } catch (IllegalStateException e) {
                ctx.notifier().error("Cannot start training", e);
            }
            updateCanStart();
        }, e -> {
            starting.set(false);
            ctx.notifier().error("Could not create the run", e);
        });
    }

    // ---- properties -----------------------------------------------------------------------

    /** The model family ("wav2vec2", "wav2vec1", "vq-wav2vec"); setting it switches to its first preset. */
    public StringProperty familyProperty() {
        return family;
    }

    /** The current family's preset names. */
    public ObservableList<String> presetNames() {
        return presetNames;
    }

    public StringProperty presetProperty() {
        return preset;
    }

    public ObjectProperty<Path> configFileProperty() {
        return configFile;
    }

    public ObjectProperty<PretrainConfig> configProperty() {
        return config;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public ObservableList<String> warnings() {
        return warnings;
    }

    public ObservableList<DiffRow> diff() {
        return diff;
    }

    public ReadOnlyStringProperty backendProperty() {
        return backend.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty gpuAvailableProperty() {
        return gpuAvailable.getReadOnlyProperty();
    }

    public ObservableList<Utterance> previewUtterances() {
        return previewUtterances;
    }

    public ObjectProperty<Utterance> previewUtteranceProperty() {
        return previewUtterance;
    }

    public ObjectProperty<AudioClip> previewClipProperty() {
        return previewClip;
    }

    /** Why the preview utterance's audio could not be read ("" when it was, or is loading). */
    public ReadOnlyStringProperty previewErrorProperty() {
        return previewError;
    }

    public LongProperty maskSeedProperty() {
        return maskSeed;
    }

    public ObjectProperty<MaskPreview> maskPreviewProperty() {
        return maskPreview;
    }

    public StringProperty runNameProperty() {
        return runName;
    }

    public ReadOnlyBooleanProperty canStartProperty() {
        return canStart.getReadOnlyProperty();
    }

    /** Why Start is disabled ("" when it is not). */
    public ReadOnlyStringProperty startBlockerProperty() {
        return startBlocker.getReadOnlyProperty();
    }

}
