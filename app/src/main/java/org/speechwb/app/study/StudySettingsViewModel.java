package org.speechwb.app.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.speechwb.app.AppPaths;
import org.speechwb.app.shell.WorkbenchSession;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.experiment.Arm;
import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment;

/**
 * The Study screen's settings: what the user typed, checked as they type. Every change rebuilds
 * the engine's {@link ExperimentConfig}; a value that cannot be parsed, or that the engine
 * rejects, puts the reason next to its field and leaves {@link #configProperty()} null.
 */
public final class StudySettingsViewModel {

    /** The fields that can carry a message. */
    public enum Field {
        CORPUS, OUT, MINUTES, SEEDS, ARMS, PRETRAINED_MODEL, PRETRAIN, PRETRAIN_SEED, FEATURE, FINETUNE, ACOUSTIC, PROBE,
        TEST_SETS, OTHER
    }

    private static final ExperimentConfig D = ExperimentConfig.defaults();

    private final Path home;
    private final StringProperty corpus = new SimpleStringProperty(this, "corpus", "");
    private final StringProperty out = new SimpleStringProperty(this, "out", "");
    private final StringProperty minutes = new SimpleStringProperty(this, "minutes",
            SettingsText.number(D.labeledMinutes()));
    private final StringProperty seeds = new SimpleStringProperty(this, "seeds", SettingsText.join(D.seeds()));
    private final BooleanProperty gridOnEverySeed = new SimpleBooleanProperty(this, "gridOnEverySeed",
            D.gridSeeds() > 1);
    private final Map<Arm, BooleanProperty> arms = new EnumMap<>(Arm.class);
    private final StringProperty pretrainedModel = new SimpleStringProperty(this, "pretrainedModel", "");
    private final StringProperty pretrainUpdates = text("pretrainUpdates", D.pretrainUpdates());
    private final StringProperty pretrainSeed = new SimpleStringProperty(this, "pretrainSeed",
            Long.toString(D.pretrainSeed()));
    private final BooleanProperty pretrainPerSeed = new SimpleBooleanProperty(this, "pretrainPerSeed",
            D.pretrainPerSeed());
    private final StringProperty featureUpdates = text("featureUpdates", D.featureUpdates());
    private final StringProperty finetuneUpdates = text("finetuneUpdates", D.finetuneUpdates());
    private final StringProperty acousticUpdates = text("acousticUpdates", D.acousticUpdates());
    private final StringProperty probeUpdates = text("probeUpdates", D.probeUpdates());
    private final ObservableList<String> testSets = FXCollections.observableArrayList(D.testSets());
    private final Map<Field, ReadOnlyStringWrapper> errors = new EnumMap<>(Field.class);
    private final ReadOnlyStringWrapper outNote = new ReadOnlyStringWrapper(this, "outNote", "");
    private final ReadOnlyStringWrapper probeNote = new ReadOnlyStringWrapper(this, "probeNote", "");
    private final ReadOnlyStringWrapper baseNote = new ReadOnlyStringWrapper(this, "baseNote", "");
    private final ReadOnlyBooleanWrapper outHasResults = new ReadOnlyBooleanWrapper(this, "outHasResults");
    private final ReadOnlyObjectWrapper<Path> outFolder = new ReadOnlyObjectWrapper<>(this, "outFolder");
    private final ReadOnlyObjectWrapper<ExperimentConfig> config = new ReadOnlyObjectWrapper<>(this, "config");
    private final ReadOnlyObjectWrapper<Path> validOut = new ReadOnlyObjectWrapper<>(this, "validOut");
    /**
     * Where the settings this page does not show come from (grids, splits, presets, LM): the
     * defaults, or the experiment last loaded, so that continuing it does not silently change them.
     */
    private ExperimentConfig base = D;
    /** The folder whose experiment {@link #base} came from (null: the defaults). */
    private Path loadedFrom;
    /** Until the user types a corpus, it follows the session's dataset. */
    private boolean corpusFollowsSession = true;
    private boolean settingCorpus;

