package org.speechwb.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.features.Spectrogram;
import org.speechwb.engine.inspect.Inspection;
import org.speechwb.engine.run.RunFolder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Inspect screen on a real checkpoint of the tiny model and real corpus audio. */
@ExtendWith(ApplicationExtension.class)
class InspectViewTest {

    private ExecutorService worker;
    private InspectViewModel vm;
    private InspectView view;
    private RunFolder run;

    @Start
    void start(Stage stage) throws Exception {
        run = TinyFixtures.trainedRun();
        worker = Executors.newSingleThreadExecutor();
        vm = new InspectViewModel(worker);
        view = new InspectView(vm, new AudioPlayback.Availability(false, "tests run headless"));
        vm.utterances().setAll(TinyFixtures.train(24));
        stage.setScene(new Scene(view, 1200, 720));
        stage.show();
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private Inspection inspectFirstUtterance(FxRobot robot) throws Exception {
        Path ckpt = run.checkpoints().get(0);
        robot.interact(() -> {
            vm.selectCheckpoint(ckpt, run.id());
            vm.utteranceProperty().set(vm.utterances().get(0));
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.canvas().inspection() != null);
        WaitForAsyncUtils.waitForFxEvents();
        return view.canvas().inspection();
    }

    @Test
    void maskSpansAreShadedExactlyOverTheSamplesTheirFramesCover(FxRobot robot) throws Exception {
        Inspection in = inspectFirstUtterance(robot);
        assertThat(in.update()).isEqualTo(3);
        assertThat(in.maskSpans()).isNotEmpty();
        SampleAxis axis = view.canvas().axis();
        List<TierLayout.SpanRect> rects = view.canvas().maskRects();
        assertThat(rects).hasSize(in.maskSpans().size());
        for (int i = 0; i < rects.size(); i++) {
            Inspection.MaskSpan s = in.maskSpans().get(i);
            TierLayout.SpanRect r = rects.get(i);
            // the engine's span covers the receptive fields of its frames
            assertThat(s.startSample()).isEqualTo(s.startFrame() * in.hopSamples());
            assertThat(s.endSample()).isEqualTo((s.endFrame() - 1) * in.hopSamples() + in.receptiveField());
            assertThat(r.x()).isEqualTo(axis.x(s.startSample()));
            assertThat(r.width()).isEqualTo(axis.x(s.endSample()) - axis.x(s.startSample()));
        }
        // and they are really painted there: orange at the top of the waveform band inside a span, white outside
        InspectionCanvas.Band wave = view.canvas().band(InspectionCanvas.WAVEFORM);
        robot.interact(() -> view.canvas().paint());
        Image shot = snapshot(robot);
        TierLayout.SpanRect first = rects.get(0);
        Color inside = shot.getPixelReader().getColor((int) (first.x() + first.width() / 2), (int) wave.y() + 2);
        assertThat(inside.getRed()).isGreaterThan(inside.getBlue() + 0.1);
        boolean[] covered = new boolean[(int) in.samples() + 1];
        for (Inspection.MaskSpan s : in.maskSpans()) {
            for (long k = s.startSample(); k < s.endSample() && k < covered.length; k++) {
                covered[(int) k] = true;
            }
        }
        int freeX = IntStream.range((int) axis.left() + 2, (int) (axis.left() + axis.width()) - 2)
                .filter(x -> {
                    double a = axis.sampleAt(x - 2);
                    double b = axis.sampleAt(x + 3);
                    return IntStream.range((int) Math.max(0, a), (int) Math.min(covered.length - 1, b))
                            .noneMatch(k -> covered[k]);
                }).findFirst().orElseThrow();
        Color outside = shot.getPixelReader().getColor(freeX, (int) wave.y() + 2);
        assertThat(outside).isEqualTo(Color.WHITE);
    }

    private Image snapshot(FxRobot robot) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> view.canvas().snapshot(null, null)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void codeTiersHaveOneCellPerFrameAndPredictionsOnlyOnMaskedFrames(FxRobot robot) throws Exception {
        Inspection in = inspectFirstUtterance(robot);
        SampleAxis axis = view.canvas().axis();
        int groups = in.codes()[0].length;
        assertThat(groups).isEqualTo(2);
        for (int g = 0; g < groups; g++) {
            assertThat(view.canvas().band(InspectionCanvas.codeTierName(g))).isNotNull();
            List<TierLayout.Cell> cells = view.canvas().codeCells(g);
            assertThat(cells).hasSize(in.frames());
            for (TierLayout.Cell c : cells) {
                assertThat(c.value()).isEqualTo(in.codes()[c.frame()][g]);
                assertThat(c.x()).isEqualTo(axis.x(c.frame() * in.hopSamples()));
                assertThat(c.x() + c.width()).isCloseTo(axis.x((c.frame() + 1) * in.hopSamples()), within(1e-9));
            }
        }
        List<Integer> predicted = view.canvas().predictionCells().stream().map(TierLayout.Cell::frame).toList();
        List<Integer> masked = IntStream.range(0, in.frames()).filter(t -> in.masked()[t]).boxed().toList();
        assertThat(predicted).containsExactlyElementsOf(masked);
        for (TierLayout.Cell c : view.canvas().predictionCells()) {
            assertThat(c.value() == 1).isEqualTo(in.correct()[c.frame()]);
        }
        long right = view.canvas().predictionCells().stream().filter(c -> c.value() == 1).count();
        assertThat(in.accuracy()).isCloseTo((double) right / masked.size(), within(1e-6));
        // fine-tuning tiers are shown, and shown as unavailable
        for (InspectionCanvas.UnavailableTier u : InspectViewModel.FINE_TUNING_TIERS) {
            assertThat(view.canvas().band(u.name())).isNotNull();
        }
    }

    @Test
    void zoomKeepsAllTiersOnTheSameMapping(FxRobot robot) throws Exception {
        Inspection in = inspectFirstUtterance(robot);
        SampleAxis axis = view.canvas().axis();
        Inspection.MaskSpan s = in.maskSpans().get(0);
        double before = axis.samplesPerPixel();
        // Monocle's headless robot does not deliver wheel events, so the wheel is fired at the canvas
        double x = axis.left() + axis.width() / 2;
        double anchor = axis.sampleAt(x);
        javafx.scene.Node target = view.canvas().getChildrenUnmodifiable().get(0);
        javafx.geometry.Point2D sc = target.localToScene(x, 100);
        javafx.geometry.Point2D scr = target.localToScreen(x, 100);
        robot.interact(() -> javafx.event.Event.fireEvent(target,
                new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, sc.getX(), sc.getY(), scr.getX(),
                        scr.getY(), false, false,
                        false, false, false, false, 0, 120, 0, 120, javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE,
                        0, javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(axis.samplesPerPixel()).isLessThan(before);
        // the sample under the pointer stays under it
        assertThat(axis.x(anchor)).isCloseTo(x, within(1e-6));
        robot.clickOn("#inspect-zoom-in");
        WaitForAsyncUtils.waitForFxEvents();
        TierLayout.SpanRect r = view.canvas().maskRects().get(0);
        assertThat(r.x()).isEqualTo(axis.x(s.startSample()));
        TierLayout.Cell c = view.canvas().codeCells(0).get(s.startFrame());
        assertThat(c.x()).isEqualTo(r.x());
    }

    @Test
    void theSpectrogramSitsUnderTheWaveformOnTheSameAxis(FxRobot robot) throws Exception {
        robot.interact(() -> vm.utteranceProperty().set(vm.utterances().get(2)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.canvas().spectrogram() != null);
        WaitForAsyncUtils.waitForFxEvents();
        InspectionCanvas c = view.canvas();
        Spectrogram s = c.spectrogram();
        float[] audio = vm.audioProperty().get();
        assertThat(s.samples()).isEqualTo(audio.length);
        assertThat(s.scale()).isEqualTo(Spectrogram.Scale.LOG_MEL);
        InspectionCanvas.Band wave = c.band(InspectionCanvas.WAVEFORM);
        InspectionCanvas.Band spec = c.band(InspectionCanvas.SPECTROGRAM);
        assertThat(spec.y()).isCloseTo(wave.y() + wave.height() + InspectionCanvas.GAP, within(1e-9));
        assertThat(spec.height()).isGreaterThanOrEqualTo(InspectionCanvas.MIN_SPECTROGRAM_HEIGHT);
        SampleAxis axis = c.axis();
        // zoomed in, column t still starts at the hop around frame t's centre on the shared mapping
        robot.interact(() -> axis.show(8000, 12000));
        for (int t : new int[] {50, 60, 70}) {
            assertThat(c.spectrogramColumnX(t)).isEqualTo(axis.x(t * 160 + 120));
        }
        robot.interact(c::paint);
        Image shot = snapshot(robot);
        int y = (int) (spec.y() + spec.height() * 0.7);
        long colours = IntStream.range((int) axis.left() + 1, (int) (axis.left() + axis.width()) - 1)
                .map(x -> shot.getPixelReader().getArgb(x, y)).distinct().count();
        assertThat(colours).as("a painted spectrogram, not an empty tier").isGreaterThan(10);
        // frame 60's column is painted where the mapping puts it: one flat colour across a zoomed-in hop
        double x0 = c.spectrogramColumnX(60);
        double x1 = c.spectrogramColumnX(61);
        assertThat(x1 - x0).isGreaterThan(6);
        assertThat(shot.getPixelReader().getArgb((int) Math.ceil(x0) + 1, y))
                .isEqualTo(shot.getPixelReader().getArgb((int) Math.floor(x1) - 2, y));

        robot.clickOn("#inspect-spectrogram-linear");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> c.spectrogram() != null
                && c.spectrogram().scale() == Spectrogram.Scale.LINEAR);
        assertThat(c.spectrogram().bins()).isEqualTo(257);
        assertThat(vm.spectrogram().scaleProperty().get()).isEqualTo(Spectrogram.Scale.LINEAR);
        // the zoom survives the switch
        assertThat(axis.viewStart()).isEqualTo(8000.0);
    }

    @Test
    void resampleMaskDrawsNewSpans(FxRobot robot) throws Exception {
        Inspection first = inspectFirstUtterance(robot);
        String before = spans(first);
        robot.clickOn("#inspect-resample");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.canvas().inspection() != first);
        WaitForAsyncUtils.waitForFxEvents();
        Inspection second = view.canvas().inspection();
        assertThat(second.maskSeed()).isNotEqualTo(first.maskSeed());
        assertThat(spans(second)).isNotEqualTo(before);
        assertThat(view.canvas().maskRects()).hasSize(second.maskSpans().size());
    }

    /** A model pre-trained on MFCC cluster targets: one code tier, each frame's cluster, and the status says so. */
    @Test
    void aClusterTargetModelShowsEachFramesClusterInOneTier(FxRobot robot) throws Exception {
        run = TinyFixtures.clusterRun();
        Inspection in = inspectFirstUtterance(robot);
        assertThat(in.codes()[0]).hasSize(1);
        assertThat(java.util.Arrays.stream(in.codes()).mapToInt(c -> c[0]).allMatch(k -> k >= 0 && k < 8)).isTrue();
        assertThat(view.canvas().band(InspectionCanvas.codeTierName(0))).isNotNull();
        assertThat(view.canvas().band(InspectionCanvas.codeTierName(1))).as("no empty second tier").isNull();
        assertThat(view.canvas().codeCells(0)).hasSize(in.frames());
        assertThat(vm.statusProperty().get()).contains("MFCC-cluster prediction").contains("cluster perplexity");
    }

    @Test
    void unreadableCheckpointShowsAReadableMessage(FxRobot robot, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path bad = dir.resolve("checkpoint-00000001.ckpt");
        java.nio.file.Files.writeString(bad, "not a zip");
        robot.interact(() -> {
            vm.utteranceProperty().set(vm.utterances().get(1));
            vm.selectCheckpoint(bad, "broken");
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !vm.errorProperty().get().isEmpty());
        assertThat(vm.errorProperty().get()).startsWith("Cannot use the checkpoint").doesNotContain("Exception");
        assertThat(robot.lookup("#inspect-error").queryLabeled().isVisible()).isTrue();
    }

    @Test
    void playbackIsDisabledWithAReasonWithoutAnAudioDevice(FxRobot robot) {
        assertThat(robot.lookup("#inspect-play").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#inspect-no-audio").queryLabeled().getText()).contains("Playback off");
        assertThat(robot.lookup("#inspect-no-audio").queryLabeled().getTooltip().getText()).contains("tests run headless");
    }

    private static String spans(Inspection in) {
        return in.maskSpans().stream().map(s -> s.startFrame() + "-" + s.endFrame()).collect(Collectors.joining(","));
    }

    static Utterance first(List<Utterance> u) {
        return u.get(0);
    }
}
