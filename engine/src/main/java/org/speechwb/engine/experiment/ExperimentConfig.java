package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the low-resource experiment (see {@link LowResourceExperiment}).
 *
 * @param corpus            any dataset layout (a Kaldi directory, a workbench corpus, …); one without
 *                          predefined splits is split by speaker. Empty: build a synthetic corpus
 *                          with the bundled recipe into the experiment folder
 * @param buildTrainMinutes minutes of training audio when the corpus is built
 * @param labeledMinutes    labeled training audio per seed (the papers' 10 minutes)
 * @param seeds             one labeled subset (and training seed) per value; results are averaged over them
 * @param arms              which of {@link Arm}'s keys to run
 * @param testSets          extra labeled held-out sets, {@code NAME=DIR} or {@code DIR}; scored only, never
 *                          trained or selected on
 * @param validFraction     share of the audio whose speakers validate (when the corpus has no splits)
 * @param testFraction      share of the audio whose speakers are held out for testing (likewise)
 * @param pretrainPreset    wav2vec 2.0 pre-training preset or config file
 * @param pretrainUpdates   pre-training updates on the training speakers' audio
 * @param finetunePreset    fine-tuning preset or config file (also used, unfrozen, for the scratch arm)
 * @param finetuneUpdates   fine-tuning updates, the same for both wav2vec 2.0 arms
 * @param grids             per arm key, the candidate settings as lists of {@code field=value} overrides
 *                          (of the fine-tuning config, or of the acoustic model config for the feature
 *                          arms); each candidate is trained on the first {@code gridSeeds} seeds and the one with
 *                          the best mean validation result ({@link org.speechwb.engine.eval.ModelSelection}) is used
 *                          for every seed
 * @param featurePreset     wav2vec 1.0 pre-training preset or config file for the feature arms
 * @param featureUpdates    wav2vec 1.0 pre-training updates
 * @param acousticUpdates   updates of the small acoustic model, the same for both inputs
 * @param probeUpdates      updates of each linear layer probe of the pre-trained and the random wav2vec 2.0
 *                          (0: no probes)
 * @param lmOrder           word n-gram order of the language model trained on the training transcripts
 * @param beam              beam width of the LM decoding
 * @param lmWeight          α
 * @param wordBonus         β
 * @param labeledVoices     draw the labeled subsets from this many training speakers only (0: from all)
 * @param pretrainSeed      seed of the wav2vec 2.0 and 1.0 pre-training runs (initialisation, masks, distractors,
 *                          batches): two runs of one recipe can differ as much as the effect measured,
 *                          so a fair figure averages over several
 * @param pretrainedModel   a wav2vec 2.0 run folder (trained elsewhere in the workbench, or imported from
 *                          Hugging Face or fairseq) used as the pre-trained model instead of pre-training one
 *                          here; empty: pre-train with {@code pretrainPreset}. The experiment cannot check which
 *                          audio such a model saw: held-out speakers in its pre-training would flatter it
 * @param gridSeeds         how many of the seeds, from the first, every grid candidate is trained on; the
 *                          candidate with the best mean validation result is used for every seed. 1 (the
 *                          default) chooses on the first seed alone, the cheapest; on speechocean762 that choice
 *                          reversed on the other seeds (docs/experiment.md), which more seeds guard against
 * @param pretrainPerSeed   pre-train one wav2vec 2.0 and one wav2vec 1.0 model per labeled seed, with that seed as
 *                          its pre-training seed, so that the pre-trained arms' mean and range cover the
 *                          pre-training draw as well as the labeled subset: on speechocean762 two draws of one
 *                          recipe probed 8 points apart (docs/experiment.md). Costs one pre-training per seed
 */
public record ExperimentConfig(String corpus, double buildTrainMinutes, double labeledMinutes, List<Long> seeds,
                               List<String> arms, List<String> testSets, double validFraction, double testFraction,
                               String pretrainPreset, int pretrainUpdates, String finetunePreset, int finetuneUpdates,
                               Map<String, List<List<String>>> grids, String featurePreset, int featureUpdates,
                               int acousticUpdates, int probeUpdates, int lmOrder, int beam, double lmWeight,
                               double wordBonus, int labeledVoices, long pretrainSeed, String pretrainedModel,
                               int gridSeeds, boolean pretrainPerSeed) {

    public ExperimentConfig {
        corpus = corpus == null ? "" : corpus;
        pretrainedModel = pretrainedModel == null ? "" : pretrainedModel;
        featurePreset = featurePreset == null ? "" : featurePreset;
        if (!(labeledMinutes > 0)) {
            throw new IllegalArgumentException("labeledMinutes must be positive, got " + labeledMinutes);
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: give at least one labeled-subset seed");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must differ, got " + seeds);
        }
        seeds = List.copyOf(seeds);
        // results.json files written before the field existed read it as 0: they chose on the first seed
        gridSeeds = gridSeeds == 0 ? 1 : gridSeeds;
        if (gridSeeds < 1 || gridSeeds > seeds.size()) {
            throw new IllegalArgumentException("gridSeeds must be between 1 and the number of seeds (" + seeds.size()
                    + "), got " + gridSeeds);
        }
        if (arms == null || arms.isEmpty()) {
            throw new IllegalArgumentException("arms: give at least one of " + Arm.keys());
        }
        arms.forEach(Arm::of);
        arms = List.copyOf(arms);
        testSets = testSets == null ? List.of() : List.copyOf(testSets);
        for (String t : testSets) {
            if (t.isBlank() || t.startsWith("=") || t.endsWith("=")) {
                throw new IllegalArgumentException("test set '" + t + "': expected NAME=DIR or DIR");
            }
        }
        if (!(validFraction > 0 && testFraction > 0 && validFraction + testFraction < 0.5)) {
            throw new IllegalArgumentException("validFraction and testFraction must be positive and together under 0.5,"
                    + " got " + validFraction + " and " + testFraction);
        }
        if (pretrainUpdates < 1 || finetuneUpdates < 1) {
            throw new IllegalArgumentException("pretrainUpdates and finetuneUpdates must be positive");
        }
        if (corpus.isBlank() && buildTrainMinutes <= labeledMinutes) {
            throw new IllegalArgumentException("a built corpus needs more training audio (buildTrainMinutes "
                    + buildTrainMinutes + ") than the labeled subset (" + labeledMinutes + " min)");
        }
        boolean features = arms.stream().map(Arm::of).anyMatch(Arm::acoustic);
        if (features && (acousticUpdates < 1)) {
            throw new IllegalArgumentException("acousticUpdates must be positive when a feature arm runs");
        }
        if (arms.contains(Arm.WAV2VEC1.key()) && (featurePreset.isBlank() || featureUpdates < 1)) {
            throw new IllegalArgumentException("the wav2vec1 arm needs featurePreset and positive featureUpdates");
        }
        if (arms.contains(Arm.WAV2VEC1_RANDOM.key()) && featurePreset.isBlank()) {
            throw new IllegalArgumentException("the wav2vec1-random arm needs featurePreset (its architecture)");
        }
        if (probeUpdates < 0) {
            throw new IllegalArgumentException("probeUpdates cannot be negative (0 skips the probes)");
        }
        for (String a : arms) {
            if (Arm.of(a).probedLayer() && probeUpdates < 1) {
                throw new IllegalArgumentException("the " + a + " arm takes the layer the probes rank best"
                        + " on validation: probeUpdates must be positive");
            }
        }
        if (lmOrder < 1 || beam < 1) {
            throw new IllegalArgumentException("lmOrder and beam must be at least 1");
        }
        if (pretrainPerSeed && !pretrainedModel.isBlank()) {
            throw new IllegalArgumentException("pretrainPerSeed pre-trains a model per seed; it cannot be combined"
                    + " with a given pre-trained model (" + pretrainedModel + ")");
        }
        if (pretrainPerSeed && pretrainSeed != 1) {
            throw new IllegalArgumentException("pretrainPerSeed uses each labeled seed as its pre-training seed;"
                    + " leave pretrainSeed at 1 (got " + pretrainSeed + ")");
        }
        if (labeledVoices < 0) {
            throw new IllegalArgumentException("labeledVoices cannot be negative (0 means all), got " + labeledVoices);
        }
        Map<String, List<List<String>>> g = new LinkedHashMap<>();
        if (grids != null) {
            for (Map.Entry<String, List<List<String>>> e : grids.entrySet()) {
                Arm.of(e.getKey());
                if (e.getValue().isEmpty()) {
                    throw new IllegalArgumentException("grid of " + e.getKey() + " is empty");
                }
                List<List<String>> copy = new ArrayList<>();
                e.getValue().forEach(c -> copy.add(List.copyOf(c)));
                g.put(e.getKey(), List.copyOf(copy));
            }
        }
        grids = Map.copyOf(g);
    }

    /** The candidate settings of an arm; a single empty one when no grid is given. */
    public List<List<String>> grid(Arm arm) {
        return grids.getOrDefault(arm.key(), List.of(List.of()));
    }

    /** Defaults that fit three hours on a 2-core CPU: 2 h 30 min on the synthetic corpus (docs/experiment.md). */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig("", 120, 10, List.of(1L, 2L, 3L),
                List.of("scratch", "wav2vec2", "logmel", "wav2vec1"), List.of("real-speech=datasets/real-speech"),
                0.08, 0.10, "wav2vec2-small-cpu", 5000, "ctc-small-cpu", 1500, defaultGrids(), "wav2vec1-small-cpu",
                1500, 2000, 1500, 3, 32, 0.5, 1.0, 0, 1, "", 1, false);
    }

    /** The grids the report lists (docs/experiment.md gives the measurement behind each). */
    public static Map<String, List<List<String>>> defaultGrids() {
        Map<String, List<List<String>>> g = new LinkedHashMap<>();
        // 1e-3 (the fine-tuning preset's rate) left a from-scratch model oscillating at the blank-only
        // plateau on speechocean762 (CTC 80-150, |g| 100-500 for 600 updates): docs/experiment.md
        g.put("scratch", List.of(List.of("optimizer.lr=3e-4"), List.of("optimizer.lr=1e-4")));
        // The third candidate is the scratch arm's recipe (lr 3e-4, nothing frozen) from pre-trained
        // weights: with the first two the pre-trained model stayed at the blank plateau on every
        // validation of speechocean762 (seeds 1 and 3) while the scratch recipe left it. The fourth
        // keeps only the lowest pre-trained layer: the probes put the letter information in the
        // Transformer input and layer 1, and layers 2-4 no better than random (docs/experiment.md)
        List<String> scratchRecipe = List.of("optimizer.lr=3e-4", "freezeUpdates=0", "freezeFeatureEncoder=false",
                "wav2vec2.featureGradMult=1.0");
        List<String> lowestLayer = new java.util.ArrayList<>(scratchRecipe);
        lowestLayer.add("wav2vec2.layers=1");
        g.put("wav2vec2", List.of(List.of("optimizer.lr=1e-3"), List.of("optimizer.lr=2e-4"), scratchRecipe,
                List.copyOf(lowestLayer)));
        g.put("logmel", List.of(List.of("lr=1e-3"), List.of("lr=3e-3")));
        g.put("wav2vec1", List.of(List.of("lr=1e-3"), List.of("lr=3e-3")));
        g.put("wav2vec2-features", List.of(List.of("lr=1e-3"), List.of("lr=3e-3")));
        g.put("wav2vec2-random-features", List.of(List.of("lr=1e-3"), List.of("lr=3e-3")));
        g.put("wav2vec1-random", List.of(List.of("lr=1e-3"), List.of("lr=3e-3")));
        return g;
    }

    public ExperimentConfig withCorpus(String c) {
        return toBuilder().corpus(c).build();
    }

    /** This config with the grid trained on the first {@code n} seeds (see {@code gridSeeds}). */
    public ExperimentConfig withGridSeeds(int n) {
        return toBuilder().gridSeeds(n).build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes some of a config's 26 settings by name: callers that wrote them all out by position could swap two
     * neighbouring numbers of one type without the compiler noticing. {@link #build()} validates as the record does.
     */
    public static final class Builder {
        private String corpus;
        private double buildTrainMinutes;
        private double labeledMinutes;
        private List<Long> seeds;
        private List<String> arms;
        private List<String> testSets;
        private double validFraction;
        private double testFraction;
        private String pretrainPreset;
        private int pretrainUpdates;
        private String finetunePreset;
        private int finetuneUpdates;
        private Map<String, List<List<String>>> grids;
        private String featurePreset;
        private int featureUpdates;
        private int acousticUpdates;
        private int probeUpdates;
        private int lmOrder;
        private int beam;
        private double lmWeight;
        private double wordBonus;
        private int labeledVoices;
        private long pretrainSeed;
        private String pretrainedModel;
        private int gridSeeds;
        private boolean pretrainPerSeed;

        private Builder(ExperimentConfig c) {
            corpus = c.corpus;
            buildTrainMinutes = c.buildTrainMinutes;
            labeledMinutes = c.labeledMinutes;
            seeds = c.seeds;
            arms = c.arms;
            testSets = c.testSets;
            validFraction = c.validFraction;
            testFraction = c.testFraction;
            pretrainPreset = c.pretrainPreset;
            pretrainUpdates = c.pretrainUpdates;
            finetunePreset = c.finetunePreset;
            finetuneUpdates = c.finetuneUpdates;
            grids = c.grids;
            featurePreset = c.featurePreset;
            featureUpdates = c.featureUpdates;
            acousticUpdates = c.acousticUpdates;
            probeUpdates = c.probeUpdates;
            lmOrder = c.lmOrder;
            beam = c.beam;
            lmWeight = c.lmWeight;
            wordBonus = c.wordBonus;
            labeledVoices = c.labeledVoices;
            pretrainSeed = c.pretrainSeed;
            pretrainedModel = c.pretrainedModel;
            gridSeeds = c.gridSeeds;
            pretrainPerSeed = c.pretrainPerSeed;
        }

        public Builder corpus(String v) {
            corpus = v;
            return this;
        }

        public Builder buildTrainMinutes(double v) {
            buildTrainMinutes = v;
            return this;
        }

        public Builder labeledMinutes(double v) {
            labeledMinutes = v;
            return this;
        }

        public Builder seeds(List<Long> v) {
            seeds = v;
            return this;
        }

        public Builder arms(List<String> v) {
            arms = v;
            return this;
        }

        public Builder testSets(List<String> v) {
            testSets = v;
            return this;
        }

        public Builder validFraction(double v) {
            validFraction = v;
            return this;
        }

        public Builder testFraction(double v) {
            testFraction = v;
            return this;
        }

        public Builder pretrainPreset(String v) {
            pretrainPreset = v;
            return this;
        }

        public Builder pretrainUpdates(int v) {
            pretrainUpdates = v;
            return this;
        }

        public Builder finetunePreset(String v) {
            finetunePreset = v;
            return this;
        }

        public Builder finetuneUpdates(int v) {
            finetuneUpdates = v;
            return this;
        }

        public Builder grids(Map<String, List<List<String>>> v) {
            grids = v;
            return this;
        }

        public Builder featurePreset(String v) {
            featurePreset = v;
            return this;
        }

        public Builder featureUpdates(int v) {
            featureUpdates = v;
            return this;
        }

        public Builder acousticUpdates(int v) {
            acousticUpdates = v;
            return this;
        }

        public Builder probeUpdates(int v) {
            probeUpdates = v;
            return this;
        }

        public Builder lmOrder(int v) {
            lmOrder = v;
            return this;
        }

        public Builder beam(int v) {
            beam = v;
            return this;
        }

        public Builder lmWeight(double v) {
            lmWeight = v;
            return this;
        }

        public Builder wordBonus(double v) {
            wordBonus = v;
            return this;
        }

        public Builder labeledVoices(int v) {
            labeledVoices = v;
            return this;
        }

        public Builder pretrainSeed(long v) {
            pretrainSeed = v;
            return this;
        }

        public Builder pretrainedModel(String v) {
            pretrainedModel = v;
            return this;
        }

        public Builder gridSeeds(int v) {
            gridSeeds = v;
            return this;
        }

        public Builder pretrainPerSeed(boolean v) {
            pretrainPerSeed = v;
            return this;
        }

        public ExperimentConfig build() {
            return new ExperimentConfig(corpus, buildTrainMinutes, labeledMinutes, seeds, arms, testSets,
                    validFraction, testFraction, pretrainPreset, pretrainUpdates, finetunePreset, finetuneUpdates,
                    grids, featurePreset, featureUpdates, acousticUpdates, probeUpdates, lmOrder, beam, lmWeight,
                    wordBonus, labeledVoices, pretrainSeed, pretrainedModel, gridSeeds, pretrainPerSeed);
        }
    }

    /** The seed of the pre-training whose model the wav2vec 2.0 arms use for this labeled seed. */
    public long pretrainSeedFor(long labeledSeed) {
        return pretrainPerSeed ? labeledSeed : pretrainSeed;
    }

    /**
     * Which pre-training draws the models come from, for a report: empty for the one every
     * experiment used before draws could be chosen (seed 1).
     */
    public String pretrainDraws() {
        return pretrainPerSeed ? "pre-trained once per labeled seed (that seed is its pre-training seed)"
                : pretrainSeed != 1 ? "pre-training seed " + pretrainSeed : "";
    }

    /** The seeds every grid candidate is trained and judged on. */
    public List<Long> gridSeedList() {
        return seeds.subList(0, gridSeeds);
    }

    /** True when the wav2vec 2.0 arms use a given model rather than one pre-trained by the experiment. */
    public boolean givenPretrainedModel() {
        return !pretrainedModel.isBlank();
    }

    public boolean runs(Arm arm) {
        return arms.contains(arm.key());
    }
}
