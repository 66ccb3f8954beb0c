package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.probe.LayerProbe;
import org.speechwb.engine.probe.ProbeRecipe;
import org.speechwb.engine.probe.Wav2Vec2Layers;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.testutil.RepoFiles;
import org.speechwb.engine.train.TrainingEvent;

/**
 * The whole protocol end to end on the bundled real-speech sample, with every stage cut to a few
 * updates: it checks the mechanics (roles, grid choice, seeds, scoring, aggregation, probes,
 * stop and resume), not what the models learn.
 */
class LowResourceExperimentTest {

    private static ExperimentConfig tiny() {
        return ExperimentConfig.builder().corpus("datasets/speechocean762-sample").buildTrainMinutes(0)
                .labeledMinutes(1.5).seeds(List.of(1L, 2L))
                .arms(List.of("scratch", "wav2vec2", "logmel", "wav2vec1", "wav2vec2-features",
                        "wav2vec2-random-features", "wav2vec1-random"))
                .testSets(List.of("real=datasets/real-speech")).validFraction(0.1).testFraction(0.1)
                .pretrainPreset("wav2vec2-small-cpu").pretrainUpdates(3).finetunePreset("ctc-small-cpu")
                .finetuneUpdates(4).grids(Map.of("logmel", List.of(List.of("lr=1e-3"), List.of("lr=3e-3"))))
                .featurePreset("wav2vec1-small-cpu").featureUpdates(3).acousticUpdates(6).probeUpdates(4)
                .lmOrder(2).beam(4).lmWeight(0.5).wordBonus(1.0).labeledVoices(0).pretrainSeed(1)
                .pretrainedModel("").gridSeeds(1).build();
    }

    @Test
    void aPreTrainingFolderMadeWithOtherSettingsIsRefusedNotTrainedUnderTheRecipesName(@TempDir Path out)
            throws Exception {
        org.speechwb.engine.config.PretrainConfig made = org.speechwb.engine.config.ConfigOverrides.apply(
                org.speechwb.engine.config.Presets.pretrain("wav2vec2-small-cpu"), List.of("run.maxUpdates=3000"),
                org.speechwb.engine.config.PretrainConfig.class);
        org.speechwb.engine.config.PretrainConfig recipe = org.speechwb.engine.config.ConfigOverrides.apply(made,
                List.of("run.maxUpdates=5000"), org.speechwb.engine.config.PretrainConfig.class);
        org.speechwb.engine.run.Provenance prov = new org.speechwb.engine.run.Provenance("c", "KALDI", "f", "experiment",
                1, 0, "test", org.speechwb.engine.run.Provenance.ENGINE_VERSION, "CPU", "test", "17", "test",
                org.speechwb.engine.run.Provenance.now(), List.of());
        Path dir = out.resolve("runs/pretrain");
        assertThat(LowResourceExperiment.openPretraining(dir, made, prov).dir()).isEqualTo(dir);
        // the same folder again with its own settings is fine; with the recipe's 5,000 it is refused
        assertThat(LowResourceExperiment.openPretraining(dir, made, prov).config()).isEqualTo(made);
        assertThatThrownBy(() -> LowResourceExperiment.openPretraining(dir, recipe, prov))
                .hasMessageContaining("run.maxUpdates 3000 (the recipe: 5000)").hasMessageContaining("move the folder away");
    }

    @Test
    void aFolderContinuesUnderTheSelectionRuleItStartedWith(@TempDir Path out) throws Exception {
        assertThat(ExperimentRecipe.read(out).selection()).isSameAs(ModelSelection.DEFAULT);
        Files.writeString(out.resolve("recipe.json"), "{\"selection\": \"" + ModelSelection.WER_FLOOR.description() + "\"}");
        assertThat(ExperimentRecipe.read(out).selection()).isSameAs(ModelSelection.WER_FLOOR);
        Files.writeString(out.resolve("recipe.json"), "{\"selection\": \"lowest loss\"}");
        assertThatThrownBy(() -> ExperimentRecipe.read(out).selection()).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(out.resolve("recipe.json").toString()).hasMessageContaining("lowest loss");
    }

