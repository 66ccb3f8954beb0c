package org.speechwb.app.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javafx.geometry.Rectangle2D;
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
import org.speechwb.app.charts.WaveformView;
import org.speechwb.app.shell.ActiveRun;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ExperimentScreenTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private ExperimentScreen screen;
    private ExperimentViewModel vm;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new ExperimentScreen(ctx);
        vm = screen.viewModel();
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private void type(FxRobot robot, String fieldId, String text) {
        TextField tf = robot.lookup("#" + fieldId).queryAs(TextField.class);
        robot.interact(() -> tf.requestFocus());
        robot.interact(tf::selectAll);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void showCategory(FxRobot robot, String category) {
        var pane = robot.lookup(".titled-pane").queryAllAs(javafx.scene.control.TitledPane.class).stream()
                .filter(t -> category.equals(t.getText())).findFirst().orElseThrow();
        robot.interact(() -> {
            pane.setAnimated(false);
            pane.setExpanded(true);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aTooLongMaskSpanIsRejectedAsYouTypeAndAValidOneAccepted(FxRobot robot) {
        TestContexts.loadBundled(ctx);
        TestContexts.await(LONG, () -> vm.canStartProperty().get());
        showCategory(robot, "Masking");
        type(robot, "field-masking-maskLength", "60");
        Label err = robot.lookup("#field-masking-maskLength-error").queryAs(Label.class);
        assertThat(err.isVisible()).isTrue();
        assertThat(err.getText()).contains("mask span of 60 frames").contains("masking.maskLength");
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(vm.configProperty().get()).isNull();
        assertThat(ctx.session().configProperty().get()).isNull();
        assertThat(robot.lookup("#config-error").queryAs(Label.class).getText()).contains("mask span of 60 frames");

        type(robot, "field-masking-maskLength", "3");
        assertThat(err.isVisible()).isFalse();
        assertThat(vm.configProperty().get().masking().maskLength()).isEqualTo(3);
        assertThat(ctx.session().configProperty().get().masking().maskLength()).isEqualTo(3);
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void levelMatchedDistractorsAreALossFieldWithTheEnginesRule(FxRobot robot) {
        showCategory(robot, "Loss");
        type(robot, "field-loss-levelPool", "1");
        assertThat(robot.lookup("#field-loss-levelPool-error").queryAs(Label.class).getText())
                .contains("loss.levelPool must be 0").contains("at least 2");
        assertThat(vm.configProperty().get()).isNull();
        type(robot, "field-loss-levelPool", "40");
        assertThat(vm.configProperty().get().loss().levelPool()).isEqualTo(40);
        assertThat(vm.diff()).containsExactly(new DiffRow("loss.levelPool", "0", "40"));
    }

    @Test
    void mfccClusterTargetsAskForTheDiversityTermToBeSwitchedOff(FxRobot robot) {
        showCategory(robot, "Loss");
        type(robot, "field-loss-mfccClusters", "100");
        assertThat(robot.lookup("#config-error").queryAs(Label.class).getText())
                .contains("loss.diversityWeight weighs the quantizer's diversity term");
        assertThat(vm.configProperty().get()).isNull();
        type(robot, "field-loss-diversityWeight", "0");
        assertThat(vm.configProperty().get().loss().mfccClusters()).isEqualTo(100);
        assertThat(vm.diff()).contains(new DiffRow("loss.mfccClusters", "0", "100"));
        assertThat(vm.configProperty().get().loss().mfccCmvn()).isFalse();
        robot.clickOn("#field-loss-mfccCmvn");
        assertThat(vm.configProperty().get().loss().mfccCmvn()).isTrue();
        assertThat(vm.diff()).contains(new DiffRow("loss.mfccCmvn", "false", "true"));
        // without cluster targets there is nothing to normalise: the engine's rule, on the sheet
        type(robot, "field-loss-mfccClusters", "0");
        assertThat(robot.lookup("#config-error").queryAs(Label.class).getText())
                .contains("loss.mfccCmvn normalises the MFCCs of cluster targets");
    }

    @Test
    void textThatIsNotANumberIsFlaggedOnItsField(FxRobot robot) {
        showCategory(robot, "Run");
        type(robot, "field-run-maxUpdates", "lots");
        assertThat(robot.lookup("#field-run-maxUpdates-error").queryAs(Label.class).getText())
                .isEqualTo("'lots' is not a whole number");
        assertThat(vm.configProperty().get()).isNull();
        type(robot, "field-run-maxUpdates", "250");
        assertThat(vm.configProperty().get().run().maxUpdates()).isEqualTo(250);
        assertThat(vm.fieldErrors()).isEmpty();
    }

    @Test
    void maskPreviewShadesExactlyTheSamplesOfTheMaskedFrames(FxRobot robot) {
        TestContexts.loadBundled(ctx);
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null);
        PretrainConfig cfg = vm.configProperty().get();
        long hop = cfg.wav2vec2().hopSamples();
        long rf = cfg.wav2vec2().receptiveFieldSamples();
        MaskPreview p = vm.maskPreviewProperty().get();
        int samples = vm.previewClipProperty().get().samples().length;
        assertThat(p.samples()).isEqualTo(samples);
        assertThat(p.frames()).isEqualTo((int) cfg.wav2vec2().framesFor(samples));
        assertThat(p.spans()).isNotEmpty();
        int masked = 0;
        for (MaskPreview.Span s : p.spans()) {
            assertThat(s.startSample()).isEqualTo(s.firstFrame() * hop);
            assertThat(s.endSample()).isEqualTo(Math.min(samples, s.lastFrame() * hop + rf));
            for (int t = s.firstFrame(); t <= s.lastFrame(); t++) {
                assertThat(p.mask()[t]).isTrue();
            }
            if (s.firstFrame() > 0) {
                assertThat(p.mask()[s.firstFrame() - 1]).isFalse();
            }
            masked += s.lastFrame() - s.firstFrame() + 1;
        }
        assertThat(p.actualFraction()).isCloseTo((double) masked / p.frames(), within(1e-12));
        assertThat(p.expectedFraction()).isCloseTo(cfg.masking().expectedMaskedFrames(p.frames()) / p.frames(),
                within(1e-12));

        WaveformView wf = robot.lookup("#mask-waveform").queryAs(WaveformView.class);
        var rects = wf.drawnSpans();
        assertThat(rects).hasSize(p.spans().size());
        double width = wf.getWidth();
        for (int i = 0; i < rects.size(); i++) {
            Rectangle2D r = rects.get(i);
            MaskPreview.Span s = p.spans().get(i);
            assertThat(r.getMinX()).isCloseTo((double) s.startSample() / samples * width, within(1e-6));
            assertThat(r.getMaxX()).isCloseTo((double) s.endSample() / samples * width, within(1e-6));
        }
        assertThat(robot.lookup("#mask-numbers").queryAs(Label.class).getText()).contains("expected");

        long seed = p.seed();
        robot.clickOn("#mask-resample");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.maskPreviewProperty().get().seed()).isEqualTo(seed + 1);
    }

    @Test
    void theDiffListsAChangedFieldWithOldAndNewValue(FxRobot robot) {
        assertThat(vm.diff()).isEmpty();
        showCategory(robot, "Masking");
        type(robot, "field-masking-maskProb", "0.5");
        assertThat(vm.diff()).containsExactly(new DiffRow("masking.maskProb", "0.65", "0.5"));
        TableView<?> table = robot.lookup("#config-diff").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(1);
        type(robot, "field-masking-maskProb", "0.65");
        assertThat(vm.diff()).isEmpty();
    }

    @Test
    void aSavedConfigLoadsBackIdentically(FxRobot robot) throws Exception {
        double presetLr = vm.configProperty().get().optimizer().lr();
        showCategory(robot, "Optimizer");
        type(robot, "field-optimizer-lr", "0.0007");
        PretrainConfig edited = vm.configProperty().get();
        assertThat(edited.optimizer().lr()).isEqualTo(7e-4);
        Path yaml = tmp.resolve("edited-" + System.nanoTime() + ".yaml");
        Path json = tmp.resolve("edited-" + System.nanoTime() + ".json");
        robot.interact(() -> {
            try {
                vm.save(yaml);
                vm.save(json);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Files.readString(yaml)).contains("lr: 7.0E-4");
        robot.interact(vm::revertEdits);
        assertThat(vm.configProperty().get().optimizer().lr()).isEqualTo(presetLr);
        robot.interact(() -> {
            try {
                vm.loadNow(yaml);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(vm.configProperty().get()).isEqualTo(edited);
        assertThat(vm.diff()).extracting(DiffRow::path).containsExactly("optimizer.lr");
        assertThat(robot.lookup("#field-optimizer-lr").queryAs(TextField.class).getText()).isEqualTo("7.0E-4");
        assertThat(ConfigIO.read(json, PretrainConfig.class)).isEqualTo(edited);
    }

    @Test
    void schedulesArePlottedOverTheWholeRun(FxRobot robot) {
        PretrainConfig cfg = vm.configProperty().get();
        var lr = robot.lookup("#lr-chart").queryAs(org.speechwb.app.charts.MetricChart.class);
        assertThat(lr.pointCount("learning rate")).isEqualTo(cfg.run().maxUpdates());
        // the redraw pump (not a test hook) hands the curve to the renderer
        TestContexts.await(Duration.ofSeconds(10), () -> lr.displayedPointCount("learning rate") > 0);
        assertThat(robot.lookup("#model-size").queryAs(Label.class).getText())
                .contains(String.format(java.util.Locale.ROOT, "%,d parameters", ModelSize.parameters(cfg.wav2vec2())))
                .contains("49 frames per second");
    }

    @Test
    void startIsAvailableAgainAsSoonAsTheRunHasStopped(FxRobot robot) throws Exception {
        TestContexts.loadBundled(ctx);
        robot.interact(() -> {
            try {
                vm.loadNow(TestContexts.tinyConfig());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        robot.interact(() -> vm.edit("run.maxUpdates", "1000"));
        TestContexts.await(LONG, () -> vm.canStartProperty().get(), () -> vm.startBlockerProperty().get());
        robot.interact(vm::startTraining);
        TestContexts.await(LONG, () -> ctx.session().activeRun() != null);
        ActiveRun run = ctx.session().activeRun();
        assertThat(vm.startBlockerProperty().get()).contains("is still training");
        TestContexts.await(Duration.ofSeconds(180), () -> run.latestProperty().get() != null);
        run.requestStop();
        assertThat(run.completion().get(180, TimeUnit.SECONDS)).isEqualTo(RunState.STOPPED);
        // nothing on the screen is touched: the end of the run alone must unblock Start
        TestContexts.await(Duration.ofSeconds(5), () -> vm.canStartProperty().get(),
                () -> vm.startBlockerProperty().get());
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#start-blocker").queryAs(Label.class).getText()).isEmpty();
    }

    /** Two real recordings of the bundled corpus in a folder of their own, as a dataset. */
    private static Path twoRecordings() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("two-" + System.nanoTime()).resolve("spk"));
        Path corpus = TestContexts.home().resolve("datasets/harvard-tts/audio/espeak-en-gb-scotland+m2");
        Files.copy(corpus.resolve("espeak-en-gb-scotland+m2_s0169.flac"), dir.resolve("a.flac"));
        Files.copy(corpus.resolve("espeak-en-gb-scotland+m2_s0354.flac"), dir.resolve("b.flac"));
        return dir.getParent();
    }

    private void scanIntoSession(FxRobot robot, Path root) throws Exception {
        Dataset ds = DatasetLoader.open(root);
        robot.interact(() -> ctx.session().setDataset(ds, ds.summary(), SplitChoice.PREDEFINED_TRAIN, null));
    }

    private Utterance utterance(String file) {
        return vm.previewUtterances().stream().filter(u -> u.audio().getFileName().toString().equals(file))
                .findFirst().orElseThrow();
    }

    @Test
    void aFailedAudioReadShowsItsErrorAndTheNextGoodReadOrRescanRecovers(FxRobot robot) throws Exception {
        Path root = twoRecordings();
        Path a = root.resolve("spk/a.flac");
        byte[] good = Files.readAllBytes(a);
        scanIntoSession(robot, root);
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null);
        Label numbers = robot.lookup("#mask-numbers").queryAs(Label.class);

        // the file goes bad after the scan; reading it for the preview fails
        Files.write(a, "not audio".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        robot.interact(() -> vm.previewUtteranceProperty().set(utterance("b.flac")));
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null);
        robot.interact(() -> vm.previewUtteranceProperty().set(utterance("a.flac")));
        TestContexts.await(LONG, () -> numbers.getText().startsWith("Cannot read a.flac"), numbers::getText);
        assertThat(vm.maskPreviewProperty().get()).isNull();

        // a good read afterwards shows its masks
        robot.interact(() -> vm.previewUtteranceProperty().set(utterance("b.flac")));
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null, numbers::getText);
        assertThat(numbers.getText()).contains("expected");

        // back on the bad file, then it is repaired and the dataset rescanned: the same utterance reads now
        robot.interact(() -> vm.previewUtteranceProperty().set(utterance("a.flac")));
        TestContexts.await(LONG, () -> numbers.getText().startsWith("Cannot read a.flac"), numbers::getText);
        Files.write(a, good);
        scanIntoSession(robot, root);
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null, numbers::getText);
        assertThat(vm.previewUtteranceProperty().get().audio().getFileName().toString()).isEqualTo("a.flac");
        assertThat(numbers.getText()).contains("expected");
    }

    @Test
    void textThatIsNotANumberInvalidatesPreviewDiffAndStartLikeAnOutOfRangeValue(FxRobot robot) {
        TestContexts.loadBundled(ctx);
        TestContexts.await(LONG, () -> vm.maskPreviewProperty().get() != null && vm.canStartProperty().get());
        showCategory(robot, "Masking");
        type(robot, "field-masking-maskLength", "abc");
        assertThat(vm.configProperty().get()).isNull();
        assertThat(ctx.session().configProperty().get()).isNull();
        assertThat(vm.maskPreviewProperty().get()).isNull();
        assertThat(robot.lookup("#mask-numbers").queryAs(Label.class).getText()).isEqualTo("Invalid config.");
        assertThat(vm.diff()).anyMatch(r -> r.path().equals("masking.maskLength") && r.current().equals("abc"));
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(vm.startBlockerProperty().get()).isEqualTo("Fix the config first");

        // a valid edit elsewhere does not make the config usable while the bad text stays
        type(robot, "field-masking-maskProb", "0.5");
        assertThat(vm.configProperty().get()).isNull();
        assertThat(vm.maskPreviewProperty().get()).isNull();
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(vm.diff()).extracting(DiffRow::path).contains("masking.maskLength", "masking.maskProb");

        type(robot, "field-masking-maskLength", "5");
        assertThat(vm.configProperty().get()).isNotNull();
        assertThat(vm.fieldErrors()).isEmpty();
        assertThat(vm.maskPreviewProperty().get()).isNotNull();
        assertThat(vm.diff()).extracting(DiffRow::path).containsExactly("masking.maskProb");
        assertThat(robot.lookup("#start-training").queryAs(Button.class).isDisabled()).isFalse();
    }
}
