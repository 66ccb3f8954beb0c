package org.speechwb.engine.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.speechwb.engine.acoustic.AcousticModelConfig;
import org.speechwb.engine.acoustic.AcousticModelTrainer;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.lm.KneserNeyTrainer;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.eval.ReportWriter;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.features.LogMelFilterbank;
import org.speechwb.engine.model.w2v1.FeatureExtractor;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.probe.ProbeRecipe;
import org.speechwb.engine.probe.Wav2Vec2Layers;
import org.speechwb.engine.recognize.LogProbSource;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.run.MetricsLog;
import org.speechwb.engine.run.ConfigDiff;
import org.speechwb.engine.run.FolderLock;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingListener;
import org.speechwb.engine.train.TrainingLoop;
import org.speechwb.engine.train.ValidationResult;

/**
 * The comparison both wav2vec papers make, on our own data and with a protocol a reviewer can
 * check: test and validation speakers are held out of everything (pre-training included); each
 * arm is trained on several labeled subsets (seeds) of the training speakers; each arm's settings
 * are chosen from a small grid on validation of the first seed, or the mean over the first few
 * ({@link GridCandidates}, by the folder's {@link ModelSelection} rule), never
 * on test; every model is scored on the held-out speakers and on any extra test sets, greedy and
 * with a word n-gram LM trained on the training transcripts; results are averaged over seeds with
 * their range.
 *
 * <p>Arms ({@link Arm}): wav2vec 2.0 CTC from scratch; wav2vec 2.0 pre-trained on the training
 * speakers' audio and fine-tuned; the same small acoustic model on 80 log-mel and on frozen
 * wav2vec 1.0 context vectors. Layer-wise linear probes of the pre-trained and a random
 * wav2vec 2.0 show where pre-training put phonetic information.
 *
 * <p>Every stage writes into the experiment folder under a fixed name; finished stages are
 * reused and interrupted training runs resumed, so rerunning the command continues.
 */
public final class LowResourceExperiment {

    /**
     * Wall-clock time of one stage in this invocation (0 when it was already done), and in every
     * invocation of the folder together ({@link StageLedger}; 0 for a stage run before the folder
     * kept one).
     */
    public record StageTime(String stage, double seconds, boolean reused, double totalSeconds) {
    }

    /** One test score of one model (error rates as fractions). */
    public record Score(String testSet, String decoder, double wer, double cer, int utterances) {
    }

    /** A trained model's validation figures and, once scored, its test scores. */
    public record ArmResult(String arm, long seed, int candidate, List<String> setting, double validWer,
                            double validCer, List<Score> scores, List<CurvePoint> curve) {

        public ArmResult {
            scores = scores == null ? List.of() : List.copyOf(scores);
            curve = curve == null ? List.of() : List.copyOf(curve);
        }
    }

    /** Validation WER and CER (fractions) of a model during its training. */
    public record CurvePoint(int update, double wer, double cer) {
    }

    /** Mean and range over seeds of one arm on one test set with one decoder, in percent. */
    public record Aggregate(double wer, double cer, double werMin, double werMax, double cerMin, double cerMax,
                            Map<String, Map<String, Double>> perSeed) {
    }

    /** What the experiment produced; {@code testSets.<set>.<arm>.<decoder>} is the headline. */
    public record Results(ExperimentConfig config, String corpus, String splits, Map<String, Integer> labeledUtterances,
                          Map<String, Double> labeledMinutes, int trainUtterances, double trainMinutes,
                          Map<String, List<ArmResult>> grid, Map<String, Map<String, Map<String, Aggregate>>> testSets,
                          List<ArmResult> perSeed, List<LayerProbe.Result> probes, List<StageTime> stages,
                          String device, String selection, List<PretrainingOutcome> pretraining) {

        public Results {
            // a results file from before pre-trainings were reported has none
            pretraining = pretraining == null ? List.of() : List.copyOf(pretraining);
        }

        /**
         * The rule models and settings were chosen by on validation; a results file from before the
         * rule was recorded was chosen by the 95 % floor.
         */
        public String selectionRule() {
            return selection != null ? selection : ModelSelection.WER_FLOOR.description();
        }

        /**
         * The grid candidate an arm was scored with on the test sets, or -1 if it has no scored
         * model yet. Every seed of an arm uses the same one, so the first tells.
         */
        public int chosenCandidate(String arm) {
            return perSeed == null ? -1 : perSeed.stream().filter(p -> p.arm().equals(arm)).findFirst()
                    .map(ArmResult::candidate).orElse(-1);
        }
    }

    static final String HELD_OUT = "heldout";
    /** The decoders' keys in {@code results.json} ({@code testSets.<set>.<arm>.<decoder>}): greedy CTC. */
    public static final String GREEDY = "greedy";
    /** ... and beam search with the n-gram language model. */
    public static final String LM = "lm";
    /** Seed of the random-initialised models: the probes' baseline and the control arms use one model. */
    static final long RANDOM_SEED = 1;

    private final ExperimentConfig cfg;
    private final Path out;
    private final Path home;
    private final Consumer<String> log;
    private final TrainingListener listener;
    private StageClock clock;
    /** The folder's rule for choosing models on validation: the one it started with ({@link ExperimentRecipe#read}). */
    private ModelSelection selection = ModelSelection.DEFAULT;
    /** The folder's probe recipe: the one it started with ({@link ExperimentRecipe#read}). */
    private ProbeRecipe probeRecipe = ProbeRecipe.DEFAULT;
    /** The layer probes once run or read (both the report and the wav2vec2-features arm use them). */
    private List<LayerProbe.Result> probeResults;
    private volatile TrainingLoop current;
    private volatile boolean stopRequested;
    /** Grid candidates of the current arm trained in memory, by score key, until the winner is scored. */
    private final Map<String, TrainedModel> inMemory = new LinkedHashMap<>();

