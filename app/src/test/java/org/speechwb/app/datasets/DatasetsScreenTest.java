package org.speechwb.app.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.charts.SpectrogramView;
import org.speechwb.app.charts.WaveformView;
import org.speechwb.app.shell.Notifier;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.features.Spectrogram;
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

    private static void wheel(FxRobot robot, WaveformView waveform, double x, double deltaY) {
        // Monocle's headless robot does not deliver wheel events, so the wheel is fired at the canvas
        javafx.scene.Node target = waveform.getChildrenUnmodifiable().get(0);
        javafx.geometry.Point2D sc = target.localToScene(x, 40);
        javafx.geometry.Point2D scr = target.localToScreen(x, 40);
        robot.interact(() -> javafx.event.Event.fireEvent(target, new javafx.scene.input.ScrollEvent(
                javafx.scene.input.ScrollEvent.SCROLL, sc.getX(), sc.getY(), scr.getX(), scr.getY(), false, false, false,
                false, false, false, 0, deltaY, 0, deltaY, javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theSpectrogramSitsUnderTheWaveformAndFollowsItsZoom(FxRobot robot) throws Exception {
        awaitBundled();
        var waveform = robot.lookup("#waveform").queryAs(WaveformView.class);
        var spectrogram = robot.lookup("#spectrogram").queryAs(SpectrogramView.class);
        TestContexts.await(LONG, () -> vm.clipProperty().get() != null && spectrogram.spectrogramProperty().get() != null);
        int n = vm.clipProperty().get().samples().length;
        Spectrogram mel = spectrogram.spectrogramProperty().get();
        assertThat(mel.scale()).isEqualTo(Spectrogram.Scale.LOG_MEL);
        assertThat(mel.samples()).isEqualTo(n);
        assertThat(mel.frames()).isEqualTo(1 + (n - 400) / 160);
        assertThat(mel.bins()).isEqualTo(80);
        // same width, same x: frame t's column starts where the waveform draws its hop around the frame's centre
        assertThat(spectrogram.getWidth()).isEqualTo(waveform.getWidth());
        assertThat(spectrogram.getLayoutY()).isGreaterThan(waveform.getLayoutY() + waveform.getHeight() - 1);
        assertThat(spectrogram.columnX(100)).isCloseTo(waveform.sampleToX(100 * 160 + 120), within(1e-9));
        // drawn: speech is not all one colour
        Image shot = WaitForAsyncUtils.asyncFx(() -> spectrogram.snapshot(null, null)).get(10, TimeUnit.SECONDS);
        int y = (int) (spectrogram.getHeight() * 0.8);
        long colours = IntStream.range(0, (int) spectrogram.getWidth()).map(x -> shot.getPixelReader().getArgb(x, y))
                .distinct().count();
        assertThat(colours).isGreaterThan(20);

        robot.clickOn("#spectrogram-scale-linear");
        TestContexts.await(LONG, () -> spectrogram.spectrogramProperty().get() != null
                && spectrogram.spectrogramProperty().get().scale() == Spectrogram.Scale.LINEAR);
        assertThat(spectrogram.spectrogramProperty().get().bins()).isEqualTo(257);

        // the wheel zooms in around the pointer, and the spectrogram shows the same samples
        double x = waveform.getWidth() / 3;
        double anchor = waveform.xToSample(x);
        wheel(robot, waveform, x, 120);
        double span = waveform.viewEndProperty().get() - waveform.viewStartProperty().get();
        assertThat(span).isCloseTo(n / Math.pow(1.25, 3), within(1.0));
        assertThat(waveform.sampleToX(anchor)).isCloseTo(x, within(1e-3));
        assertThat(spectrogram.viewStartProperty().get()).isEqualTo(waveform.viewStartProperty().get());
        assertThat(spectrogram.viewEndProperty().get()).isEqualTo(waveform.viewEndProperty().get());
        assertThat(spectrogram.columnX(100)).isCloseTo(waveform.sampleToX(100 * 160 + 120), within(1e-9));

        // a drag zooms to the dragged samples
        double from = waveform.getWidth() * 0.25;
        double to = waveform.getWidth() * 0.5;
        double s0 = waveform.xToSample(from);
        double s1 = waveform.xToSample(to);
        var origin = waveform.localToScreen(0, 30);
        robot.drag(new javafx.geometry.Point2D(origin.getX() + from, origin.getY()), MouseButton.PRIMARY)
                .dropTo(new javafx.geometry.Point2D(origin.getX() + to, origin.getY()));
        WaitForAsyncUtils.waitForFxEvents();
        double perPixel = span / waveform.getWidth();
        assertThat(waveform.viewStartProperty().get()).isCloseTo(s0, within(2 * perPixel));
        assertThat(waveform.viewEndProperty().get()).isCloseTo(s1, within(2 * perPixel));
        assertThat(spectrogram.viewStartProperty().get()).isEqualTo(waveform.viewStartProperty().get());

        // a double-click shows everything again
        robot.doubleClickOn(waveform, MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(waveform.viewStartProperty().get()).isZero();
        assertThat(waveform.viewEndProperty().get()).isEqualTo(n);
        assertThat(spectrogram.viewEndProperty().get()).isEqualTo(n);
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

    /** A folder with one good file, two the scan keeps although damaged and two it must skip. */
    private static Path damagedFolder() throws Exception {
        Path dir = tmp.resolve("damaged-" + System.nanoTime());
        Files.createDirectories(dir);
        java.util.Random r = new java.util.Random(3);
        float[] noise = new float[49_600];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.3 * r.nextGaussian());
        }
        org.speechwb.engine.audio.WavWriter.write(dir.resolve("good.wav"), noise, 16_000,
                org.speechwb.engine.audio.WavWriter.Encoding.PCM_S16);
        Path flac = dir.resolve("cut.flac");
        org.speechwb.engine.audio.FlacWriter.write(flac, noise, 16_000);
        byte[] f = Files.readAllBytes(flac);
        Files.write(flac, java.util.Arrays.copyOf(f, f.length / 10));
        byte[] w = Files.readAllBytes(dir.resolve("good.wav"));
        java.nio.ByteBuffer.wrap(w, 40, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(2_000_000_000);
        assertThat(new String(w, 36, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("data");
        Files.write(dir.resolve("huge.wav"), w);
        byte[] rate = Files.readAllBytes(dir.resolve("good.wav"));
        java.nio.ByteBuffer.wrap(rate, 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1_092_676);
        Files.write(dir.resolve("rate.wav"), rate);
        java.nio.ByteBuffer hurf = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        hurf.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(56)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("HURF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(960_051_513);
        Files.write(dir.resolve("hurf.wav"), hurf.array());
        return dir;
    }

    @Test
    void skippedFilesShowTheirFullReasonAndDamagedKeptFilesAreWarnedAbout(FxRobot robot) throws Exception {
        awaitBundled();
        Path dir = damagedFolder();
        robot.interact(() -> vm.open(dir));
        TestContexts.await(LONG, () -> !vm.scanningProperty().get() && vm.datasetProperty().get() != null
                && vm.datasetProperty().get().root().equals(dir));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#skipped-table").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(2);
        // every cell carries the whole reason as its tooltip, however narrow the column
        List<String> tips = robot.lookup("#skipped-table .table-cell").queryAllAs(javafx.scene.control.TableCell.class)
                .stream().filter(c -> !c.isEmpty() && c.getTooltip() != null).map(c -> c.getTooltip().getText()).toList();
        assertThat(tips).anyMatch(t -> t.contains("hurf.wav") && t.contains("chunk 'HURF' at byte 12 claims 960051513 bytes"));
        assertThat(tips).anyMatch(t -> t.contains("rate.wav") && t.contains("sample rate 1092676 Hz"));
        // and the selected row is spelled out in full below the table
        Label detail = robot.lookup("#skipped-detail").queryAs(Label.class);
        assertThat(detail.isVisible()).isTrue();
        assertThat(detail.getText()).contains("hurf.wav").contains("claims 960051513 bytes");
        robot.interact(() -> table.getSelectionModel().select(1));
        assertThat(detail.getText()).contains("rate.wav").contains("sample rate 1092676 Hz");
        // files kept although damaged are warned about in the summary, not only in the log
        Label warnings = robot.lookup("#dataset-warnings").queryAs(Label.class);
        assertThat(warnings.isVisible()).isTrue();
        assertThat(warnings.getText()).contains("2 file(s) only partly readable")
                .contains("cut.flac: STREAMINFO promises 49600 samples (3.10 s)")
                .contains("huge.wav: the 'data' chunk claims 2000000000 bytes");
        assertThat(vm.datasetProperty().get().utterances()).hasSize(3);
    }
}
