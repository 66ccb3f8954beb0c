package org.speechwb.app.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.study.StudyProgressViewModel.Phase;
import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment.Aggregate;
import org.speechwb.engine.experiment.LowResourceExperiment.Results;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingEvent;
import org.speechwb.engine.train.TrainingListener;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Study wizard: settings checked as typed, results from a results.json, the run's progress, stop and continue. */
@ExtendWith(ApplicationExtension.class)
class StudyScreenTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    private StudyScreen show(FxRobot robot, StudyRunner runner) {
        ScreenContext ctx = TestContexts.create(tmp);
        StudyScreen[] s = new StudyScreen[1];
        robot.interact(() -> {
            s[0] = new StudyScreen(ctx, runner);
            Scene scene = new Scene((javafx.scene.Parent) s[0].view(), 1280, 800);
            scene.getStylesheets().add(Screens.stylesheet());
            stage.setScene(scene);
            stage.show();
        });
        return s[0];
    }

    private static void type(FxRobot robot, String id, String text) {
        TextField tf = robot.lookup("#" + id).queryAs(TextField.class);
        robot.interact(() -> tf.setText(text));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void badSeedsDisableStartWithTheReasonBesideTheField(FxRobot robot) {
        StudyScreen screen = show(robot, StudyRunner.ENGINE);
        StudySettingsViewModel s = screen.viewModel().settings();
        Button start = robot.lookup("#study-start").queryAs(Button.class);
        Label seedsError = robot.lookup("#study-seeds-error").queryAs(Label.class);
        assertThat(start.isDisabled()).as(robot.lookup("#study-start-blocker").queryAs(Label.class).getText()).isFalse();
        assertThat(seedsError.isVisible()).isFalse();
        assertThat(s.configProperty().get().seeds()).containsExactly(1L, 2L, 3L);

        type(robot, "study-seeds", "1,x");
        assertThat(start.isDisabled()).isTrue();
        assertThat(seedsError.isVisible()).isTrue();
        assertThat(seedsError.getText()).contains("Whole numbers separated by commas").contains("'x'");
        assertThat(robot.lookup("#study-seeds").queryAs(TextField.class).getStyleClass()).contains("invalid");
        assertThat(robot.lookup("#study-start-blocker").queryAs(Label.class).getText()).contains("Fix the settings");

        // the engine's own check: repeated seeds
        type(robot, "study-seeds", "1,1");
        assertThat(start.isDisabled()).isTrue();
        assertThat(seedsError.getText()).isEqualTo("seeds must differ, got [1, 1]");

        type(robot, "study-seeds", "4, 5");
        assertThat(start.isDisabled()).isFalse();
        assertThat(seedsError.isVisible()).isFalse();
        assertThat(s.configProperty().get().seeds()).containsExactly(4L, 5L);

        // no arm at all, a negative probe count, a missing corpus: each message beside its own field
        robot.interact(() -> screen.viewModel().settings().armProperty(org.speechwb.engine.experiment.Arm.SCRATCH)
                .set(false));
        for (String arm : new String[] {"wav2vec2", "logmel", "wav2vec1"}) {
            robot.clickOn("#study-arm-" + arm);
        }
        assertThat(robot.lookup("#study-arms-error").queryAs(Label.class).getText()).startsWith("arms: give at least one");
        assertThat(start.isDisabled()).isTrue();
        robot.clickOn("#study-arm-logmel");
        assertThat(start.isDisabled()).isFalse();
        type(robot, "study-probe", "-1");
        assertThat(robot.lookup("#study-probe-error").queryAs(Label.class).getText()).contains("probeUpdates");
        type(robot, "study-probe", "0");
        type(robot, "study-corpus", tmp.resolve("nowhere").toString());
        assertThat(robot.lookup("#study-corpus-error").queryAs(Label.class).getText()).isEqualTo("No such folder or file");
        assertThat(start.isDisabled()).isTrue();
    }

    @Test
    void openingAFolderShowsItsResultsTablesCurvesAndProbes(FxRobot robot) throws Exception {
        StudyScreen screen = show(robot, StudyRunner.ENGINE);
        Path folder = StudyFixtures.write(tmp.resolve("exp"), StudyFixtures.results());
        robot.interact(() -> screen.viewModel().openResults(folder));
        TestContexts.await(WAIT, () -> screen.viewModel().results().resultsProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(screen.viewModel().pageProperty().get()).isEqualTo(StudyViewModel.Page.RESULTS);

        @SuppressWarnings("unchecked")
        TableView<StudyResults.ArmRow> held = robot.lookup("#study-table-heldout").queryAs(TableView.class);
        assertThat(held.getItems()).extracting(StudyResults.ArmRow::arm)
                .containsExactly("scratch", "wav2vec2", "logmel", "wav2vec1");
        StudyResults.ArmRow scratch = held.getItems().get(0);
        assertThat(scratch.title()).isEqualTo("wav2vec 2.0 from scratch");
        assertThat(scratch.greedyWer()).isEqualTo("80.00 [75.00–85.00]");
        assertThat(scratch.greedyCer()).isEqualTo("40.00 [39.00–41.00]");
        assertThat(scratch.lmWer()).isEqualTo("70.00 [65.00–75.00]");
        // what the table cells show
        assertThat(robot.from(held).lookup(".table-cell").queryAllAs(javafx.scene.control.Labeled.class).stream()
                .map(javafx.scene.control.Labeled::getText)).contains("80.00 [75.00–85.00]", "wav2vec 1.0 context + conv AM");

        @SuppressWarnings("unchecked")
        TableView<StudyResults.Reduction> red = robot.lookup("#study-reductions-heldout").queryAs(TableView.class);
        assertThat(red.getItems()).hasSize(2);
        assertThat(red.getItems().get(0).title()).isEqualTo("wav2vec 2.0 pre-training over scratch");
        assertThat(red.getItems().get(0).greedyWer()).isEqualTo("+25.0 %"); // (80 − 60) / 80
        assertThat(red.getItems().get(1).lmWer()).isEqualTo("+20.0 %"); // (85 − 68) / 85
        // a test set with only one arm has no reductions
        assertThat(robot.lookup("#study-table-real").tryQuery()).isPresent();
        assertThat(robot.lookup("#study-reductions-real").tryQuery()).isEmpty();

        @SuppressWarnings("unchecked")
        TableView<StudyResults.GridRow> grid = robot.lookup("#study-grid").queryAs(TableView.class);
        assertThat(grid.getItems()).hasSize(2);
        assertThat(grid.getItems().get(1).chosen()).isTrue();
        assertThat(grid.getItems().get(1).setting()).isEqualTo("lr=3e-3");
        assertThat(grid.getItems().get(1).validWer()).isEqualTo("80.00");
        assertThat(grid.getItems().get(1).seeds()).isEqualTo("1");
        // a setting cut in its middle (long candidates share a prefix) is whole in its tooltip
        robot.clickOn("Settings chosen on validation");
        assertThat(robot.from(grid).lookup(".table-cell").queryAllAs(javafx.scene.control.TableCell.class).stream()
                .filter(c -> "lr=3e-3".equals(c.getText())).findFirst().orElseThrow())
                .satisfies(c -> assertThat(c.getTooltip().getText()).isEqualTo("lr=3e-3"))
                .satisfies(c -> assertThat(c.getTextOverrun()).isEqualTo(javafx.scene.control.OverrunStyle.CENTER_WORD_ELLIPSIS));
        robot.clickOn("Validation curves");

        // seed 1's curve of each arm, WER in percent
        assertThat(screen.resultsPage().curves().seriesKeys()).containsExactly("wav2vec 2.0 from scratch",
                "wav2vec 2.0 pre-trained + fine-tuned", "80 log-mel + conv AM", "wav2vec 1.0 context + conv AM");
        assertThat(screen.resultsPage().curves().pointCount("80 log-mel + conv AM")).isEqualTo(3);
        // the fixture's curves reach 80 % WER, so WER is shown; CER on a click, per arm and update
        assertThat(screen.viewModel().results().curvesShowCerProperty().get()).isFalse();
        robot.clickOn("#study-curves-cer");
        assertThat(screen.viewModel().results().curvesShowCerProperty().get()).isTrue();
        assertThat(screen.resultsPage().curves().rangeAxis().getLabel()).isEqualTo("validation CER (%)");
        assertThat(screen.resultsPage().curves().pointCount("80 log-mel + conv AM")).isEqualTo(3);
        robot.clickOn("#study-curves-wer");
        assertThat(screen.resultsPage().curves().rangeAxis().getLabel()).isEqualTo("validation WER (%)");

        @SuppressWarnings("unchecked")
        TableView<StudyResults.ProbeRow> probes = robot.lookup("#study-probes").queryAs(TableView.class);
        assertThat(probes.getItems()).extracting(StudyResults.ProbeRow::layer).containsExactly("features", "layer 1");
        assertThat(probes.getItems().get(1).cer()).containsExactly("60.00", "95.00");
        assertThat(probes.getColumns()).extracting(c -> c.getText())
                .containsExactly("Representation", "pretrained\nCER %", "random\nCER %");
        assertThat(robot.lookup("#study-summary").queryAs(Label.class).getText()).contains("Partial: 5 of 8");

        // a folder without results says so, naming the file
        robot.interact(() -> screen.viewModel().openResults(tmp.resolve("empty")));
        TestContexts.await(WAIT, () -> !screen.viewModel().results().messageProperty().get().isEmpty());
        assertThat(screen.viewModel().results().messageProperty().get())
                .contains(tmp.resolve("empty").resolve("results.json").toString()).doesNotContain("Exception");
    }

    @Test
    void whileArmsHaveScoredDifferentSeedsTheReductionComparesTheSharedOnesAndSaysSo() {
        Results base = StudyFixtures.results();
        Map<String, Map<String, Map<String, Aggregate>>> sets = new java.util.LinkedHashMap<>(base.testSets());
        Map<String, Map<String, Aggregate>> held = new java.util.LinkedHashMap<>(sets.get("heldout"));
        // wav2vec 1.0 has scored seed 1 only (67 greedy WER); log-mel seeds 1 and 2 (85 and 95)
        held.put("wav2vec1", Map.of("greedy", new Aggregate(67, 30, 67, 67, 30, 30,
                Map.of("1", Map.of("wer", 67.0, "cer", 30.0)))));
        sets.put("heldout", held);
        Results partial = new Results(base.config(), base.corpus(), base.splits(), base.labeledUtterances(),
                base.labeledMinutes(), base.trainUtterances(), base.trainMinutes(), base.grid(), sets, base.perSeed(),
                base.probes(), base.stages(), base.device(), base.selection(), base.pretraining());
        StudyResults.Reduction r = StudyResults.of(tmp, partial).testSets().get(0).reductions().get(1);
        assertThat(r.title()).isEqualTo("wav2vec 1.0 features over log-mel");
        assertThat(r.seeds()).isEqualTo("seed 1 (so far)");
        assertThat(r.greedyWer()).isEqualTo("+21.2 %"); // (85 − 67) / 85, not against log-mel's mean of 90
        assertThat(r.lmWer()).isEqualTo("–");
        // with both seeds scored by both arms
        assertThat(StudyResults.of(tmp, base).testSets().get(0).reductions().get(1).seeds()).isEqualTo("seeds 1, 2");
    }

    @Test
    void continueOrRerunPutsTheShownExperimentsSettingsGridsPretrainingSeedAndModelIntoTheSettings(FxRobot robot)
            throws Exception {
        StudyScreen screen = show(robot, StudyRunner.ENGINE);
        StudyViewModel vm = screen.viewModel();
        Results base = StudyFixtures.results();
        ExperimentConfig c = base.config();
        Map<String, List<List<String>>> grids = Map.of("logmel", List.of(List.of("lr=3e-3")),
                "wav2vec2", List.of(List.of("optimizer.lr=3e-4", "wav2vec2.layers=1")));
        // a pre-trained model given in place of the experiment's own pre-training (here a tiny workbench run)
        String given = org.speechwb.app.testsupport.TinyFixtures.trainedRun().dir().toString();
        ExperimentConfig mine = c.toBuilder().labeledMinutes(10).seeds(List.of(4L, 5L))
                .arms(List.of("wav2vec2", "logmel"))
                .testSets(List.of()).validFraction(0.05).pretrainUpdates(123).finetuneUpdates(77).grids(grids)
                .featureUpdates(100).acousticUpdates(88).probeUpdates(50).beam(16).pretrainSeed(2)
                .pretrainedModel(given).gridSeeds(2).build();
        Path folder = StudyFixtures.write(tmp.resolve("seed2"), new Results(mine, base.corpus(), base.splits(),
                base.labeledUtterances(), base.labeledMinutes(), base.trainUtterances(), base.trainMinutes(), base.grid(),
                base.testSets(), base.perSeed(), base.probes(), base.stages(), base.device(), base.selection(),
                base.pretraining()));
        Button edit = robot.lookup("#study-edit-settings").queryAs(Button.class);
        assertThat(edit.isDisabled()).isTrue();
        robot.interact(() -> vm.openResults(folder));
        TestContexts.await(WAIT, () -> vm.results().resultsProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(edit.isDisabled()).isFalse();

        robot.clickOn("#study-edit-settings");
        assertThat(vm.pageProperty().get()).isEqualTo(StudyViewModel.Page.SETTINGS);
        assertThat(robot.lookup("#study-seeds").queryAs(TextField.class).getText()).isEqualTo("4,5");
        assertThat(robot.lookup("#study-pretrain-seed").queryAs(TextField.class).getText()).isEqualTo("2");
        assertThat(robot.lookup("#study-out").queryAs(TextField.class).getText()).isEqualTo(folder.toString());
        assertThat(robot.lookup("#study-arm-scratch").queryAs(javafx.scene.control.CheckBox.class).isSelected()).isFalse();
        Label note = robot.lookup("#study-base-note").queryAs(Label.class);
        assertThat(note.getText()).contains(folder.toString()).contains("wav2vec2 1 setting");
        assertThat(robot.lookup("#study-pretrained-model").queryAs(TextField.class).getText()).isEqualTo(given);
        // with a given model there is nothing to pre-train
        assertThat(robot.lookup("#study-pretrain").queryAs(TextField.class).isDisabled()).isTrue();
        assertThat(note.getParent().isVisible()).isTrue();
        // what Start would run: the loaded experiment's recipe, hidden fields included, not the defaults
        ExperimentConfig cfg = vm.settings().configProperty().get();
        assertThat(cfg).isEqualTo(mine);
        // its grid was judged on both seeds; unticked, on the first alone
        javafx.scene.control.CheckBox everySeed = robot.lookup("#study-grid-every-seed")
                .queryAs(javafx.scene.control.CheckBox.class);
        assertThat(everySeed.isSelected()).isTrue();
        robot.clickOn("#study-grid-every-seed");
        assertThat(vm.settings().configProperty().get().gridSeeds()).isEqualTo(1);
        robot.clickOn("#study-grid-every-seed");
        type(robot, "study-seeds", "4,5,6");
        assertThat(vm.settings().configProperty().get().gridSeedList()).containsExactly(4L, 5L, 6L);
        type(robot, "study-seeds", "4,5");

        type(robot, "study-pretrained-model", tmp.resolve("nowhere").toString());
        assertThat(robot.lookup("#study-pretrained-model-error").queryAs(Label.class).getText())
                .startsWith("No such folder (give a run folder; a Hugging Face or fairseq checkpoint is turned into one");
        assertThat(vm.settings().configProperty().get()).isNull();
        type(robot, "study-pretrained-model", org.speechwb.app.testsupport.TinyFixtures.wav2vec1Run().dir().toString());
        assertThat(robot.lookup("#study-pretrained-model-error").queryAs(Label.class).getText())
                .isEqualTo("Is a wav2vec1 model, not wav2vec 2.0");
        type(robot, "study-pretrained-model", "");
        assertThat(vm.settings().configProperty().get().pretrainedModel()).isEmpty();
        assertThat(robot.lookup("#study-pretrain").queryAs(TextField.class).isDisabled()).isFalse();

        type(robot, "study-pretrain-seed", "two");
        assertThat(robot.lookup("#study-pretrain-seed-error").queryAs(Label.class).getText())
                .isEqualTo("Not a whole number: 'two'");
        assertThat(robot.lookup("#study-start").queryAs(Button.class).isDisabled()).isTrue();
        type(robot, "study-pretrain-seed", "3");
        assertThat(vm.settings().configProperty().get().pretrainSeed()).isEqualTo(3);
        // a pre-training per seed: the seed field is unused, and so is the box with a given model
        robot.clickOn("#study-pretrain-per-seed");
        assertThat(vm.settings().configProperty().get()).extracting(ExperimentConfig::pretrainPerSeed,
                ExperimentConfig::pretrainSeed).containsExactly(true, 1L);
        assertThat(robot.lookup("#study-pretrain-seed").queryAs(TextField.class).isDisabled()).isTrue();
        type(robot, "study-pretrained-model", given);
        assertThat(robot.lookup("#study-pretrain-per-seed").queryAs(javafx.scene.control.CheckBox.class).isDisabled())
                .isTrue();
        assertThat(vm.settings().configProperty().get().pretrainPerSeed()).isFalse();
        type(robot, "study-pretrained-model", "");
        robot.clickOn("#study-pretrain-per-seed");
        assertThat(vm.settings().configProperty().get()).extracting(ExperimentConfig::pretrainPerSeed,
                ExperimentConfig::pretrainSeed).containsExactly(false, 3L);

        robot.clickOn("#study-base-defaults");
        ExperimentConfig d = ExperimentConfig.defaults();
        assertThat(vm.settings().configProperty().get().grids()).isEqualTo(d.grids());
        assertThat(vm.settings().configProperty().get().validFraction()).isEqualTo(d.validFraction());
        assertThat(vm.settings().configProperty().get().seeds()).containsExactly(4L, 5L);
        assertThat(note.getParent().isVisible()).isFalse();
    }

    @Test
    void anOutputFolderHoldingAnExperimentOffersItsSettings(FxRobot robot) throws Exception {
        StudyScreen screen = show(robot, StudyRunner.ENGINE);
        StudySettingsViewModel s = screen.viewModel().settings();
        Results base = StudyFixtures.results();
        Path folder = StudyFixtures.write(tmp.resolve("earlier"), base);
        Button use = robot.lookup("#study-out-use-settings").queryAs(Button.class);
        assertThat(use.isVisible()).isFalse();
        type(robot, "study-out", folder.toString());
        assertThat(use.isVisible()).isTrue();
        assertThat(robot.lookup("#study-out-note").queryAs(Label.class).getText()).startsWith("Holds an earlier experiment");
        robot.clickOn("#study-out-use-settings");
        TestContexts.await(WAIT, () -> s.seedsProperty().get().equals("1,2"));
        assertThat(s.configProperty().get()).isEqualTo(base.config());
        assertThat(s.probeUpdatesProperty().get()).isEqualTo("50");
        // loaded: nothing more to offer for this folder
        assertThat(use.isVisible()).isFalse();

        // a results file that cannot be read says so beside the folder, naming the file
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("results.json"), "{ not json");
        type(robot, "study-out", broken.toString());
        robot.clickOn("#study-out-use-settings");
        TestContexts.await(WAIT, () -> s.outNoteProperty().get().startsWith("Cannot use the settings"));
        assertThat(s.outNoteProperty().get()).contains(broken.resolve("results.json").toString());
        assertThat(s.seedsProperty().get()).isEqualTo("1,2");
    }

    @Test
    void aGridJudgedOnSeveralSeedsShowsOneRowPerSettingWithItsMean() {
        Results r = StudyFixtures.results();
        Map<String, List<org.speechwb.engine.experiment.LowResourceExperiment.ArmResult>> grid = Map.of("logmel", List.of(
                StudyFixtures.arm("logmel", 1, 0, List.of("lr=1e-3"), 0.9),
                StudyFixtures.arm("logmel", 1, 1, List.of("lr=3e-3"), 0.8),
                StudyFixtures.arm("logmel", 2, 0, List.of("lr=1e-3"), 0.5),
                StudyFixtures.arm("logmel", 2, 1, List.of("lr=3e-3"), 0.9)));
        List<org.speechwb.engine.experiment.LowResourceExperiment.ArmResult> perSeed = List.of(
                StudyFixtures.arm("logmel", 1, 0, List.of("lr=1e-3"), 0.9));
        Results both = new Results(r.config().withGridSeeds(2), r.corpus(), r.splits(), r.labeledUtterances(),
                r.labeledMinutes(), r.trainUtterances(), r.trainMinutes(), grid, r.testSets(), perSeed, r.probes(),
                r.stages(), r.device(), r.selection(), r.pretraining());
        List<StudyResults.GridRow> rows = StudyResults.of(tmp, both).grid();
        assertThat(rows).extracting(StudyResults.GridRow::setting).containsExactly("lr=1e-3", "lr=3e-3");
        assertThat(rows).extracting(StudyResults.GridRow::seeds).containsOnly("1, 2 (mean)");
        assertThat(rows).extracting(StudyResults.GridRow::validWer).containsExactly("70.00", "85.00");
        assertThat(rows).extracting(StudyResults.GridRow::chosen).containsExactly(true, false);
    }

    @Test
    void curvesAreReadAsCerWhenNoArmGetsBelow95PercentWer() {
        Results r = StudyFixtures.results();
        assertThat(StudyResults.of(tmp, r).curvesReadAsCer()).isFalse();
        List<org.speechwb.engine.experiment.LowResourceExperiment.ArmResult> stuck = List.of(
                StudyFixtures.arm("logmel", 1, 0, List.of("lr=1e-3"), 0.97),
                StudyFixtures.arm("scratch", 1, 0, List.of(), 0.99));
        Results high = new Results(r.config(), r.corpus(), r.splits(), r.labeledUtterances(), r.labeledMinutes(),
                r.trainUtterances(), r.trainMinutes(), r.grid(), r.testSets(), stuck, r.probes(), r.stages(), r.device(),
                r.selection(), r.pretraining());
        StudyResults shown = StudyResults.of(tmp, high);
        assertThat(shown.curvesReadAsCer()).isTrue();
        assertThat(shown.curves().get(0).arm()).isEqualTo("scratch");
        assertThat(shown.curves().get(0).cer()).containsExactly(80.0, 50.0, 49.5);
    }

    @Test
    void resultsWrittenBeforeThePretrainingSeedAndGridSeedsExistedReadAsSeedOne() throws Exception {
        Path folder = StudyFixtures.write(tmp.resolve("old"), StudyFixtures.results());
        Path file = folder.resolve("results.json");
        String json = Files.readString(file);
        assertThat(json).contains("\"pretrainSeed\" : 1");
        Files.writeString(file, json.replace("\"pretrainSeed\" : 1", "\"labeledVoicesX\" : 0"));
        assertThat(StudyResults.read(folder).results().config().pretrainSeed()).isEqualTo(1);
        Files.writeString(file, json.replace("\"pretrainSeed\" : 1", "\"pretrainSeed\" : 0"));
        assertThat(StudyResults.read(folder).results().config().pretrainSeed()).isZero();
        // nor did the grid's seeds: those experiments chose on the first seed
        assertThat(json).contains("\"gridSeeds\" : 1");
        Files.writeString(file, json.replace("\"gridSeeds\" : 1", "\"labeledVoicesY\" : 0"));
        assertThat(StudyResults.read(folder).results().config().gridSeeds()).isEqualTo(1);
        // and the selection rule: those were chosen by the 95 % floor, and the summary says so
        String rule = "\"selection\" : \"" + org.speechwb.engine.eval.ModelSelection.DEFAULT.description() + "\"";
        assertThat(json).contains(rule);
        assertThat(StudyResults.read(folder).summary())
                .endsWith("chosen on " + org.speechwb.engine.eval.ModelSelection.DEFAULT.description() + ".");
        Files.writeString(file, json.replace(rule, "\"labeledVoicesZ\" : 0"));
        assertThat(StudyResults.read(folder).summary())
                .endsWith("chosen on " + org.speechwb.engine.eval.ModelSelection.WER_FLOOR.description() + ".");
        // nor a pre-training per seed: one pre-training, which the summary does not qualify; a draw per seed it names
        assertThat(json).contains("\"pretrainPerSeed\" : false");
        Files.writeString(file, json.replace("\"pretrainPerSeed\" : false", "\"labeledVoicesW\" : 0"));
        assertThat(StudyResults.read(folder).results().config().pretrainPerSeed()).isFalse();
        assertThat(StudyResults.read(folder).summary()).contains("(40.5 min) for pre-training. ");
        Files.writeString(file, json.replace("\"pretrainPerSeed\" : false", "\"pretrainPerSeed\" : true"));
        assertThat(StudyResults.read(folder).summary())
                .contains(" for pre-training, pre-trained once per labeled seed (that seed is its pre-training seed). ");
    }

    @Test
    void aPretrainingThatEndedAtChanceLevelIsAWarningApartFromTheSummaryAndOlderResultsHaveNone(FxRobot robot)
            throws Exception {
        StudyViewModel vm = show(robot, StudyRunner.ENGINE).viewModel();
        Results r = StudyFixtures.results();
        var stuck = new org.speechwb.engine.experiment.PretrainingOutcome("runs/pretrain-seed-2", "wav2vec 2.0", 2, 5000,
                4.392, 0.056, 104.0, 4.392, -1, true, 400);
        var fine = new org.speechwb.engine.experiment.PretrainingOutcome("runs/pretrain-seed-1", "wav2vec 2.0", 1, 5000,
                2.94, 0.28, 96.0, 4.392, 310, false, 400);
        Results both = new Results(r.config(), r.corpus(), r.splits(), r.labeledUtterances(), r.labeledMinutes(),
                r.trainUtterances(), r.trainMinutes(), r.grid(), r.testSets(), r.perSeed(), r.probes(), r.stages(),
                r.device(), r.selection(), List.of(fine, stuck));
        Path folder = StudyFixtures.write(tmp.resolve("stuck"), both);
        String said = "runs/pretrain-seed-2 ended at chance level (contrastive loss 4.39 bits, chance 4.39; accuracy"
                + " 5.6 %): it never started learning, so the arms built on it measure an untrained model. Pre-train it"
                + " again with another --pretrain-seed.";
        assertThat(StudyResults.read(folder).warnings()).containsExactly(said);
        // shown apart from the summary, in the warning style, and gone with results that have none
        robot.interact(() -> vm.openResults(folder));
        TestContexts.await(WAIT, () -> vm.results().resultsProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        Label shown = robot.lookup("#study-warnings").queryAs(Label.class);
        assertThat(shown.getText()).isEqualTo("Warning: " + said);
        assertThat(shown.isVisible()).isTrue();
        assertThat(shown.getStyleClass()).contains("warning-text");
        // a results file from before pre-trainings were reported reads as none
        Path file = folder.resolve("results.json");
        String json = Files.readString(file);
        assertThat(json).contains("\"pretraining\" : [");
        Files.writeString(file, json.replace("\"pretraining\" :", "\"pretrainingX\" :"));
        assertThat(StudyResults.read(folder).results().pretraining()).isEmpty();
        assertThat(StudyResults.read(folder).warnings()).isEmpty();
        robot.interact(() -> vm.openResults(folder));
        TestContexts.await(WAIT, () -> shown.getText().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(shown.getText()).isEmpty();
        assertThat(shown.isVisible()).isFalse();
    }

    /** Emits a stage, a training run's start and updates; the first invocation waits for Stop, the second finishes. */
    static final class FakeRunner implements StudyRunner {
        final AtomicInteger invocations = new AtomicInteger();
        final CountDownLatch firstStarted = new CountDownLatch(1);

        static FinetuneMetrics update(int u) {
            return new FinetuneMetrics(u, 0, 100.0 / u, 1e-3, 1, "all", 10, 500, 0.1, u * 0.1, false, 4, 0);
        }

        @Override
        public Run create(ExperimentConfig cfg, Path out, Path home, Consumer<String> log, TrainingListener listener) {
            int n = invocations.incrementAndGet();
            CountDownLatch stop = new CountDownLatch(1);
            return new Run() {
                @Override
                public Results run() throws Exception {
                    log.accept("seed 1: labeled subset of 60 utterances (10.0 min) from 8 speakers");
                    log.accept("wav2vec 2.0 from scratch, seed 1, setting [lr=1e-3]: " + out.resolve("runs/seed-1/scratch-g0"));
                    int from = n == 1 ? 0 : 5;
                    listener.onEvent(new TrainingEvent.Started("scratch-g0", out.resolve("runs/seed-1/scratch-g0"),
                            "cpu", 1000, from, 10));
                    if (n == 1) {
                        for (int u = 1; u <= 5; u++) {
                            listener.onEvent(new TrainingEvent.FinetuneUpdated(update(u)));
                        }
                        firstStarted.countDown();
                        if (!stop.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never pressed Stop");
                        }
                        listener.onEvent(new TrainingEvent.StateChanged(RunState.STOPPED, "stopped"));
                        throw new CancellationException("experiment stopped; run it again with the same folder to continue");
                    }
                    for (int u = 6; u <= 10; u++) {
                        listener.onEvent(new TrainingEvent.FinetuneUpdated(update(u)));
                    }
                    listener.onEvent(new TrainingEvent.StateChanged(RunState.FINISHED, ""));
                    Results r = StudyFixtures.results();
                    StudyFixtures.write(out, r);
                    log.accept("wav2vec 2.0 from scratch, seed 1, setting [lr=1e-3]: best validation WER 85.00 %, CER 42.50 %");
                    return r;
                }

                @Override
                public void requestStop() {
                    stop.countDown();
                }
            };
        }
    }

    @Test
    void progressShowsTheStageAndUpdatesStopKeepsTheFolderAndContinueFinishesIntoTheResults(FxRobot robot)
            throws Exception {
        FakeRunner fake = new FakeRunner();
        StudyScreen screen = show(robot, fake);
        StudyViewModel vm = screen.viewModel();
        Path out = tmp.resolve("exp");
        type(robot, "study-out", out.toString());
        robot.clickOn("#study-start");
        assertThat(vm.pageProperty().get()).isEqualTo(StudyViewModel.Page.PROGRESS);
        assertThat(fake.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        StudyProgressViewModel p = vm.progress();
        TestContexts.await(WAIT, () -> p.progressProperty().get() == 0.5, () -> p.progressTextProperty().get());
        assertThat(p.progressTextProperty().get()).isEqualTo("runs/seed-1/scratch-g0: update 5 of 10");
        assertThat(robot.lookup("#study-stage").queryAs(Label.class).getText())
                .startsWith("wav2vec 2.0 from scratch, seed 1, setting [lr=1e-3]");
        assertThat(p.log()).hasSize(2);
        assertThat(robot.lookup("#study-continue").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(vm.canStartProperty().get()).isFalse();

        robot.clickOn("#study-stop");
        TestContexts.await(WAIT, () -> p.phaseProperty().get() == Phase.STOPPED, () -> p.phaseProperty().get().name());
        Label message = robot.lookup("#study-message").queryAs(Label.class);
        assertThat(message.getText()).startsWith("Stopped.").contains(out.toString()).contains("Continue");
        assertThat(message.isVisible()).isTrue();
        assertThat(robot.lookup("#study-stop").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#study-continue").queryAs(Button.class).isDisabled()).isFalse();

        robot.clickOn("#study-continue");
        TestContexts.await(WAIT, () -> p.phaseProperty().get() == Phase.FINISHED, () -> p.phaseProperty().get().name());
        assertThat(fake.invocations.get()).isEqualTo(2);
        TestContexts.await(WAIT, () -> vm.results().resultsProperty().get() != null
                && vm.pageProperty().get() == StudyViewModel.Page.RESULTS);
        assertThat(vm.results().resultsProperty().get().folder()).isEqualTo(out);
        assertThat(p.log()).anyMatch(l -> l.contains("continuing in " + out)).anyMatch(l -> l.contains("best validation"));
        assertThat(p.messageProperty().get()).contains(out.resolve("results.md").toString());
        assertThat(vm.canStartProperty().get()).isTrue();
    }

    @Test
    void aFailedStageShowsAReadableMessageNamingTheStageAndCanBeContinued(FxRobot robot) {
        AtomicInteger calls = new AtomicInteger();
        StudyRunner failing = (cfg, out, home, log, listener) -> new StudyRunner.Run() {
            @Override
            public Results run() throws Exception {
                calls.incrementAndGet();
                log.accept("80 log-mel + conv AM, seed 1, setting [lr=1e-3]: 4 updates");
                throw new IOException("test set real: /nowhere/real does not exist");
            }

            @Override
            public void requestStop() {
            }
        };
        StudyScreen screen = show(robot, failing);
        type(robot, "study-out", tmp.resolve("exp").toString());
        robot.clickOn("#study-start");
        StudyProgressViewModel p = screen.viewModel().progress();
        TestContexts.await(WAIT, () -> p.phaseProperty().get() == Phase.FAILED);
        assertThat(p.messageProperty().get())
                .startsWith("Failed during \"80 log-mel + conv AM, seed 1, setting [lr=1e-3]: 4 updates\": "
                        + "test set real: /nowhere/real does not exist")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(robot.lookup("#study-message").queryAs(Label.class).getStyleClass()).contains("error-text");
        assertThat(p.canContinue()).isTrue();
        robot.clickOn("#study-continue");
        TestContexts.await(WAIT, () -> calls.get() == 2 && p.phaseProperty().get() == Phase.FAILED);
    }
}
