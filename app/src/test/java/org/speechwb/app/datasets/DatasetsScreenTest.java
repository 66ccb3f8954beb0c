package org.speechwb.app.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.Notifier;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class DatasetsScreenTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private ScreenContext ctx;
    private DatasetsScreen screen;
    private DatasetsViewModel vm;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp.resolve("t" + System.nanoTime()));
        screen = new DatasetsScreen(ctx);
        vm = screen.viewModel();
        Scene scene = new Scene((javafx.scene.Parent) screen.view(), 1280, 800);
        scene.getStylesheets().add(Screens.stylesheet());
        stage.setScene(scene);
        stage.show();
        screen.onShown();
    }

    private void awaitBundled() {
        TestContexts.await(LONG, () -> vm.datasetProperty().get() != null && !vm.scanningProperty().get()
                && ctx.session().splitsProperty().get() != null);
    }

    @Test
    void opensTheBundledCorpusAndShowsItsSummaryAndSplits(FxRobot robot) {
        awaitBundled();
        assertThat(robot.lookup("#summary-utterances").queryAs(Label.class).getText()).isEqualTo("547");
        assertThat(robot.lookup("#summary-speakers").queryAs(Label.class).getText()).isEqualTo("20");
        assertThat(robot.lookup("#summary-labeled").queryAs(Label.class).getText()).isEqualTo("100%");
        TableView<?> splits = robot.lookup("#split-table").queryAs(TableView.class);
        assertThat(splits.getItems()).hasSize(3);
        List<SplitRow> rows = vm.splitRows();
        assertThat(rows).extracting(SplitRow::split).containsExactly("train", "valid", "test");
        assertThat(rows.stream().mapToInt(SplitRow::utterances).sum()).isEqualTo(547);
        assertThat(rows).allMatch(r -> r.utterances() > 0);
        assertThat(ctx.session().datasetSummaryProperty().get().utterances()).isEqualTo(547);
        assertThat(ctx.session().trainingUtterances()).hasSize(rows.get(0).utterances());
        assertThat(robot.lookup("#speakers-table").queryAs(TableView.class).getItems()).hasSize(20);
        // remembered for the next launch
        assertThat(ctx.preferences().values().lastDataset).endsWith("harvard-tts");
    }

    @Test
    void selectingAnUtteranceShowsItsWaveformAndTranscript(FxRobot robot) {
        awaitBundled();
        robot.clickOn("#utterance-filter").write("trust fund");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.utterances()).isNotEmpty();
        Utterance target = vm.utterances().get(0);
        assertThat(target.transcript()).containsIgnoringCase("trust fund");
        robot.clickOn(robot.lookup("#utterance-table .table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
        TestContexts.await(Duration.ofSeconds(10), () -> vm.selectedProperty().get() == target);
        TestContexts.await(LONG, () -> vm.clipProperty().get() != null || !vm.clipErrorProperty().get().isEmpty());
        assertThat(vm.clipErrorProperty().get()).isEmpty();
        var waveform = robot.lookup("#waveform").queryAs(org.speechwb.app.charts.WaveformView.class);
        assertThat(waveform.samplesProperty().get()).hasSize(vm.clipProperty().get().samples().length);
        assertThat(waveform.samplesProperty().get().length).isCloseTo((int) Math.round(target.seconds() * 16000),
                org.assertj.core.data.Offset.offset(2));
        assertThat(robot.lookup("#transcript").queryAs(Label.class).getText()).isEqualTo(target.transcript());
        // no sound device on a test machine: the button is disabled with a reason, nothing crashes
        if (!vm.playbackUnavailableProperty().get().isEmpty()) {
            assertThat(robot.lookup("#play").queryButton().isDisabled()).isTrue();
            assertThat(robot.lookup("#playback-note").queryAs(Label.class).getText()).startsWith("Playback unavailable");
        }
    }

    @Test
    void aScanCanBeCancelledAndKeepsThePreviousDataset(FxRobot robot) throws Exception {
        awaitBundled();
        // a folder of thousands of files (hard links of one recording) scans long enough to cancel
        Path big = tmp.resolve("big-" + System.nanoTime());
        Files.createDirectories(big);
        Path one = ctx.session().dataset().utterances().get(0).audio();
        for (int i = 0; i < 50_000; i++) {
            Files.createLink(big.resolve(String.format("u%05d.flac", i)), one);
        }
        robot.interact(() -> vm.open(big));
        TestContexts.await(LONG, () -> vm.progressProperty().get() > 0);
        assertThat(vm.progressProperty().get()).isLessThan(1);
        robot.clickOn("#cancel-scan");
        TestContexts.await(LONG, () -> !vm.scanningProperty().get());
        assertThat(vm.statusProperty().get()).contains("cancelled");
        assertThat(vm.datasetProperty().get().root().getFileName().toString()).isEqualTo("harvard-tts");
        assertThat(ctx.session().dataset().utterances()).hasSize(547);
    }

    @Test
    void aSpeakerSplitKeepsVoicesApartAndReachesTheSession(FxRobot robot) {
        awaitBundled();
        robot.interact(() -> vm.strategyProperty().set(DatasetSplitter.Strategy.SPEAKER));
        TestContexts.await(LONG, () -> ctx.session().splitChoiceProperty().get().strategy()
                == DatasetSplitter.Strategy.SPEAKER);
        var splits = ctx.session().splitsProperty().get();
        assertThat(splits.size()).isEqualTo(547);
        var trainSpeakers = splits.train().stream().map(Utterance::speaker).distinct().toList();
        assertThat(splits.valid()).noneMatch(u -> trainSpeakers.contains(u.speaker()));
        assertThat(splits.test()).noneMatch(u -> trainSpeakers.contains(u.speaker()));
        assertThat(vm.splitRows()).hasSize(3);
        assertThat(vm.splitRows().get(1).utterances()).isEqualTo(splits.valid().size());
    }

    @Test
    void aFolderWithoutAudioGivesAReadableError(FxRobot robot) throws Exception {
        awaitBundled();
        Path empty = Files.createDirectories(tmp.resolve("empty-" + System.nanoTime()));
        robot.interact(() -> vm.open(empty));
        TestContexts.await(LONG, () -> !vm.scanningProperty().get()
                && vm.statusProperty().get().startsWith("Could not open"));
        assertThat(vm.statusProperty().get()).contains("no dataset found");
        assertThat(ctx.notifier().history()).anyMatch(n -> n.level() == Notifier.Level.ERROR
                && n.message().contains("no dataset found"));
        assertThat(vm.datasetProperty().get().utterances()).hasSize(547);
    }

    private void typeInPathBoxAndPressEnter(FxRobot robot, String text) {
        var box = robot.lookup("#dataset-path").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(() -> {
            box.getEditor().requestFocus();
            box.getEditor().selectAll();
        });
        robot.write(text);
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aPathTypedIntoThePathBoxOpensOnEnter(FxRobot robot) {
        awaitBundled();
        Path realSpeech = TestContexts.home().resolve("datasets/real-speech");
        typeInPathBoxAndPressEnter(robot, realSpeech.toString());
        TestContexts.await(Duration.ofSeconds(30), () -> !vm.scanningProperty().get() && vm.datasetProperty().get() != null
                && vm.datasetProperty().get().root().equals(realSpeech), () -> vm.statusProperty().get());
        assertThat(vm.statusProperty().get()).startsWith("real-speech");
        assertThat(ctx.session().dataset().root()).isEqualTo(realSpeech);
    }

    @Test
    void aBadPathTypedIntoThePathBoxSaysSo(FxRobot robot) {
        awaitBundled();
        Path missing = tmp.resolve("no-such-dataset-" + System.nanoTime());
        typeInPathBoxAndPressEnter(robot, missing.toString());
        TestContexts.await(Duration.ofSeconds(30), () -> !vm.scanningProperty().get()
                && vm.statusProperty().get().startsWith("Could not open"), () -> vm.statusProperty().get());
        assertThat(robot.lookup("#dataset-status").queryAs(Label.class).getText())
                .isEqualTo("Could not open " + missing + ": no such file or folder");
        assertThat(ctx.notifier().history()).anyMatch(n -> n.level() == Notifier.Level.ERROR
                && n.message().contains("no such file or folder"));
        // the dataset shown before stays
        assertThat(vm.datasetProperty().get().utterances()).hasSize(547);
    }
}