    public LowResourceExperiment(ExperimentConfig cfg, Path out, Path home, Consumer<String> log,
                                 TrainingListener listener) {
        this.cfg = cfg;
        this.out = out;
        this.home = home;
        this.log = log;
        this.listener = listener;
    }

    private record TestSet(String name, List<Utterance> utterances) {
    }

    /** Everything a per-seed stage needs; the pre-trained models are trained on first use. */
    private final class Shared {
        private final ExperimentSplits splits;
        private final Provenance prov;
        private final FinetuneConfig ftPreset;
        private final NgramModel lm;
        private final List<TestSet> sets;
        /** Pre-trained models by pre-training seed ({@link ExperimentConfig#pretrainSeedFor}). */
        private final Map<Long, RunFolder> wav2vec2Pre = new HashMap<>();
        private final Map<Long, RunFolder> wav2vec1Pre = new HashMap<>();
        /** The first seed's labeled subset: what the layer probes train on. */
        private List<Utterance> probeLabeled;

        Shared(ExperimentSplits splits, Provenance prov, FinetuneConfig ftPreset, NgramModel lm, List<TestSet> sets) {
            this.splits = splits;
            this.prov = prov;
            this.ftPreset = ftPreset;
            this.lm = lm;
            this.sets = sets;
        }

        ExperimentSplits splits() {
            return splits;
        }

        Provenance prov() {
            return prov;
        }

        FinetuneConfig ftPreset() {
            return ftPreset;
        }

        NgramModel lm() {
            return lm;
        }

        List<TestSet> sets() {
            return sets;
        }

        List<Utterance> probeLabeled() {
            return probeLabeled;
        }

        /** The pre-trained wav2vec 2.0 that the arms of this labeled seed use. */
        RunFolder wav2vec2Pre(long labeledSeed) throws Exception {
            long draw = cfg.pretrainSeedFor(labeledSeed);
            RunFolder run = wav2vec2Pre.get(draw);
            if (run == null && cfg.givenPretrainedModel()) {
                run = givenPretrained(home.resolve(cfg.pretrainedModel()));
                log.accept("wav2vec 2.0: the given pre-trained model " + run.dir() + " (not trained here)");
            }
            if (run == null) {
                PretrainConfig pre = scalePretrain(Presets.pretrainFromNameOrFile(cfg.pretrainPreset()),
                        cfg.pretrainUpdates(), draw);
                run = pretrained(Pretraining.WAV2VEC2, pre, draw);
            }
            wav2vec2Pre.put(draw, run);
            return run;
        }

        /** The pre-trained wav2vec 1.0 whose context the wav2vec1 arm of this labeled seed reads. */
        RunFolder wav2vec1Pre(long labeledSeed) throws Exception {
            long draw = cfg.pretrainSeedFor(labeledSeed);
            RunFolder run = wav2vec1Pre.get(draw);
            if (run == null) {
                PretrainConfig w1 = scalePretrain(Presets.pretrainFromNameOrFile(cfg.featurePreset()),
                        cfg.featureUpdates(), draw);
                if (!w1.isWav2Vec1()) {
                    throw new IllegalArgumentException("the wav2vec1 arm needs a wav2vec1 or vq-wav2vec preset, "
                            + cfg.featurePreset() + " is " + w1.family());
                }
                run = pretrained(Pretraining.WAV2VEC1, w1, draw);
                wav2vec1Pre.put(draw, run);
            }
            return run;
        }

        /** Pre-trains, continues or reuses its folder ({@link #pretrainingFolder}). */
        private RunFolder pretrained(Pretraining which, PretrainConfig recipe, long draw) throws Exception {
            String folder = pretrainingFolder(which, draw);
            RunFolder run = openPretraining(out.resolve(folder), recipe, prov);
            train("pre-train " + which.family + " on the training speakers" + drawSuffix(draw), run,
                    () -> new Pretrainer(run, splits.train(), listener, null));
            PretrainingOutcome.of(run, folder, which.family, draw)
                    .flatMap(PretrainingOutcome::warning).ifPresent(w -> log.accept("WARNING: " + w));
            return run;
        }
    }

    /** The two pre-trainings the arms build on: their folder's name and how the report names them. */
    private enum Pretraining {
        WAV2VEC2("pretrain", "wav2vec 2.0"), WAV2VEC1("pretrain-wav2vec1", "wav2vec 1.0");

        private final String folderName;
        private final String family;

        Pretraining(String folderName, String family) {
            this.folderName = folderName;
            this.family = family;
        }
    }

    /** {@code runs/NAME}, or {@code runs/NAME-seed-DRAW} with a draw per seed. */
    private String pretrainingFolder(Pretraining which, long draw) {
        return "runs/" + which.folderName + (cfg.pretrainPerSeed() ? "-seed-" + draw : "");
    }