    @Test
    void aFolderContinuesWithTheProbesItStartedWithAndReadsProbesFromBeforeProbeSeeds(@TempDir Path out)
            throws Exception {
        assertThat(ExperimentRecipe.read(out).probes()).isEqualTo(ProbeRecipe.DEFAULT);
        // a recipe written before probes had seeds: one probe at 2e-3, as its cached probes were made
        Files.writeString(out.resolve("recipe.json"), "{\"selection\": \"" + ModelSelection.DEFAULT.description() + "\"}");
        assertThat(ExperimentRecipe.read(out).probes()).isEqualTo(ProbeRecipe.SINGLE);
        Files.writeString(out.resolve("recipe.json"), "{\"probes\": {\"lr\": 0.01, \"seeds\": [4, 5]}}");
        assertThat(ExperimentRecipe.read(out).probes()).isEqualTo(new ProbeRecipe(0.01, List.of(4L, 5L)));
        Files.writeString(out.resolve("recipe.json"), "{\"probes\": {\"lr\": 0.01, \"seeds\": []}}");
        assertThatThrownBy(() -> ExperimentRecipe.read(out).probes()).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(out.resolve("recipe.json").toString()).hasMessageContaining("at least one seed");

        // such a folder's probes.json has no probeCers: each layer reads as one probe
        LayerProbe.Result[] old = ConfigIO.json().readValue(
                "[{\"model\": \"m\", \"layers\": [{\"layer\": \"layer 1\", \"dimension\": 256, \"wer\": 1.0,"
                        + " \"cer\": 0.8, \"bestUpdate\": 900}], \"trainUtterances\": 146, \"validUtterances\": 180,"
                        + " \"seconds\": 12.5}]", LayerProbe.Result[].class);
        LayerProbe.LayerScore layer = old[0].layers().get(0);
        assertThat(layer.probeCers()).containsExactly(0.8);
        assertThat(layer.cerText()).isEqualTo("80.00");
        // and a score written now reads back as it was
        LayerProbe.LayerScore now = new LayerProbe.LayerScore(
                "layer 2", 256, 1.0, 0.8, 600, List.of(0.7, 0.9, 0.8));
        String json = ConfigIO.json().writeValueAsString(now);
        assertThat(ConfigIO.json().readValue(json,
                LayerProbe.LayerScore.class)).isEqualTo(now);
        assertThat(now.cerText()).isEqualTo("80.00 [70.00–90.00]");
    }

    @Test
    void aFolderAnotherExperimentIsRunningInIsRefusedBeforeAnythingIsWritten(@TempDir Path out) throws Exception {
        try (org.speechwb.engine.run.FolderLock busy = org.speechwb.engine.run.FolderLock.acquire(out, "an experiment")) {
            assertThatThrownBy(() -> new LowResourceExperiment(tiny(), out, RepoFiles.root(), s -> { }, null).run())
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining(out + " is in use");
        }
        assertThat(out.resolve("recipe.json")).doesNotExist();
        assertThat(out.resolve("splits.tsv")).doesNotExist();
    }

