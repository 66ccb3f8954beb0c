package org.speechwb.app.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.Notifier;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.SplitChoice;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.run.RunFolder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Probes screen end to end on real data: the tiny wav2vec 2.0 checkpoint the Pretrainer
 * makes in a few seconds, probed on half a minute of the real speechocean762 sample with a
 * handful of probe updates (the scores mean nothing; the plumbing is what is tested).
 */
@ExtendWith(ApplicationExtension.class)
class ProbeScreenTest {

    private static final Duration LONG = Duration.ofSeconds(180);
    private static Dataset speech;

    @TempDir
    Path tmp;
    private ScreenContext ctx;
    private ProbeScreen screen;

    @Start
    void start(Stage stage) {
        ctx = TestContexts.create(tmp);
        screen = new ProbeScreen(ctx);
        stage.setScene(new Scene((javafx.scene.Parent) screen.view(), 1130, 720));
        stage.show();
    }

    private static synchronized Dataset speech() throws Exception {
        if (speech == null) {
            speech = DatasetLoader.open(TestContexts.home().resolve("datasets/speechocean762-sample"));
        }
        return speech;
    }

    private void openDataset(FxRobot robot) throws Exception {
        Dataset ds = speech();
        robot.interact(() -> ctx.session().setDataset(ds, null, SplitChoice.PREDEFINED_TRAIN, null));
    }

    private void fewUpdates(FxRobot robot) {
        ProbeViewModel vm = screen.viewModel();
        robot.interact(() -> {
            vm.labeledMinutesProperty().set(0.5);
            vm.updatesProperty().set(2);
        });
    }

