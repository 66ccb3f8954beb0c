package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

@Command(name = "experiment", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"The low-resource comparison of the wav2vec papers with a speaker-disjoint protocol: CTC from"
                + " scratch vs wav2vec 2.0 pre-trained on the training speakers' audio and fine-tuned, and the same small"
                + " acoustic model on log-mel vs frozen wav2vec 1.0 features; several labeled subsets (seeds), settings"
                + " chosen on validation, WER/CER on held-out speakers and extra test sets, greedy and with an LM; layer"
                + " probes. Writes results.md and results.json.",
                "Rerunning with the same --out continues an interrupted experiment."})
final class ExperimentCommand implements Callable<Integer> {

    /** Every option's default is the engine's (a field's initial value is picocli's default), so help cannot drift. */
    private static final ExperimentConfig D = ExperimentConfig.defaults();

    @Option(names = "--out", defaultValue = "runs/experiment", description = "experiment folder")
    Path out;

    @Option(names = "--corpus", description = "any dataset (Kaldi directory, workbench corpus, folder, …); split by"
            + " speaker unless it has its own splits. Default: synthesise one")
    String corpus;

    @Option(names = "--test-set", paramLabel = "NAME=DIR", description = "extra labeled held-out set, scored only"
            + " (repeatable; default real-speech=datasets/real-speech; 'none' for no extra set)")
    List<String> testSets;

    @Option(names = "--seeds", split = ",", description = "labeled-subset seeds; default 1,2,3")
    List<Long> seeds;

    @Option(names = "--arms", split = ",", description = "arms to run: scratch, wav2vec2, logmel, wav2vec1, wav2vec2-features (the conv AM on the"
            + " wav2vec 2.0 layer the probes rank best), wav2vec2-random-features (its control: that layer at random"
            + " initialisation), wav2vec1-random (the wav2vec1 arm's control); default scratch,wav2vec2,logmel,wav2vec1")
    List<String> arms;

    @Option(names = "--grid", paramLabel = "ARM=SETTING[;SETTING…]", showDefaultValue = Visibility.NEVER,
            description = "candidate settings of an arm,"
            + " each a comma-separated list of field=value overrides, e.g. 'wav2vec2=optimizer.lr=1e-4;optimizer.lr=5e-4';"
            + " chosen on validation (see --grid-seeds; results.md names the selection rule); repeatable, replaces that arm's"
            + " default grid")
    List<String> grid = new ArrayList<>();

    @Option(names = "--build-train-minutes", description = "training audio of a synthesised corpus")
    double buildTrainMinutes = D.buildTrainMinutes();

    @Option(names = "--labeled-minutes",
            description = "transcribed audio of each labeled subset, drawn from the training speakers")
    double labeledMinutes = D.labeledMinutes();

    @Option(names = "--valid-fraction", description = "share of the audio for validation speakers")
    double validFraction = D.validFraction();

    @Option(names = "--test-fraction", description = "share of the audio for test speakers")
    double testFraction = D.testFraction();

    @Option(names = "--pretrain-preset",
            description = "wav2vec 2.0 pre-training preset, or a config file")
    String pretrainPreset = D.pretrainPreset();

    @Option(names = "--pretrain-updates",
            description = "wav2vec 2.0 pre-training updates (the warm-up is 8 %% of them)")
    int pretrainUpdates = D.pretrainUpdates();

    @Option(names = "--finetune-preset",
            description = "CTC fine-tuning preset (scratch and wav2vec2 arms), or a config file")
    String finetunePreset = D.finetunePreset();

    @Option(names = "--finetune-updates",
            description = "fine-tuning updates; the preset's stages are stretched to them")
    int finetuneUpdates = D.finetuneUpdates();

    @Option(names = "--feature-preset",
            description = "wav2vec 1.0 preset of the wav2vec1 arm, or a config file")
    String featurePreset = D.featurePreset();

    @Option(names = "--feature-updates", description = "wav2vec 1.0 pre-training updates")
    int featureUpdates = D.featureUpdates();

    @Option(names = "--acoustic-updates",
            description = "updates of the small acoustic model on each feature type")
    int acousticUpdates = D.acousticUpdates();

    @Option(names = "--probe-updates", description = "updates per layer probe (0: no probes)")
    int probeUpdates = D.probeUpdates();

    @Option(names = "--lm-order",
            description = "order of the word n-gram LM built from the training speakers' transcripts")
    int lmOrder = D.lmOrder();

    @Option(names = "--beam", description = "beam width of the LM decoder")
    int beam = D.beam();