    /**
     * How each pre-training of this folder ended, read from the runs themselves so that a continued
     * experiment, which may not open them, reports them too: wav2vec 2.0's draws, then wav2vec 1.0's.
     * A run whose files cannot be read is left out, with the reason in the log.
     */
    private List<PretrainingOutcome> outcomes() {
        List<PretrainingOutcome> outcomes = new ArrayList<>();
        List<Long> draws = cfg.seeds().stream().map(cfg::pretrainSeedFor).distinct().toList();
        for (Pretraining which : Pretraining.values()) {
            if (which == Pretraining.WAV2VEC2 && cfg.givenPretrainedModel()) {
                continue;
            }
            for (long draw : draws) {
                String folder = pretrainingFolder(which, draw);
                RunFolder run = new RunFolder(out.resolve(folder));
                if (!Files.isRegularFile(run.configFile())) {
                    continue;
                }
                try {
                    PretrainingOutcome.of(run, folder, which.family, draw).ifPresent(outcomes::add);
                } catch (IOException | org.speechwb.engine.config.ConfigException e) {
                    log.accept("how " + run.dir() + " ended is not reported: " + e.getMessage());
                }
            }
        }
        return outcomes;
    }

    /**
     * A wav2vec 2.0 model pre-trained elsewhere ({@link ExperimentConfig#pretrainedModel()}): any run
     * folder whose newest checkpoint holds a wav2vec 2.0 encoder that is not fine-tuned, such as an
     * imported Hugging Face or fairseq checkpoint. Throws {@link IllegalArgumentException} naming
     * the folder and what is wrong with it.
     */
    public static RunFolder givenPretrained(Path dir) throws IOException {
        RunFolder run = new RunFolder(dir);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("pre-trained model " + dir + ": no such folder (give a run folder;"
                    + " a Hugging Face or fairseq checkpoint is turned into one with `./speechwb import`)");
        }
        if (run.isFinetune()) {
            throw new IllegalArgumentException("pre-trained model " + dir + " is a fine-tuned CTC model; the wav2vec2"
                    + " arm fine-tunes a pre-trained one");
        }
        try {
            String family = run.config().family();
            if (!PretrainConfig.WAV2VEC2.equals(family)) {
                throw new IllegalArgumentException("pre-trained model " + dir + " is a " + family
                        + " model, not wav2vec 2.0");
            }
            RunFolder.newestCheckpoint(dir);
        } catch (org.speechwb.engine.config.ConfigException | org.speechwb.engine.run.CheckpointException e) {
            throw new IllegalArgumentException("pre-trained model " + dir + ": " + e.getMessage(), e);
        }
        return run;
    }

    /** Names the pre-training draw in stage titles when there is more than one. */
    private String drawSuffix(long draw) {
        return cfg.pretrainPerSeed() ? " (pre-training seed " + draw + ")" : "";
    }

    /**
     * The pre-training run folder, created with {@code intended} or, when it exists, checked
     * against it: a folder made (or copied in) with other settings would otherwise be trained on
     * with its own, under the recipe's name. This happened: a run copied from an earlier
     * experiment kept its 3,000 updates under a recipe of 5,000.
     */
    static RunFolder openPretraining(Path dir, PretrainConfig intended, Provenance prov) throws IOException {
        RunFolder run = RunStore.openOrCreate(dir, intended, prov);
        Map<String, String> want = new java.util.TreeMap<>();
        Map<String, String> have = new java.util.TreeMap<>();
        ConfigDiff.flatten("", ConfigIO.json().valueToTree(intended), want);
        try {
            ConfigDiff.flatten("", ConfigIO.json().valueToTree(run.config()), have);
        } catch (org.speechwb.engine.config.ConfigException e) {
            throw new IOException(run.configFile() + ": " + e.getMessage(), e);
        }
        List<String> differ = new ArrayList<>();
        for (String k : want.keySet()) {
            if (!java.util.Objects.equals(want.get(k), have.get(k))) {
                differ.add(k + " " + have.get(k) + " (the recipe: " + want.get(k) + ")");
            }
        }
        if (!differ.isEmpty()) {
            throw new IllegalStateException(dir + " was made with other settings than this experiment's: "
                    + String.join("; ", differ) + ". Run the experiment with the settings it was made with (for"
                    + " run.maxUpdates, --pretrain-updates or --feature-updates), or move the folder away to train"
                    + " it again.");
        }
        return run;
    }

    public Results run() throws Exception {
        Backends.init();
        Files.createDirectories(out);
        try (FolderLock lock = FolderLock.acquire(out, "an experiment")) {
            clock = new StageClock(StageLedger.open(out));
            ExperimentRecipe.Kept kept = ExperimentRecipe.read(out);
            selection = kept.selection();
            probeRecipe = kept.probes();
            return runLocked();
        }
    }

    private Results runLocked() throws Exception {
        ExperimentRecipe.check(out, recipe());
        Path corpus = ExperimentCorpus.resolve(cfg, home, out, log, clock);
        Dataset ds = DatasetLoader.open(corpus);
        ExperimentSplits splits = ExperimentSplits.of(ds, cfg.validFraction(), cfg.testFraction());
        log.accept(splits.description());
        writeSplits(splits);
        Provenance prov = provenance(ds);
        List<TestSet> sets = testSets(splits);

        Shared shared = new Shared(splits, prov, Presets.finetuneFromNameOrFile(cfg.finetunePreset()),
                lm(splits.train()), sets);

        Map<Long, List<Utterance>> labeled = new LinkedHashMap<>();
        Map<String, Integer> labeledCount = new LinkedHashMap<>();
        Map<String, Double> labeledMin = new LinkedHashMap<>();
        List<Utterance> pool = labeledPool(splits.train());
        for (long seed : cfg.seeds()) {
            List<Utterance> l = DatasetSplitter.labeledSubset(pool, cfg.labeledMinutes() * 60, seed);
            labeled.put(seed, l);
            labeledCount.put(String.valueOf(seed), l.size());
            labeledMin.put(String.valueOf(seed), ExperimentSplits.minutes(l));
            log.accept(String.format(Locale.ROOT, "seed %d: labeled subset of %d utterances (%.1f min) from %d speakers",
                    seed, l.size(), ExperimentSplits.minutes(l), ExperimentSplits.speakers(l).size()));
        }
        shared.probeLabeled = labeled.get(cfg.seeds().get(0));

        // Seed-major, so that a partial run already compares every arm on the first seed(s); the
        // first seed also trains each arm's grid and fixes the setting for the others. The cheap
        // feature arms go first and wav2vec 2.0 is pre-trained only when first needed, so that
        // results arrive in order of cost; the layer probes follow its first score.
        Map<String, List<ArmResult>> grid = new LinkedHashMap<>();
        Map<Arm, Integer> chosen = new LinkedHashMap<>();
        List<ArmResult> perSeed = new ArrayList<>();
        List<LayerProbe.Result> probes = List.of();
        // what is finished so far, written after every scored model
        List<String> setNames = sets.stream().map(TestSet::name).toList();
        java.util.function.Function<List<LayerProbe.Result>, Results> sofar = p -> new Results(cfg, corpus.toString(),
                splits.description(), labeledCount, labeledMin, splits.train().size(),
                ExperimentSplits.minutes(splits.train()), grid, SeedAggregates.of(perSeed, setNames),
                List.copyOf(perSeed), p, clock.stages(), Backends.describe().toString(), selection.description(),
                outcomes());
        Results results = null;
        for (long seed : cfg.seeds()) {
            for (Arm arm : List.of(Arm.LOGMEL, Arm.WAV2VEC1, Arm.WAV2VEC1_RANDOM, Arm.SCRATCH, Arm.WAV2VEC2,
                    Arm.W2V2_FEATURES, Arm.W2V2_RANDOM_FEATURES)) {
                if (!cfg.runs(arm)) {
                    continue;
                }
                if (!chosen.containsKey(arm)) {
                    int c = chooseOnValidation(arm, labeled, shared, grid);
                    chosen.put(arm, c);
                    // the winner's models on the other grid seeds exist now (an acoustic model only in
                    // memory, until the next arm's grid): score them at once rather than train them again
                    for (long s : cfg.gridSeedList()) {
                        if (s != seed) {
                            perSeed.add(trainAndScore(arm, s, c, labeled.get(s), shared, true));
                        }
                    }
                }
                if (scored(perSeed, arm, seed)) {
                    continue;
                }
                perSeed.add(trainAndScore(arm, seed, chosen.get(arm), labeled.get(seed), shared, true));
                // the probes diagnose the pre-trained model: after its first score, which is the headline (with a
                // pre-training per seed, each seed's model after its own)
                if ((arm == Arm.WAV2VEC2 || arm.probedLayer()) && cfg.probeUpdates() > 0) {
                    probes = probes(shared, seed);
                }
                results = sofar.apply(probes);
                writeResults(results);
            }
        }
        if (probes.isEmpty() && cfg.probeUpdates() > 0) {
            // no arm needed the pre-trained wav2vec 2.0; say why it is (pre-trained and) probed anyway
            log.accept("layer probes (probe updates " + cfg.probeUpdates() + ", 0 skips them): they need the"
                    + " pre-trained wav2vec 2.0, " + (cfg.givenPretrainedModel() ? "the given model"
                    : "pre-trained now if it is not yet") + ", though no wav2vec 2.0 arm runs");
            for (long seed : cfg.seeds()) {
                probes = probes(shared, seed);
            }
            results = sofar.apply(probes);
            writeResults(results);
        }
        return results;
    }

    /**
     * Trains every grid candidate of an arm on each grid seed ({@link ExperimentConfig#gridSeedList()})
     * and returns the index of the one with the best mean validation result ({@link GridCandidates}).
     */
    private int chooseOnValidation(Arm arm, Map<Long, List<Utterance>> labeled, Shared shared,
                                   Map<String, List<ArmResult>> grid) throws Exception {
        List<ArmResult> results = new ArrayList<>();
        List<List<String>> g = cfg.grid(arm);
        for (long seed : cfg.gridSeedList()) {
            for (int i = 0; i < g.size(); i++) {
                results.add(trainAndScore(arm, seed, i, labeled.get(seed), shared, false));
            }
        }
        grid.put(arm.key(), results);
        GridCandidates.Candidate best = GridCandidates.best(GridCandidates.of(results), selection);
        log.accept(arm.key() + ": chose " + best.setting() + " on " + selection.description() + " ("
                + best.seedsLabel() + (best.seeds().size() > 1 ? ", mean" : "") + ")");
        return best.candidate();
    }

    private static boolean scored(List<ArmResult> perSeed, Arm arm, long seed) {
        return perSeed.stream().anyMatch(r -> r.arm().equals(arm.key()) && r.seed() == seed);
    }

    /** This experiment's recipe in its folder ({@link ExperimentRecipe}). */
    Map<String, Object> recipe() {
        return ExperimentRecipe.of(cfg, new ExperimentRecipe.Kept(selection, probeRecipe));
    }

    private void writeResults(Results results) throws IOException {
        Files.writeString(out.resolve("results.json"), ConfigIO.json().writerWithDefaultPrettyPrinter()
                .writeValueAsString(results));
        Files.writeString(out.resolve("results.md"), ResultsTable.markdown(results, clock.folderSeconds()));
    }

    /**
     * Trains one arm on one seed's labeled subset with one grid candidate (reusing what an earlier
     * invocation finished) and, when {@code score}, decodes every test set. Figures are cached in
     * {@code scores/} so that a rerun neither retrains nor re-decodes.
     */
    private ArmResult trainAndScore(Arm arm, long seed, int candidate, List<Utterance> labeled, Shared sh,
                                    boolean score) throws Exception {
        List<String> setting = cfg.grid(arm).get(candidate);
        // keyed by the setting, not its place in the grid, so an edited grid never reuses another setting's model
        String key = arm.key() + "-seed" + seed + "-" + settingSlug(setting);
        Path cache = out.resolve("scores").resolve(key + ".json");
        String stage = arm.title() + ", seed " + seed + ", setting " + setting;
        if (Files.isRegularFile(cache)) {
            ArmResult r = ConfigIO.json().readValue(cache.toFile(), ArmResult.class);
            if (r.setting().equals(setting) && (!score || !r.scores().isEmpty())) {
                clock.record(key, stage + stageSuffix(!r.scores().isEmpty()), 0, true);
                // cached by setting, so it may have been trained under another grid, at another place in it: the
                // choice and the report go by place in this grid
                return r.candidate() == candidate ? r : new ArmResult(r.arm(), r.seed(), candidate, r.setting(),
                        r.validWer(), r.validCer(), r.scores(), r.curve());
            }
        }
        StageClock.Mark t0 = clock.start();
        TrainedModel trained = inMemory.remove(key);
        if (trained == null) {
            checkStop();
            trained = train(arm, seed, setting, labeled, sh, stage, key);
            if (!score && arm.acoustic()) {
                // the grid's winner is scored next; keep it rather than train it again
                inMemory.put(key, trained);
            }
        }
        log.accept(String.format(Locale.ROOT, "%s: best validation WER %.2f %%, CER %.2f %%", stage,
                100 * trained.validWer(), 100 * trained.validCer()));
        List<Score> scores = score ? evaluate(key, arm.title(), trained.model(), trained.note(), sh) : List.of();
        ArmResult r = new ArmResult(arm.key(), seed, candidate, setting, trained.validWer(), trained.validCer(), scores,
                trained.curve());
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, ConfigIO.json().writeValueAsString(r));
        clock.record(key, stage + stageSuffix(score), clock.ownSeconds(t0), false);
        if (!score) {
            inMemory.keySet().removeIf(k -> !k.startsWith(arm.key() + "-seed"));
        }
        return r;
    }

    /** A file-name-safe spelling of a grid setting, e.g. {@code optimizer.lr=3e-4,masking.maskProb=0.1}. */
    static String settingSlug(List<String> setting) {
        return setting.isEmpty() ? "preset" : String.join(",", setting).replaceAll("[^A-Za-z0-9.,=_+-]", "_");
    }

    /** A trained model at its best validation point. */
    private record TrainedModel(LogProbSource model, double validWer, double validCer, String note,
                                List<CurvePoint> curve) {
    }

    private TrainedModel train(Arm arm, long seed, List<String> setting, List<Utterance> labeled,
                               Shared sh, String stage, String key) throws Exception {
        LogProbSource model;
        double validWer;
        double validCer;
        String note;
        List<CurvePoint> curve = new ArrayList<>();
        if (arm.acoustic()) {
            FrontEnd frontEnd = switch (arm) {
                case LOGMEL -> new LogMelFilterbank();
                case WAV2VEC1 -> FeatureExtractor.load(sh.wav2vec1Pre(seed).dir())
                        .frontEnd(FeatureExtractor.Kind.CONTEXT);
                case WAV2VEC1_RANDOM -> FeatureExtractor.random(Presets.pretrainFromNameOrFile(cfg.featurePreset()),
                        RANDOM_SEED).frontEnd(FeatureExtractor.Kind.CONTEXT);
                default -> probedLayer(sh, arm, seed);
            };
            AcousticModelConfig am = ConfigOverrides.apply(AcousticModelConfig.defaults()
                    .withUpdates(cfg.acousticUpdates()).withSeed(seed).withSelection(selection), setting,
                    AcousticModelConfig.class);
            log.accept(stage + ": " + frontEnd.name() + ", " + am.describe() + ", " + am.updates() + " updates");
            AcousticModelTrainer.Trained t = new AcousticModelTrainer(am, FineTuner.resolveVocabulary(sh.ftPreset(), labeled),
                    log).train(frontEnd, examples(frontEnd, labeled), examples(frontEnd, sh.splits().valid()));
            model = t.recognizer();
            t.curve().stream().filter(p -> !Double.isNaN(p.validWer()))
                    .forEach(p -> curve.add(new CurvePoint(p.update(), p.validWer(), p.validCer())));
            validWer = t.bestWer();
            validCer = t.bestCer();
            note = "model: " + frontEnd.name() + " + conv acoustic model, best of " + am.updates() + " updates at update "
                    + t.bestUpdate();
        } else {
            FinetuneConfig base = arm == Arm.SCRATCH
                    ? ConfigOverrides.apply(sh.ftPreset(), List.of("freezeUpdates=0", "freezeFeatureEncoder=false",
                            "wav2vec2.featureGradMult=1.0"), FinetuneConfig.class)
                    : Presets.forPretrained(sh.ftPreset(), sh.wav2vec2Pre(seed).dir());
            FinetuneConfig ft = ConfigOverrides.apply(scaleFinetune(base, seed).withSelection(selection), setting,
                    FinetuneConfig.class);
            RunFolder run = RunStore.openOrCreate(out.resolve("runs").resolve("seed-" + seed)
                    .resolve(arm.key() + "-" + settingSlug(setting)), ft, sh.prov());
            // timed by trainAndScore, whose stage includes this one: recorded once, not twice (a stopped run's time
            // goes to that stage's id, which the run continues under)
            train(stage, run, () -> new FineTuner(run, labeled, sh.splits().valid(), listener, null), key, false);
            MetricsLog.read(run.validationFile(), ValidationResult.class)
                    .forEach(v -> curve.add(new CurvePoint(v.update(), v.wer(), v.cer())));
            ValidationResult best = bestValidation(run);
            validWer = best.wer();
            validCer = best.cer();
            Recognizer r = Recognizer.open(run.dir());
            model = r;
            note = "model: " + r.checkpoint();
        }
        return new TrainedModel(model, validWer, validCer, note, curve);
    }

    /** The validation of the checkpoint the run kept ({@code best.ckpt}), so the figures are those of the model scored. */
    private static ValidationResult bestValidation(RunFolder run) throws IOException {
        ValidationResult kept = ValidationResult.kept(MetricsLog.read(run.validationFile(), ValidationResult.class));
        if (kept == null) {
            throw new IOException(run.validationFile() + ": no validation result");
        }
        return kept;
    }

    /** Greedy and LM decoding of every test set, with a CSV and Markdown report per cell. */
    private List<Score> evaluate(String key, String title, LogProbSource recognizer, String note, Shared sh)
            throws IOException {
        Transcriber greedy = new Transcriber(recognizer, null, null);
        Transcriber withLm = new Transcriber(recognizer, BeamSearchConfig.defaults().withBeamWidth(cfg.beam())
                .withLm(cfg.lmWeight(), cfg.wordBonus()), sh.lm());
        List<Score> scores = new ArrayList<>();
        for (TestSet set : sh.sets()) {
            for (boolean useLm : new boolean[] {false, true}) {
                ScoreReport rep = (useLm ? withLm : greedy).evaluate(set.utterances(), set.name(), useLm);
                SplitSummary s = rep.overall();
                String decoder = useLm ? LM : GREEDY;
                scores.add(new Score(set.name(), decoder, s.wer(), s.cer(), s.utterances()));
                String stem = key + "-" + set.name() + "-" + decoder;
                Files.createDirectories(out.resolve("reports"));
                ReportWriter.writeCsv(rep, out.resolve("reports").resolve(stem + ".csv"));
                ReportWriter.writeMarkdown(rep, out.resolve("reports").resolve(stem + ".md"), title + " on "
                        + set.name() + ", " + (useLm ? "beam " + cfg.beam() + " + LM" : "greedy"), List.of(note));
                log.accept(String.format(Locale.ROOT, "  %-12s %-8s WER %6.2f %%  CER %6.2f %%", set.name(), decoder,
                        100 * s.wer(), 100 * s.cer()));
            }
        }
        return scores;
    }

    /**
     * The pre-trained wav2vec 2.0's layer whose linear probe ranks best on validation by the
     * folder's rule (the probes train on the first seed's labeled subset: no test figure plays a
     * part); for the control arm, that same layer of the random model the probes compared it with.
     * The quantizer's codes (or the MFCC clusters a HuBERT-style model predicts) are probed too but
     * are not a layer: the arm is an acoustic model on the model's continuous representation.
     */
    private FrontEnd probedLayer(Shared sh, Arm arm, long seed) throws Exception {
        List<LayerProbe.LayerScore> layers = pretrainedProbe(probes(sh, seed), cfg.pretrainSeedFor(seed)).layers();
        int best = 0;
        for (int i = 1; i < layers.size(); i++) {
            LayerProbe.LayerScore c = layers.get(i);
            if (c.layer().equals(Wav2Vec2Layers.CODES) || c.layer().equals(Wav2Vec2Layers.CLUSTERS)) {
                continue;
            }
            LayerProbe.LayerScore b = layers.get(best);
            if (selection.better(c.wer(), c.cer(), b.wer(), b.cer())) {
                best = i;
            }
        }
        boolean random = arm == Arm.W2V2_RANDOM_FEATURES;
        log.accept(arm.key() + ": the probes rank " + layers.get(best).layer() + " best on validation (CER "
                + String.format(Locale.ROOT, "%.2f", 100 * layers.get(best).cer()) + " %)"
                + (random ? "; taken from the random initialisation (seed " + RANDOM_SEED + ")" : ""));
        Path dir = sh.wav2vec2Pre(seed).dir();
        return (random ? Wav2Vec2Layers.randomLike(dir, RANDOM_SEED) : Wav2Vec2Layers.load(dir)).frontEnd(best);
    }

    /**
     * Linear CTC probes of every layer of the pre-trained wav2vec 2.0 that this labeled seed's arms use, and
     * of the same architecture at random initialisation, trained on the first seed's labeled subset (so
     * that with a pre-training per seed only the draw differs between their columns) and scored on
     * validation. Returns every probe so far: the pre-trained models in seed order, then the random one.
     */
    private List<LayerProbe.Result> probes(Shared sh, long seed) throws Exception {
        long draw = cfg.pretrainSeedFor(seed);
        Path cache = out.resolve("probes.json");
        String stageId = "probes" + (cfg.pretrainPerSeed() ? "-seed-" + draw : "");
        String label = "layer probes" + (cfg.pretrainPerSeed() ? ", pre-training seed " + draw : "");
        if (probeResults == null && Files.isRegularFile(cache)) {
            probeResults = List.of(ConfigIO.json().readValue(cache.toFile(), LayerProbe.Result[].class));
        }
        if (probeResults != null && pretrainedProbe(probeResults, draw) != null) {
            clock.record(stageId, label, 0, true);
            return probeResults;
        }
        // only now: resolving the pre-trained model opens (and may train) it, which cached probes do not need
        RunFolder pre = sh.wav2vec2Pre(seed);
        List<Utterance> labeled = sh.probeLabeled();
        List<Utterance> valid = sh.splits().valid();
        StageClock.Mark t0 = clock.start();
        LayerProbe probe = probeRecipe.probe(cfg.probeUpdates(), selection, log);
        LayerProbe.Result p = probe.run(Wav2Vec2Layers.load(pre.dir()), labeled, valid, null);
        if (cfg.pretrainPerSeed()) {
            p = new LayerProbe.Result(drawLabel(draw) + p.model(), p.layers(), p.trainUtterances(),
                    p.validUtterances(), p.seconds());
        }
        List<LayerProbe.Result> before = probeResults == null ? List.of() : probeResults;
        // every draw has the same architecture, so one random model stands beside them all
        LayerProbe.Result random = before.stream().filter(r -> r.model().startsWith(RANDOM_PROBE)).findFirst()
                .orElse(null);
        boolean newRandom = random == null;
        if (newRandom) {
            random = probe.run(Wav2Vec2Layers.randomLike(pre.dir(), RANDOM_SEED), labeled, valid, null);
        }
        List<LayerProbe.Result> results = new ArrayList<>();
        for (long s : cfg.seeds()) {
            long d = cfg.pretrainSeedFor(s);
            LayerProbe.Result r = d == draw ? p : pretrainedProbe(before, d);
            if (r != null && !results.contains(r)) {
                results.add(r);
            }
        }
        results.add(random);
        Files.writeString(cache, ConfigIO.json().writeValueAsString(results));
        probeResults = List.copyOf(results);
        int probeSeeds = probeRecipe.seeds().size();
        clock.record(stageId, label + " (" + (newRandom ? "2 models" : "1 model") + ", linear CTC per layer"
                        + (probeSeeds > 1 ? ", " + probeSeeds + " probe seeds" : "") + ")",
                clock.ownSeconds(t0), false);
        return probeResults;
    }

    /** How {@link LayerProbe.Result#model()} begins for the random model ({@link Wav2Vec2Layers#randomLike}). */
    private static final String RANDOM_PROBE = "random initialisation";

    /** Column prefix of a pre-trained model's probe when there is one pre-training per seed. */
    private static String drawLabel(long draw) {
        return "pre-training seed " + draw + ": ";
    }

    /** The probe of the model pre-trained with seed {@code draw}, or null if it has not run. */
    private LayerProbe.Result pretrainedProbe(List<LayerProbe.Result> probes, long draw) {
        for (LayerProbe.Result r : probes) {
            boolean random = r.model().startsWith(RANDOM_PROBE);
            if (!random && (!cfg.pretrainPerSeed() || r.model().startsWith(drawLabel(draw)))) {
                return r;
            }
        }
        return null;
    }

    /** The held-out speakers and every extra test set; extra sets keep their transcribed utterances only. */
    private List<TestSet> testSets(ExperimentSplits splits) throws IOException {
        List<TestSet> sets = new ArrayList<>();
        sets.add(new TestSet(HELD_OUT, splits.test()));
        for (String spec : cfg.testSets()) {
            int eq = spec.indexOf('=');
            Path dir = home.resolve(eq < 0 ? spec : spec.substring(eq + 1));
            String name = eq < 0 ? dir.getFileName().toString() : spec.substring(0, eq);
            if (!Files.exists(dir)) {
                throw new IOException("test set " + name + ": " + dir + " does not exist");
            }
            List<Utterance> us = DatasetLoader.open(dir).utterances().stream().filter(Utterance::labeled).toList();
            if (us.isEmpty()) {
                throw new IOException("test set " + name + ": " + dir + " has no transcribed utterances");
            }
            sets.add(new TestSet(name, us));
        }
        return sets;
    }

    /** Which utterance plays which role, for anyone checking the protocol. */
    private void writeSplits(ExperimentSplits s) throws IOException {
        StringBuilder b = new StringBuilder("id\tspeaker\trole\n");
        s.train().forEach(u -> b.append(u.id()).append('\t').append(u.speaker()).append("\ttrain\n"));
        s.valid().forEach(u -> b.append(u.id()).append('\t').append(u.speaker()).append("\tvalid\n"));
        s.test().forEach(u -> b.append(u.id()).append('\t').append(u.speaker()).append("\ttest\n"));
        Files.writeString(out.resolve("splits.tsv"), b.toString());
    }

    private NgramModel lm(List<Utterance> train) throws IOException {
        Path lmFile = out.resolve("lm.arpa");
        StageClock.Mark t0 = clock.start();
        boolean exists = Files.isRegularFile(lmFile);
        if (!exists) {
            Set<String> sentences = new LinkedHashSet<>();
            train.stream().filter(Utterance::labeled)
                    .forEach(u -> sentences.add(TranscriptNormalizer.normalize(u.transcript())));
            new KneserNeyTrainer(cfg.lmOrder()).train(new ArrayList<>(sentences)).writeArpa(lmFile);
        }
        clock.record("lm", "language model (" + cfg.lmOrder() + "-gram on the training speakers' transcripts)",
                clock.ownSeconds(t0), exists);
        return NgramModel.readArpa(lmFile);
    }

    private static List<AcousticModelTrainer.Example> examples(FrontEnd frontEnd, List<Utterance> us) throws IOException {
        List<AcousticModelTrainer.Example> out = new ArrayList<>();
        for (Utterance u : us) {
            out.add(new AcousticModelTrainer.Example(u.id(), frontEnd.compute(AudioReader.read16k(u.audio()).samples()),
                    u.transcript()));
        }
        return out;
    }

    @FunctionalInterface
    private interface Training {
        TrainingLoop create() throws Exception;
    }

    /**
     * Stops the experiment: the training run in progress writes a checkpoint and stops, and no
     * further stage starts. Rerunning the experiment continues from there. Safe from any thread.
     */
    public void requestStop() {
        stopRequested = true;
        TrainingLoop loop = current;
        if (loop != null) {
            loop.requestStop();
        }
    }

    private void checkStop() {
        if (stopRequested) {
            throw new CancellationException("experiment stopped; run it again with the same folder to continue");
        }
    }

    /** Runs (or resumes) a training stage unless its run already finished, and records its time. */
    private void train(String stage, RunFolder run, Training training) throws Exception {
        train(stage, run, training, "run " + out.toAbsolutePath().normalize().relativize(run.dir().toAbsolutePath()
                .normalize()), true);
    }

    /**
     * @param id     the ledger's stage id: a run stopped or failed here adds its time to it, since the run
     *               continues from its checkpoint next time
     * @param record whether this stage is reported on its own (false: the caller's stage includes it)
     */
    private void train(String stage, RunFolder run, Training training, String id, boolean record) throws Exception {
        boolean done = finished(run);
        StageClock.Mark t0 = clock.start();
        if (!done) {
            checkStop();
            log.accept(stage + ": " + run.dir());
            TrainingLoop loop = training.create();
            current = loop;
            RunState end;
            try {
                if (stopRequested) {
                    loop.requestStop();
                }
                end = loop.run();
            } finally {
                current = null;
                if (!finished(run)) {
                    // stopped or failed: the run resumes from its checkpoint, so the time spent counts towards it
                    clock.unfinished(id, clock.ownSeconds(t0));
                }
            }
            checkStop();
            if (end != RunState.FINISHED) {
                throw new IllegalStateException(stage + " ended " + end + ": "
                        + run.status().map(RunStatus::message).orElse("see " + run.logFile()));
            }
        }
        if (record) {
            clock.record(id, stage, clock.ownSeconds(t0), done);
        }
    }

    private static boolean finished(RunFolder run) {
        return run.status().map(RunStatus::state).orElse(RunState.CREATED) == RunState.FINISHED;
    }

    private static String stageSuffix(boolean scored) {
        return scored ? " + evaluation" : " (grid, validation only)";
    }

    /** The pre-training preset run for the requested updates, with the reference's 8 % warm-up. */
    private static PretrainConfig scalePretrain(PretrainConfig p, int n, long seed) throws Exception {
        return ConfigOverrides.apply(p, List.of("run.maxUpdates=" + n,
                "optimizer.warmupUpdates=" + Math.max(1, Math.round(0.08 * n)),
                "run.checkpointInterval=" + Math.max(1, n / 10), "run.seed=" + seed), PretrainConfig.class);
    }

    /** The fine-tuning preset stretched to the requested updates (its stages keep their proportions). */
    private FinetuneConfig scaleFinetune(FinetuneConfig f, long seed) throws Exception {
        int n = cfg.finetuneUpdates();
        double k = (double) n / f.run().maxUpdates();
        return ConfigOverrides.apply(f, List.of("run.maxUpdates=" + n,
                "freezeUpdates=" + Math.round(f.freezeUpdates() * k),
                "optimizer.warmupUpdates=" + Math.round(f.optimizer().warmupUpdates() * k),
                "optimizer.holdUpdates=" + Math.round(f.optimizer().holdUpdates() * k),
                "run.checkpointInterval=" + Math.max(1, n / 6), "validationInterval=" + Math.max(1, n / 6),
                "run.seed=" + seed), FinetuneConfig.class);
    }

    private Provenance provenance(Dataset ds) {
        Backends.Info d = Backends.describe();
        return new Provenance(ds.root().toString(), ds.format().name(), ds.fingerprint(), "experiment",
                ds.utterances().size(), ds.summary().totalHours(), Provenance.gitCommit(home), Provenance.ENGINE_VERSION,
                d.backend() + " / " + d.blas(), d.device(), System.getProperty("java.version"),
                System.getProperty("os.name"), Provenance.now(), List.of("speechwb", "experiment"));
    }

    /** The training utterances the labeled subset is drawn from: all, or those of {@code labeledVoices} voices. */
    private List<Utterance> labeledPool(List<Utterance> train) {
        if (cfg.labeledVoices() == 0) {
            return train;
        }
        List<String> voices = new ArrayList<>(new TreeSet<>(train.stream().map(Utterance::speaker).toList()));
        if (cfg.labeledVoices() > voices.size()) {
            throw new IllegalArgumentException("labeledVoices is " + cfg.labeledVoices() + " but the training split has "
                    + voices.size() + " voices");
        }
        Collections.shuffle(voices, new Random(ExperimentSplits.SPEAKER_SPLIT_SEED));
        Set<String> chosen = new TreeSet<>(voices.subList(0, cfg.labeledVoices()));
        log.accept("labeled subset drawn from " + chosen.size() + " of " + voices.size() + " training voices: " + chosen);
        return train.stream().filter(u -> chosen.contains(u.speaker())).toList();
    }
}