    @Test
    void aStoppedFineTuningRunsTimeCountsTowardsItsStageWhenContinued(@TempDir Path out) throws Exception {
        ExperimentConfig t = tiny();
        ExperimentConfig scratch = t.toBuilder().seeds(List.of(1L)).arms(List.of("scratch")).testSets(List.of())
                .grids(Map.of()).probeUpdates(0).build();
        AtomicReference<LowResourceExperiment> first = new AtomicReference<>();
        first.set(new LowResourceExperiment(scratch, out, RepoFiles.root(), s -> { }, e -> {
            if (e instanceof TrainingEvent.FinetuneUpdated) {
                first.get().requestStop();
            }
        }));
        assertThatThrownBy(() -> first.get().run()).isInstanceOf(CancellationException.class);
        String key = "scratch-seed1-" + LowResourceExperiment.settingSlug(scratch.grid(Arm.SCRATCH).get(0));
        double stopped = StageLedger.open(out).total(key);
        // the run resumes from its checkpoint, so what it did before the stop is part of what the stage cost
        assertThat(stopped).isGreaterThan(0);

        LowResourceExperiment.Results r = new LowResourceExperiment(scratch, out, RepoFiles.root(), s -> { }, null).run();
        LowResourceExperiment.StageTime ft = r.stages().stream().filter(st -> st.stage().startsWith(Arm.SCRATCH.title()))
                .findFirst().orElseThrow();
        assertThat(ft.reused()).isFalse();
        assertThat(ft.totalSeconds()).isCloseTo(stopped + ft.seconds(), within(1e-6));
    }

    @Test
    void aPreTrainingPerSeedGivesEachSeedItsOwnDrawAndProbesEachBesideOneRandomModel(@TempDir Path out)
            throws Exception {
        Path home = RepoFiles.root();
        ExperimentConfig perSeed = tiny().toBuilder().arms(List.of("wav2vec2", "wav2vec2-features", "wav2vec1"))
                .testSets(List.of()).grids(Map.of()).pretrainPerSeed(true).build();
        List<String> log = new ArrayList<>();
        LowResourceExperiment.Results r = new LowResourceExperiment(perSeed, out, home, log::add, null).run();

        // one wav2vec 2.0 and one wav2vec 1.0 pre-training per labeled seed, with that seed
        for (long seed : List.of(1L, 2L)) {
            for (String name : List.of("pretrain", "pretrain-wav2vec1")) {
                Path run = out.resolve("runs/" + name + "-seed-" + seed);
                assertThat(new RunFolder(run).config().run().seed()).as(name).isEqualTo(seed);
            }
            // each seed's fine-tuning starts from its own draw
            assertThat(Files.readString(out.resolve("runs/seed-" + seed + "/wav2vec2-preset/config.yaml")))
                    .contains("pretrained: " + out.resolve("runs/pretrain-seed-" + seed) + "\n");
        }
        assertThat(out.resolve("runs/pretrain")).doesNotExist();
        // the report says how each of the four pre-trainings ended, from its own metrics
        assertThat(r.pretraining()).extracting(PretrainingOutcome::run).containsExactlyInAnyOrder(
                "runs/pretrain-seed-1", "runs/pretrain-seed-2", "runs/pretrain-wav2vec1-seed-1",
                "runs/pretrain-wav2vec1-seed-2");
        for (PretrainingOutcome o : r.pretraining()) {
            RunFolder run = new RunFolder(out.resolve(o.run()));
            assertThat(o.updates()).as(o.run()).isEqualTo(run.metrics().get(run.metrics().size() - 1).update())
                    .isEqualTo(run.config().run().maxUpdates());
            assertThat(o.draw()).isEqualTo(run.config().run().seed());
            assertThat(o.chanceBits()).isGreaterThan(0);
            // a few updates: too short to have left chance level, which the log says as such, not as a failed draw
            assertThat(o.warning()).hasValueSatisfying(w -> assertThat(w).contains("too short to have started learning"));
        }
        assertThat(log).anyMatch(l -> l.startsWith("WARNING: runs/pretrain-seed-2 ended at chance level after "));
        assertThat(Files.readString(out.resolve("results.md"))).contains("### How each pre-training ended")
                .contains("| `runs/pretrain-seed-2` (wav2vec 2.0) | " + r.pretraining().stream()
                        .filter(o -> o.run().equals("runs/pretrain-seed-2")).findFirst().orElseThrow().updates() + " |");
        assertThat(r.stages()).extracting(LowResourceExperiment.StageTime::stage)
                .contains("pre-train wav2vec 2.0 on the training speakers (pre-training seed 2)",
                        "layer probes, pre-training seed 1 (2 models, linear CTC per layer, 3 probe seeds)",
                        "layer probes, pre-training seed 2 (1 model, linear CTC per layer, 3 probe seeds)");
        // both draws probed on the same labeled subset, beside a single random model, in that order
        assertThat(r.probes()).extracting(LayerProbe.Result::model).hasSize(3)
                .satisfies(m -> assertThat(m.get(0)).startsWith("pre-training seed 1: "))
                .satisfies(m -> assertThat(m.get(1)).startsWith("pre-training seed 2: "))
                .satisfies(m -> assertThat(m.get(2)).startsWith("random initialisation"));
        assertThat(r.probes()).extracting(LayerProbe.Result::trainUtterances).containsOnly(
                r.labeledUtterances().get("1"));
        assertThat(r.perSeed()).extracting(LowResourceExperiment.ArmResult::arm)
                .containsExactlyInAnyOrder("wav2vec2", "wav2vec2", "wav2vec2-features", "wav2vec2-features",
                        "wav2vec1", "wav2vec1");
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("pre-trained once per labeled seed (that seed is its pre-training seed)");
        assertThat(new LowResourceExperiment(perSeed, out, home, s -> { }, null).recipe())
                .containsEntry("pretrainPerSeed", true);

        // continued: every pre-training and probe is reused
        LowResourceExperiment.Results again = new LowResourceExperiment(perSeed, out, home, s -> { }, null).run();
        assertThat(again.stages()).allMatch(LowResourceExperiment.StageTime::reused);
        assertThat(again.probes()).isEqualTo(r.probes());
        assertThat(again.pretraining()).isEqualTo(r.pretraining());

        // a draw per seed and a given model, or another pre-training seed, contradict each other
        assertThatThrownBy(() -> perSeed.toBuilder().pretrainedModel("runs/x").build())
                .hasMessageContaining("pretrainPerSeed");
        assertThatThrownBy(() -> perSeed.toBuilder().pretrainSeed(5).build()).hasMessageContaining("pretrainSeed");
    }

