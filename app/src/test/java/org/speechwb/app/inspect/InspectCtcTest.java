package org.speechwb.app.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.ctc.Alignment;
import org.speechwb.engine.ctc.CtcAligner;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.ctc.WordSegment;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.AlignedPair;
import org.speechwb.engine.eval.EditAlignment;
import org.speechwb.engine.eval.EditOp;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Inspect screen on a real fine-tuned (CTC) checkpoint of the tiny model. */
@ExtendWith(ApplicationExtension.class)
class InspectCtcTest {

    @TempDir
    Path tmp;
    private ExecutorService worker;
    private InspectViewModel vm;
    private InspectView view;
    private RunFolder run;

    @Start
    void start(Stage stage) throws Exception {
        run = TinyFixtures.finetunedRun();
        worker = Executors.newSingleThreadExecutor();
        vm = new InspectViewModel(worker);
        view = new InspectView(vm, new AudioPlayback.Availability(false, "tests run headless"));
        vm.utterances().setAll(TinyFixtures.train(24));
        stage.setScene(new Scene(view, 1200, 760));
        stage.show();
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    @Test
    void wordTierBoxesSitAtTheEngineAlignmentsSamplesAndTranscriptsShowTheirDiff(FxRobot robot) throws Exception {
        Path best = run.bestCheckpointFile();
        Utterance u = vm.utterances().get(0);
        robot.interact(() -> {
            vm.selectCheckpoint(best, run.id());
            vm.utteranceProperty().set(u);
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.canvas().ctc() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.canvas().inspection()).as("no pre-training tiers for a CTC checkpoint").isNull();
        assertThat(view.canvas().band(InspectionCanvas.POSTERIORGRAM)).isNotNull();
        assertThat(view.canvas().band(InspectionCanvas.PREDICTION)).isNull();

        // the engine's own answer, computed independently of the app
        Recognizer r = Recognizer.open(best);
        float[][] lp = r.logProbs(AudioReader.read16k(u.audio()).samples());
        String ref = TranscriptNormalizer.normalize(u.transcript());
        Alignment expected = new CtcAligner(r.vocabulary()).align(lp, ref, r.frameSeconds());
        int hop = (int) Math.round(r.frameSeconds() * 16000);
        assertThat(hop).isEqualTo(320);

        SampleAxis axis = view.canvas().axis();
        List<TierLayout.Box> words = view.canvas().wordBoxes();
        assertThat(words).hasSize(expected.words().size()).hasSize(ref.split(" ").length);
        InspectionCanvas.Band tier = view.canvas().band(InspectionCanvas.WORDS);
        assertThat(tier.y()).isGreaterThan(view.canvas().band(InspectionCanvas.WAVEFORM).y());
        for (int i = 0; i < words.size(); i++) {
            WordSegment w = expected.words().get(i);
            TierLayout.Box b = words.get(i);
            assertThat(b.label()).isEqualTo(w.word());
            assertThat(b.startSample()).isEqualTo((long) w.startFrame() * hop);
            assertThat(b.endSample()).isEqualTo((long) w.endFrame() * hop);
            assertThat(b.startSample() / 16000.0).isCloseTo(w.startSeconds(), within(1e-9));
            // on the waveform's own axis: same sample, same pixel
            assertThat(b.x()).isCloseTo(axis.x(b.startSample()), within(1e-9));
            assertThat(b.x() + b.width()).isCloseTo(axis.x(b.endSample()), within(1e-9));
        }
        assertThat(view.canvas().letterBoxes()).hasSize(expected.tokens().size());
        // zooming moves the boxes with the waveform
        robot.interact(() -> axis.show(words.get(0).startSample(), words.get(0).endSample() + 4000));
        assertThat(view.canvas().wordBoxes().get(0).x()).isCloseTo(axis.left(), within(1e-6));

        // transcripts: the reference word by word, greedy marked by its word alignment
        assertThat(robot.lookup("#ctc-transcripts").query().isVisible()).isTrue();
        List<String> refWords = texts(view.transcripts().referenceRow().getChildren());
        assertThat(String.join(" ", refWords)).isEqualTo(ref);
        EditAlignment greedyDiff = EditAlignment.ofWords(ref, new GreedyDecoder(r.vocabulary()).decode(lp).text());
        List<Node> marked = view.transcripts().greedyRow().getChildren().stream()
                .filter(n -> n.getStyleClass().stream().anyMatch(c -> c.startsWith("diff-"))).toList();
        assertThat(marked).hasSize(greedyDiff.pairs().size());
        for (int i = 0; i < marked.size(); i++) {
            AlignedPair p = greedyDiff.pairs().get(i);
            String cls = "diff-" + p.op().name().toLowerCase(java.util.Locale.ROOT);
            assertThat(marked.get(i).getStyleClass()).contains(cls);
            assertThat(((Labeled) marked.get(i)).getText()).isEqualTo(p.op() == EditOp.DELETION ? p.ref() : p.hyp());
        }
        assertThat(robot.lookup("#inspect-status").queryLabeled().getText()).contains("greedy WER")
                .contains("CTC frames");
    }

    @Test
    void aCorruptCheckpointIsReportedReadably(FxRobot robot) throws Exception {
        Path bad = tmp.resolve("checkpoints").resolve("checkpoint-7.ckpt");
        Files.createDirectories(bad.getParent());
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        robot.interact(() -> {
            vm.selectCheckpoint(bad, "broken");
            vm.utteranceProperty().set(vm.utterances().get(0));
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.errorProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#inspect-error").queryLabeled().getText()).startsWith("Cannot use the checkpoint")
                .contains("checkpoint-7.ckpt");
        assertThat(view.canvas().ctc()).isNull();
        assertThat(robot.lookup("#ctc-transcripts").query().isVisible()).isFalse();
    }

    private static List<String> texts(List<Node> nodes) {
        return nodes.stream().map(n -> ((Labeled) n).getText()).toList();
    }
}