    @Test
    void probesTheSelectedRunAndItsRandomTwinLayerByLayerIntoBarsAndTable(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.trainedRun();
        ProbeViewModel vm = screen.viewModel();
        // defaults as the brief asks
        assertThat(vm.labeledMinutesProperty().get()).isEqualTo(10);
        assertThat(vm.updatesProperty().get()).isEqualTo(1500);
        assertThat(vm.randomBaselineProperty().get()).isTrue();
        assertThat(robot.lookup("#probe-run").queryAs(Button.class).isDisabled()).isTrue();

        robot.interact(() -> ctx.session().selectedRunProperty().set(run));
        TestContexts.await(Duration.ofSeconds(30), () -> run.dir().equals(vm.checkpoint().fileProperty().get()));
        openDataset(robot);
        fewUpdates(robot);
        assertThat(vm.blockerProperty().get()).isEmpty();
        robot.clickOn("#probe-run");
        TestContexts.await(LONG, () -> vm.reportProperty().get() != null || !vm.errorProperty().get().isEmpty(),
                () -> vm.statusProperty().get() + " / " + vm.errorProperty().get());
        assertThat(vm.errorProperty().get()).isEmpty();

        ProbeReport report = vm.reportProperty().get();
        // a pre-training run: its quantizer's codes (the contrastive targets) are probed too
        List<String> layers = List.of("features", "transformer input", "layer 1", "layer 2", "quantizer codes");
        assertThat(report.cancelled()).isFalse();
        assertThat(report.models()).hasSize(2);
        String checkpointName = report.models().get(0).name();
        assertThat(checkpointName).startsWith(run.id()).contains("update 3");
        assertThat(report.models().get(1).name()).isEqualTo("random init");
        // every layer probed once per probe seed, scored by the mean
        assertThat(report.probeSeeds()).containsExactly(1L, 2L, 3L);
        for (ProbeReport.Model m : report.models()) {
            assertThat(m.layers()).extracting(s -> s.layer()).containsExactlyElementsOf(layers);
            assertThat(m.layers()).allMatch(s -> s.probeCers().size() == 3
                    && Math.abs(s.cer() - s.probeCers().stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow()) < 1e-12);
            assertThat(m.complete()).isTrue();
        }
        assertThat(report.trainUtterances()).isPositive();
        assertThat(report.validUtterances()).isPositive();

        LayerBarChart chart = screen.probeView().chart();
        assertThat(chart.seriesNames()).containsExactly(checkpointName, "random init");
        assertThat(chart.categories()).containsExactlyElementsOf(layers);
        assertThat(chart.barCount()).isEqualTo(10);
        var randomLayer1 = report.models().get(1).layers().get(2);
        assertThat(chart.value("random init", "layer 1").doubleValue()).isEqualTo(100 * randomLayer1.cer());
        // the whisker is the probes' standard deviation
        double mean = randomLayer1.cer();
        double sd = Math.sqrt(randomLayer1.probeCers().stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / 2);
        assertThat(chart.deviation("random init", "layer 1").doubleValue()).isCloseTo(100 * sd,
                within(1e-9));

        assertThat(screen.probeView().table().getItems()).hasSize(10);
        ProbeRow first = screen.probeView().table().getItems().get(0);
        assertThat(first.model()).isEqualTo(checkpointName);
        assertThat(first.layer()).isEqualTo("features");
        assertThat(first.dimension()).isEqualTo(16);
        assertThat(first.bestUpdate()).isBetween(1, 2);
        var firstScore = report.models().get(0).layers().get(0);
        assertThat(first.cerRange()).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f–%.1f",
                100 * firstScore.cerMin(), 100 * firstScore.cerMax()));
        assertThat(firstScore.probeBits()).isNotEmpty();
        assertThat(first.bitsText()).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", firstScore.bits()));
        assertThat(robot.lookup("#probe-status").queryAs(Label.class).getText()).startsWith("Finished 10 probe(s)");
        assertThat(robot.lookup("#probe-save").queryAs(Button.class).isDisabled()).isFalse();

        Path json = tmp.resolve("out/probes.json");
        robot.interact(() -> vm.save(json));
        TestContexts.await(Duration.ofSeconds(20), () -> Files.isRegularFile(json));
        TestContexts.await(Duration.ofSeconds(20), () -> ctx.notifier().history().stream()
                .anyMatch(n -> n.title().equals("Probe results saved")));
        JsonNode saved = ConfigIO.json().readTree(json.toFile());
        assertThat(saved.get("models")).hasSize(2);
        assertThat(saved.get("models").get(1).get("layers")).hasSize(5);
        assertThat(saved.get("models").get(0).get("layers").get(0).get("cer").asDouble())
                .isEqualTo(report.models().get(0).layers().get(0).cer());
        assertThat(saved.get("splits").asText()).contains("split by speaker");
    }

    @Test
    void aWav2Vec1CheckpointGivesAReadableErrorNamingTheFile(FxRobot robot) throws Exception {
        RunFolder w2v1 = TinyFixtures.wav2vec1Run();
        ProbeViewModel vm = screen.viewModel();
        // selected on the Runs screen, it is not taken, and the note says why
        robot.interact(() -> ctx.session().selectedRunProperty().set(w2v1));
        TestContexts.await(Duration.ofSeconds(30), () -> !vm.checkpoint().noteProperty().get().isEmpty());
        assertThat(vm.checkpoint().fileProperty().get()).isNull();
        assertThat(vm.checkpoint().noteProperty().get()).contains(w2v1.id()).contains("wav2vec 1.0");

        // chosen anyway, the engine refuses it with a sentence naming the checkpoint
        openDataset(robot);
        fewUpdates(robot);
        robot.interact(() -> vm.checkpoint().choose(w2v1.dir()));
        robot.clickOn("#probe-run");
        TestContexts.await(LONG, () -> !vm.errorProperty().get().isEmpty() && !vm.runningProperty().get());
        String shown = robot.lookup("#probe-error").queryAs(Label.class).getText();
        Path ckpt = w2v1.checkpoints().get(w2v1.checkpoints().size() - 1);
        assertThat(shown).contains(ckpt.toString()).contains("wav2vec 2.0").contains("wav2vec1")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(vm.reportProperty().get()).isNull();
        assertThat(vm.rows()).isEmpty();
        assertThat(ctx.notifier().history()).anyMatch(n -> n.level() == Notifier.Level.ERROR);
    }

    @Test
    void withoutADatasetItSaysToOpenOneAndAMissingFileIsNamed(FxRobot robot) throws Exception {
        ProbeViewModel vm = screen.viewModel();
        Path missing = tmp.resolve("nowhere/checkpoint-9.ckpt");
        robot.interact(() -> vm.checkpoint().choose(missing));
        assertThat(robot.lookup("#probe-blocker").queryAs(Label.class).getText()).contains("Datasets screen");
        assertThat(robot.lookup("#probe-run").queryAs(Button.class).isDisabled()).isTrue();

        openDataset(robot);
        fewUpdates(robot);
        assertThat(robot.lookup("#probe-run").queryAs(Button.class).isDisabled()).isFalse();
        robot.clickOn("#probe-run");
        TestContexts.await(LONG, () -> !vm.errorProperty().get().isEmpty() && !vm.runningProperty().get());
        assertThat(vm.errorProperty().get()).contains(missing.toString()).contains("not found");
    }

    @Test
    void cancellingStopsTheRunAndKeepsWhatFinished(FxRobot robot) throws Exception {
        RunFolder run = TinyFixtures.trainedRun();
        ProbeViewModel vm = screen.viewModel();
        openDataset(robot);
        fewUpdates(robot);
        robot.interact(() -> {
            vm.checkpoint().choose(run.dir());
            vm.run();
            vm.cancel();
        });
        TestContexts.await(LONG, () -> !vm.runningProperty().get(), () -> vm.statusProperty().get());
        assertThat(vm.statusProperty().get()).startsWith("Cancelled");
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.reportProperty().get().cancelled()).isTrue();
        assertThat(vm.reportProperty().get().models()).isEmpty();
        assertThat(robot.lookup("#probe-run").queryAs(Button.class).isDisabled()).isFalse();
    }
}