    public StudySettingsViewModel(AppPaths paths, WorkbenchSession session) {
        this.home = paths.home();
        for (Field f : Field.values()) {
            errors.put(f, new ReadOnlyStringWrapper(this, f.name(), ""));
        }
        for (Arm a : Arm.values()) {
            arms.put(a, new SimpleBooleanProperty(this, a.key(), D.runs(a)));
        }
        out.set(paths.runs().resolve("experiments").resolve("study-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))).toString());
        if (session != null) {
            followDataset(session.dataset());
            session.datasetProperty().addListener((o, a, b) -> followDataset(b));
        }
        corpus.addListener((o, a, b) -> {
            if (!settingCorpus) {
                corpusFollowsSession = false;
            }
        });
        List<Observable> deps = new ArrayList<>(List.of(corpus, out, minutes, seeds, gridOnEverySeed, pretrainedModel,
                pretrainUpdates, pretrainSeed, pretrainPerSeed, featureUpdates, finetuneUpdates, acousticUpdates,
                probeUpdates, testSets));
        deps.addAll(arms.values());
        deps.forEach(d -> d.addListener(x -> validate()));
        validate();
    }

    private void followDataset(Dataset ds) {
        if (corpusFollowsSession && ds != null) {
            settingCorpus = true;
            try {
                corpus.set(ds.root().toString());
            } finally {
                settingCorpus = false;
            }
        }
    }

    private static StringProperty text(String name, int value) {
        return new SimpleStringProperty(null, name, Integer.toString(value));
    }

    /** Re-checks everything; called on every change (cheap: parsing and the record's own checks). */
    void validate() {
        Map<Field, String> err = new LinkedHashMap<>();
        String c = corpus.get().strip();
        if (!c.isEmpty() && !Files.exists(home.resolve(c))) {
            err.put(Field.CORPUS, "No such folder or file");
        }
        Path o = null;
        String os = out.get().strip();
        if (os.isEmpty()) {
            err.put(Field.OUT, "Choose a folder for the experiment");
        } else {
            try {
                o = home.resolve(os).normalize();
                if (Files.exists(o) && !Files.isDirectory(o)) {
                    err.put(Field.OUT, "Is a file, not a folder");
                }
            } catch (java.nio.file.InvalidPathException e) {
                err.put(Field.OUT, "Not a valid path: " + e.getReason());
            }
        }
        boolean usable = o != null && !err.containsKey(Field.OUT);
        boolean results = usable && Files.isRegularFile(o.resolve("results.json"));
        outFolder.set(usable ? o : null);
        outHasResults.set(results && !o.equals(loadedFrom));
        outNote.set(results || usable && Files.isRegularFile(o.resolve("splits.tsv"))
                ? "Holds an earlier experiment: Start continues it (finished stages are reused)" : "");
        Double mins = null;
        try {
            mins = Double.parseDouble(minutes.get().strip());
        } catch (NumberFormatException e) {
            err.put(Field.MINUTES, "Not a number: '" + minutes.get().strip() + "'");
        }
        List<Long> seedList = SettingsText.seeds(seeds.get(), err);
        List<String> armKeys = arms.entrySet().stream().filter(e -> e.getValue().get()).map(e -> e.getKey().key())
                .toList();
        Integer pre = SettingsText.whole(pretrainUpdates, Field.PRETRAIN, err);
        Integer feat = SettingsText.whole(featureUpdates, Field.FEATURE, err);
        Integer ft = SettingsText.whole(finetuneUpdates, Field.FINETUNE, err);
        Integer ac = SettingsText.whole(acousticUpdates, Field.ACOUSTIC, err);
        Integer pr = SettingsText.whole(probeUpdates, Field.PROBE, err);
        Long preSeed = null;
        try {
            preSeed = Long.parseLong(pretrainSeed.get().strip());
        } catch (NumberFormatException e) {
            err.put(Field.PRETRAIN_SEED, "Not a whole number: '" + pretrainSeed.get().strip() + "'");
        }
        String model = pretrainedModel.get().strip();
        if (!model.isEmpty()) {
            try {
                // the engine's own check, so the page refuses what the experiment would (InvalidPathException is an
                // IllegalArgumentException)
                LowResourceExperiment.givenPretrained(home.resolve(model));
            } catch (IllegalArgumentException | java.io.IOException e) {
                err.put(Field.PRETRAINED_MODEL, SettingsText.besideField(e.getMessage(),
                        "pre-trained model " + home.resolve(model)));
            }
        }
        boolean perSeed = pretrainPerSeed.get() && model.isEmpty();
        ExperimentConfig cfg = null;
        if (err.keySet().stream().allMatch(f -> f == Field.CORPUS || f == Field.OUT)) {
            try {
                cfg = base.toBuilder().corpus(c).labeledMinutes(mins).seeds(seedList).arms(armKeys)
                        .testSets(List.copyOf(testSets)).pretrainUpdates(pre)
                        // with a draw per seed the seed field is unused (the page disables it), as both are with
                        // a given model
                        .pretrainSeed(perSeed ? 1 : preSeed).pretrainPerSeed(perSeed).pretrainedModel(model)
                        .finetuneUpdates(ft).featureUpdates(feat).acousticUpdates(ac).probeUpdates(pr)
                        .gridSeeds(gridOnEverySeed.get() ? seedList.size() : 1).build();
            } catch (IllegalArgumentException e) {
                err.put(SettingsText.fieldOf(e.getMessage(), pre, ft), e.getMessage());
            }
        }
        for (String t : testSets) {
            int eq = t.indexOf('=');
            String dir = eq < 0 ? t : t.substring(eq + 1);
            if (!err.containsKey(Field.TEST_SETS) && !dir.isBlank() && !Files.exists(home.resolve(dir.strip()))) {
                err.put(Field.TEST_SETS, "Test set " + t + ": no such folder");
            }
        }
        boolean needsPretrained = pr != null && pr > 0 && !Boolean.TRUE.equals(arms.get(Arm.WAV2VEC2).get())
                && model.isEmpty();
        probeNote.set(needsPretrained ? "The probes need the pre-trained wav2vec 2.0: it is pre-trained for them" : "");
        errors.forEach((f, p) -> p.set(err.getOrDefault(f, "")));
        validOut.set(err.isEmpty() ? o : null);
        config.set(err.isEmpty() ? cfg : null);
    }

    /** Adds an extra test set ({@code NAME=DIR} or {@code DIR}); blank or repeated entries are ignored. */
    public void addTestSet(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (!s.isEmpty() && !testSets.contains(s)) {
            testSets.add(s);
        }
    }

    // ---- properties -----------------------------------------------------------------------

    /** The corpus folder; empty synthesises one (needs espeak-ng and flite). */
    public StringProperty corpusProperty() {
        return corpus;
    }

    public StringProperty outProperty() {
        return out;
    }

    public StringProperty labeledMinutesProperty() {
        return minutes;
    }

    public StringProperty seedsProperty() {
        return seeds;
    }

    /**
     * Train every grid setting on every seed and choose on the mean validation result, rather than
     * on the first seed's alone: the grid then costs as many times more as there are seeds.
     */
    public BooleanProperty gridOnEverySeedProperty() {
        return gridOnEverySeed;
    }

    /** One wav2vec 2.0 and one 1.0 pre-training per labeled seed ({@link ExperimentConfig#pretrainPerSeed()}). */
    public BooleanProperty pretrainPerSeedProperty() {
        return pretrainPerSeed;
    }

    public BooleanProperty armProperty(Arm arm) {
        return arms.get(arm);
    }

    /**
     * A wav2vec 2.0 run folder (an imported fairseq or transformers checkpoint, or a workbench run)
     * for the wav2vec 2.0 arms and probes instead of pre-training one; "" pre-trains.
     */
    public StringProperty pretrainedModelProperty() {
        return pretrainedModel;
    }

    public StringProperty pretrainUpdatesProperty() {
        return pretrainUpdates;
    }

    /** Seed of the wav2vec 2.0 pre-training: another seed is another pre-trained model, so another folder. */
    public StringProperty pretrainSeedProperty() {
        return pretrainSeed;
    }

    public StringProperty featureUpdatesProperty() {
        return featureUpdates;
    }

    public StringProperty finetuneUpdatesProperty() {
        return finetuneUpdates;
    }

    public StringProperty acousticUpdatesProperty() {
        return acousticUpdates;
    }

    public StringProperty probeUpdatesProperty() {
        return probeUpdates;
    }

    /** Extra labeled test sets, {@code NAME=DIR} or {@code DIR} (relative to the project folder or absolute). */
    public ObservableList<String> testSets() {
        return testSets;
    }

    /** Why {@code field} is not acceptable, or "". */
    public ReadOnlyStringProperty errorProperty(Field field) {
        return errors.get(field).getReadOnlyProperty();
    }

    /** A remark on the output folder (it holds an earlier experiment), or "". */
    public ReadOnlyStringProperty outNoteProperty() {
        return outNote.getReadOnlyProperty();
    }

    /** A remark on the probes (they pre-train wav2vec 2.0 when its arm is off), or "". */
    public ReadOnlyStringProperty probeNoteProperty() {
        return probeNote.getReadOnlyProperty();
    }

    /** The output folder holds an experiment's results.json whose settings this page does not show yet. */
    public ReadOnlyBooleanProperty outHasResultsProperty() {
        return outHasResults.getReadOnlyProperty();
    }

    /** The output folder as typed, resolved (null while it is not a usable path), valid or not the other fields. */
    public ReadOnlyObjectProperty<Path> outFolderProperty() {
        return outFolder.getReadOnlyProperty();
    }

    /** Why the settings of the output folder's experiment could not be read: the folder's remark, until the next edit. */
    void loadFailed(String message) {
        outNote.set(message);
    }

    /** Where the grids and the other settings not shown come from, when not the defaults; or "". */
    public ReadOnlyStringProperty baseNoteProperty() {
        return baseNote.getReadOnlyProperty();
    }

    /** The valid config, or null while any field is wrong. */
    public ReadOnlyObjectProperty<ExperimentConfig> configProperty() {
        return config.getReadOnlyProperty();
    }

    /** The output folder as an absolute path, or null while any field is wrong. */
    public ReadOnlyObjectProperty<Path> outPathProperty() {
        return validOut.getReadOnlyProperty();
    }

    /**
     * Sets every field from a config (an opened experiment's, to continue it or run it again with
     * changes) and keeps its grids and other settings this page does not show.
     */
    public void load(ExperimentConfig cfg, Path folder) {
        base = cfg;
        loadedFrom = home.resolve(folder.toString()).normalize();
        corpus.set(cfg.corpus());
        out.set(folder.toString());
        minutes.set(SettingsText.number(cfg.labeledMinutes()));
        seeds.set(SettingsText.join(cfg.seeds()));
        // an experiment judged on some but not all of its seeds (possible from the command line) opens
        // as judged on all: the page offers only the two ends
        gridOnEverySeed.set(cfg.gridSeeds() > 1);
        arms.forEach((a, p) -> p.set(cfg.runs(a)));
        pretrainedModel.set(cfg.pretrainedModel());
        pretrainUpdates.set(Integer.toString(cfg.pretrainUpdates()));
        pretrainSeed.set(Long.toString(cfg.pretrainSeed()));
        pretrainPerSeed.set(cfg.pretrainPerSeed());
        featureUpdates.set(Integer.toString(cfg.featureUpdates()));
        finetuneUpdates.set(Integer.toString(cfg.finetuneUpdates()));
        acousticUpdates.set(Integer.toString(cfg.acousticUpdates()));
        probeUpdates.set(Integer.toString(cfg.probeUpdates()));
        testSets.setAll(cfg.testSets());
        baseNote.set("Grids, splits, presets and LM are those of the experiment in " + folder + " ("
                + gridSummary(cfg) + ")");
        validate();
    }

    /** Goes back to the defaults for the settings this page does not show (the fields keep their values). */
    public void useDefaultHiddenSettings() {
        base = D;
        loadedFrom = null;
        baseNote.set("");
        validate();
    }

    private static String gridSummary(ExperimentConfig cfg) {
        List<String> parts = new ArrayList<>();
        for (String arm : cfg.arms()) {
            int n = cfg.grid(Arm.of(arm)).size();
            parts.add(arm + " " + n + (n == 1 ? " setting" : " settings"));
        }
        return "grids: " + String.join(", ", parts);
    }
}