    @Option(names = "--alpha", description = "LM weight")
    double alpha = D.lmWeight();

    @Option(names = "--beta", description = "word insertion bonus")
    double beta = D.wordBonus();

    @Option(names = "--labeled-voices",
            description = "draw the labeled subsets from this many training speakers only (0: all)")
    int labeledVoices = D.labeledVoices();

    @Option(names = "--pretrain-seed",
            description = "seed of the wav2vec 2.0 and wav2vec 1.0 pre-training runs (another seed is another"
                    + " pre-trained model: use another --out)")
    long pretrainSeed = D.pretrainSeed();

    @Option(names = "--pretrain-per-seed",
            description = "pre-train the wav2vec 2.0 and wav2vec 1.0 models once per labeled seed, that seed being"
                    + " the pre-training seed, so each arm's mean and range cover the pre-training draw too (one"
                    + " pre-training each per seed instead of one)")
    boolean pretrainPerSeed;

    @Option(names = "--pretrained-model", paramLabel = "RUN_FOLDER", defaultValue = "",
            showDefaultValue = Visibility.NEVER,
            description = "a wav2vec 2.0 run folder (pre-trained in the workbench or imported with `import` from"
                    + " Hugging Face or fairseq) to use instead of pre-training one; it must not have seen the"
                    + " held-out speakers, which the experiment cannot check")
    String pretrainedModel;

    @Option(names = "--grid-seeds", paramLabel = "N|all", defaultValue = "1",
            description = "train each arm's grid on the first N seeds (all: every seed) and choose the setting with"
                    + " the best mean validation result; 1 is the first seed alone")
    String gridSeeds;

    @Option(names = "--print-every", defaultValue = "100", description = "updates between progress lines")
    int printEvery;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = config();
        LowResourceExperiment experiment = new LowResourceExperiment(cfg, Cli.resolve(out), Cli.home(),
                System.out::println, new ConsoleTraining(System.out, printEvery));
        ConsoleTraining.stoppedOnShutdown(experiment::requestStop, experiment::run);
        System.out.println();
        System.out.println(java.nio.file.Files.readString(Cli.resolve(out).resolve("results.md")));
        return 0;
    }

    /** The experiment the parsed options describe. */
    ExperimentConfig config() {
        List<String> sets = testSets == null ? D.testSets() : testSets.equals(List.of("none")) ? List.of() : testSets;
        List<Long> seedList = seeds == null ? D.seeds() : seeds;
        return D.toBuilder().corpus(corpus).buildTrainMinutes(buildTrainMinutes)
                .labeledMinutes(labeledMinutes).seeds(seedList).arms(arms == null ? D.arms() : arms).testSets(sets)
                .validFraction(validFraction).testFraction(testFraction)
                .pretrainPreset(pretrainPreset).pretrainUpdates(pretrainUpdates).pretrainSeed(pretrainSeed)
                .pretrainPerSeed(pretrainPerSeed)
                .pretrainedModel(pretrainedModel.isBlank() ? ""
                        : Cli.resolve(java.nio.file.Path.of(pretrainedModel)).toString())
                .finetunePreset(finetunePreset).finetuneUpdates(finetuneUpdates).grids(grids(grid))
                .gridSeeds(gridSeeds(gridSeeds, seedList.size()))
                .featurePreset(featurePreset).featureUpdates(featureUpdates).acousticUpdates(acousticUpdates)
                .probeUpdates(probeUpdates).lmOrder(lmOrder).beam(beam).lmWeight(alpha).wordBonus(beta)
                .labeledVoices(labeledVoices).build();
    }

    /** {@code --grid-seeds}: a count, or {@code all} for every one of {@code seeds} seeds. */
    static int gridSeeds(String spec, int seeds) {
        String v = spec.strip();
        if (v.equalsIgnoreCase("all")) {
            return seeds;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grid-seeds: expected a number of seeds or 'all', got '" + spec + "'");
        }
    }

    /** The default grids with the arms given on the command line replaced. */
    static Map<String, List<List<String>>> grids(List<String> specs) {
        Map<String, List<List<String>>> g = new LinkedHashMap<>(ExperimentConfig.defaultGrids());
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--grid " + spec + ": expected ARM=SETTING[;SETTING...]");
            }
            List<List<String>> candidates = new ArrayList<>();
            for (String c : spec.substring(eq + 1).split(";")) {
                candidates.add(c.isBlank() ? List.of() : Arrays.stream(c.split(",")).map(String::strip).toList());
            }
            g.put(spec.substring(0, eq), candidates);
        }
        return g;
    }
}