    @Test
    void runsEveryArmOnEverySeedScoresHeldOutSpeakersAndAContinuationReusesEverything(@TempDir Path out)
            throws Exception {
        List<String> log = new ArrayList<>();
        Path home = RepoFiles.root();
        // a stop during the first training stage ends the experiment with its state kept
        AtomicReference<LowResourceExperiment> first = new AtomicReference<>();
        first.set(new LowResourceExperiment(tiny(), out, home, log::add, e -> {
            if (e instanceof TrainingEvent.Updated) {
                first.get().requestStop();
            }
        }));
        assertThatThrownBy(() -> first.get().run()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("run it again");

        // the stopped invocation's time is kept in the folder
        double afterStop = StageLedger.open(out).sum();
        assertThat(afterStop).isGreaterThan(0);

        long start = System.nanoTime();
        LowResourceExperiment.Results r = new LowResourceExperiment(tiny(), out, home, log::add, null).run();
        double wall = (System.nanoTime() - start) / 1e9;

        // held-out speakers never train
        Set<String> trainSpeakers = new HashSet<>();
        Set<String> heldOut = new HashSet<>();
        for (String line : Files.readAllLines(out.resolve("splits.tsv")).subList(1, Files.readAllLines(
                out.resolve("splits.tsv")).size())) {
            String[] c = line.split("\t");
            (c[2].equals("train") ? trainSpeakers : heldOut).add(c[1]);
        }
        assertThat(heldOut).isNotEmpty().doesNotContainAnyElementsOf(trainSpeakers);

        JsonNode json = ConfigIO.json().readTree(out.resolve("results.json").toFile());
        // a new folder chooses by the default rule, and says so
        assertThat(json.path("selection").asText()).isEqualTo(ModelSelection.DEFAULT.description());
        assertThat(Files.readString(out.resolve("recipe.json"))).contains(ModelSelection.DEFAULT.description());
        for (String set : List.of("heldout", "real")) {
            for (String arm : List.of("scratch", "wav2vec2", "logmel", "wav2vec1", "wav2vec2-features",
                    "wav2vec2-random-features", "wav2vec1-random")) {
                for (String decoder : List.of("greedy", "lm")) {
                    JsonNode cell = json.path("testSets").path(set).path(arm).path(decoder);
                    assertThat(cell.path("wer").isNumber()).as(set + "." + arm + "." + decoder).isTrue();
                    assertThat(cell.path("cer").asDouble()).isBetween(0.0, 1000.0);
                    assertThat(cell.path("perSeed").size()).isEqualTo(2);
                }
            }
        }
        // the grid of logmel was decided on validation of the first seed and used for both seeds
        List<LowResourceExperiment.ArmResult> grid = r.grid().get("logmel");
        assertThat(grid).hasSize(2);
        int chosen = ModelSelection.DEFAULT.better(grid.get(1).validWer(), grid.get(1).validCer(), grid.get(0).validWer(),
                grid.get(0).validCer()) ? 1 : 0;
        assertThat(r.perSeed()).filteredOn(a -> a.arm().equals("logmel"))
                .allMatch(a -> a.candidate() == chosen).hasSize(2);
        assertThat(r.perSeed()).allMatch(a -> !a.curve().isEmpty());
        // a fine-tuning run is timed once, as part of its arm's stage, so the total is not counted twice
        assertThat(r.stages()).noneMatch(st -> !st.reused() && st.stage().startsWith("wav2vec 2.0")
                && !st.stage().endsWith("+ evaluation") && !st.stage().endsWith("(grid, validation only)"));
        // pre-training, the LM and the probes start inside the first stage that needs them, yet count only on their
        // own line: the stage times add up to no more than the wall clock
        assertThat(r.stages().stream().mapToDouble(LowResourceExperiment.StageTime::seconds).sum()).isLessThanOrEqualTo(wall);
        // and the folder's ledger holds both invocations: a stage continued now counts what the stopped one spent
        assertThat(StageLedger.open(out).sum()).isCloseTo(afterStop
                + r.stages().stream().mapToDouble(LowResourceExperiment.StageTime::seconds).sum(), within(1e-6));
        assertThat(r.stages()).filteredOn(st -> st.stage().startsWith("pre-train wav2vec 1.0"))
                .singleElement().matches(st -> !st.reused() && st.totalSeconds() > st.seconds());
        // the feature encoder, the Transformer's input, its four layers and the quantizer's codes
        assertThat(r.probes()).hasSize(2).allMatch(p -> p.layers().size() == 7
                && p.layers().get(6).layer().equals(Wav2Vec2Layers.CODES));
        // a new folder probes each layer once per probe seed of the default recipe, and records that recipe
        assertThat(r.probes()).flatExtracting(LayerProbe.Result::layers)
                .allMatch(s -> s.probeCers().size() == ProbeRecipe.DEFAULT.seeds().size());
        assertThat(ExperimentRecipe.read(out).probes()).isEqualTo(ProbeRecipe.DEFAULT);
        // the feature arm reads the pre-trained model's layer whose probe did best on validation (a layer: not the codes)
        List<org.speechwb.engine.probe.LayerProbe.LayerScore> layers = r.probes().get(0).layers().subList(0, 6);
        org.speechwb.engine.probe.LayerProbe.LayerScore best = layers.get(0);
        for (org.speechwb.engine.probe.LayerProbe.LayerScore s : layers) {
            if (ModelSelection.DEFAULT.better(s.wer(), s.cer(), best.wer(), best.cer())) {
                best = s;
            }
        }
        assertThat(log).contains("wav2vec2-features: the probes rank " + best.layer() + " best on validation (CER "
                + String.format(java.util.Locale.ROOT, "%.2f", 100 * best.cer()) + " %)");
        assertThat(r.perSeed()).filteredOn(a -> a.arm().equals("wav2vec2-features")).hasSize(2);
        // its control takes the same representation, from the random model the probes compared it with
        assertThat(log).contains("wav2vec2-random-features: the probes rank " + best.layer() + " best on validation (CER "
                + String.format(java.util.Locale.ROOT, "%.2f", 100 * best.cer()) + " %); taken from the random"
                + " initialisation (seed 1)");
        assertThat(r.perSeed()).filteredOn(a -> a.arm().equals("wav2vec2-random-features")).hasSize(2);
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("pre-trained wav2vec 2.0 layer over the same layer at random initialisation")
                .contains("pre-trained wav2vec 1.0 context over the same at random initialisation");
        // the wav2vec 1.0 control is the untrained architecture of the feature preset
        assertThat(log).anyMatch(l -> l.startsWith("random wav2vec 1.0 context + conv AM, seed 1, setting [")
                && l.contains(": wav2vec1 context (random initialisation), "));
        assertThat(Files.readString(out.resolve("results.md"))).contains("Test set `heldout`")
                .contains("### Layer probes\n\nLinear CTC on frozen representations, validation CER %, mean [range]"
                        + " over 3 probe seeds.");

        // rerunning trains and decodes nothing again and gives the same figures
        LowResourceExperiment.Results again = new LowResourceExperiment(tiny(), out, home, s -> { }, null).run();
        assertThat(again.stages()).allMatch(LowResourceExperiment.StageTime::reused);
        assertThat(again.stages()).filteredOn(st -> !st.stage().startsWith("corpus")).allMatch(st -> st.totalSeconds() > 0);
        assertThat(Files.readString(out.resolve("results.md"))).contains(String.format(Locale.ROOT,
                "%.1f min (every stage run in this folder)", StageLedger.open(out).sum() / 60));
        assertThat(again.testSets()).isEqualTo(r.testSets());
        // a cached model read twice (for the grid, then for scoring) is one row, named as when it was trained
        assertThat(again.stages()).extracting(LowResourceExperiment.StageTime::stage).doesNotHaveDuplicates()
                .anyMatch(s -> s.startsWith(Arm.LOGMEL.title() + ", seed 1, setting [lr=3e-3]"));
        assertThat(again.stages()).filteredOn(st -> st.stage().startsWith(Arm.LOGMEL.title() + ", seed 1, setting"))
                .hasSize(2);

        // judged on both seeds: the choice is the best mean, and only log-mel models (the one arm with a grid of
        // two) are trained or scored again; the other arms' seed-2 models are their grid's results already. The
        // grid is also given in the other order: cached by setting, each result takes its place in this grid
        List<String> log3 = new ArrayList<>();
        ExperimentConfig t0 = tiny();
        ExperimentConfig reordered = t0.toBuilder()
                .grids(Map.of("logmel", List.of(List.of("lr=3e-3"), List.of("lr=1e-3")))).gridSeeds(2).build();
        LowResourceExperiment.Results both = new LowResourceExperiment(reordered, out, home, log3::add, null).run();
        assertThat(both.grid().get("logmel")).hasSize(4).allMatch(a -> reordered.grid(Arm.LOGMEL).get(a.candidate())
                .equals(a.setting()));
        assertThat(both.perSeed()).filteredOn(a -> a.arm().equals("logmel"))
                .allMatch(a -> reordered.grid(Arm.LOGMEL).get(a.candidate()).equals(a.setting()));
        List<LowResourceExperiment.ArmResult> logmelGrid = both.grid().get("logmel");
        assertThat(logmelGrid).extracting(LowResourceExperiment.ArmResult::seed).containsExactlyInAnyOrder(1L, 1L, 2L, 2L);
        double[] wer = new double[2];
        double[] cer = new double[2];
        for (LowResourceExperiment.ArmResult a : logmelGrid) {
            wer[a.candidate()] += a.validWer() / 2;
            cer[a.candidate()] += a.validCer() / 2;
        }
        int byMean = ModelSelection.DEFAULT.better(wer[1], cer[1], wer[0], cer[0]) ? 1 : 0;
        assertThat(both.perSeed()).filteredOn(a -> a.arm().equals("logmel")).hasSize(2)
                .allMatch(a -> a.candidate() == byMean);
        assertThat(both.perSeed()).hasSize(r.perSeed().size());
        assertThat(log3).anyMatch(l -> l.startsWith("logmel: chose ") && l.endsWith("(seeds 1, 2, mean)"));
        assertThat(both.stages()).filteredOn(st -> !st.reused()).isNotEmpty()
                .allMatch(st -> st.stage().startsWith(Arm.LOGMEL.title() + ", seed "));
        assertThat(Files.readString(out.resolve("results.md"))).contains("(mean over seeds 1, 2; ")
                .contains("| logmel | `lr=3e-3` |");

        // the same folder with settings its cached models were not made with is refused up front
        ExperimentConfig t = tiny();
        ExperimentConfig longer = t.toBuilder().acousticUpdates(t.acousticUpdates() + 1).build();
        assertThatThrownBy(() -> new LowResourceExperiment(longer, out, home, s -> { }, null).run())
                .hasMessageContaining("acousticUpdates 6 -> 7");
        // another pre-training seed is another pre-trained model: refused too, by name
        ExperimentConfig reseeded = t.toBuilder().pretrainSeed(2).build();
        assertThatThrownBy(() -> new LowResourceExperiment(reseeded, out, home, s -> { }, null).run())
                .hasMessageContaining("pretrainSeed null -> 2");
        // the default seed leaves the recipe as it was before the option existed, so older folders still open
        assertThat(new LowResourceExperiment(t, out, home, s -> { }, null).recipe()).doesNotContainKey("pretrainSeed");
        assertThat(new LowResourceExperiment(reseeded, out, home, s -> { }, null).recipe()).containsEntry("pretrainSeed", 2L);

        // a model pre-trained elsewhere (here: this experiment's) is used as given, not trained again
        Path given = out.resolve("runs/pretrain");
        ExperimentConfig withModel = t.toBuilder().seeds(List.of(1L)).arms(List.of("wav2vec2", "wav2vec2-features"))
                .testSets(List.of()).grids(Map.of()).pretrainedModel(given.toString()).build();
        Path out2 = out.resolve("given");
        List<String> log2 = new ArrayList<>();
        LowResourceExperiment.Results r2 = new LowResourceExperiment(withModel, out2, home, log2::add, null).run();
        assertThat(out2.resolve("runs/pretrain")).doesNotExist();
        assertThat(log2).contains("wav2vec 2.0: the given pre-trained model " + given + " (not trained here)");
        // the same model, labeled subset and probe seed give the same probes: training here is deterministic
        assertThat(r2.probes().get(0).layers()).isEqualTo(r.probes().get(0).layers());
        assertThat(r2.testSets().get("heldout")).containsKeys("wav2vec2", "wav2vec2-features");
        assertThat(Files.readString(out2.resolve("results.md"))).contains("wav2vec 2.0 none, the given model `" + given
                + "` instead");
        assertThat(Files.readString(out2.resolve("recipe.json"))).contains("\"pretrainedModel\"");
        assertThatThrownBy(() -> LowResourceExperiment.givenPretrained(out.resolve("nowhere")))
                .hasMessageContaining(out.resolve("nowhere") + ": no such folder");
        assertThatThrownBy(() -> LowResourceExperiment.givenPretrained(out.resolve("runs/pretrain-wav2vec1")))
                .hasMessageContaining("is a wav2vec1 model, not wav2vec 2.0");
        Path fineTuned;
        try (var runs = Files.list(out.resolve("runs/seed-1"))) {
            fineTuned = runs.filter(d -> d.getFileName().toString().startsWith("wav2vec2")).findFirst().orElseThrow();
        }
        assertThatThrownBy(() -> LowResourceExperiment.givenPretrained(fineTuned))
                .hasMessageContaining("is a fine-tuned CTC model");
    }
}
