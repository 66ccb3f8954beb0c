package org.speechwb.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.bench.TinyRuns;
import org.speechwb.app.testsupport.TestContexts;
import org.speechwb.app.testsupport.TinyFixtures;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Training screen on a real run pre-trained on MFCC cluster targets: no quantizer charts, the right chance level. */
@ExtendWith(ApplicationExtension.class)
class TrainingClusterTargetsTest {

    @TempDir
    Path tmp;
    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @Test
    void aClusterTargetRunShowsItsPredictionLossAgainstLog2OfTheClusters(FxRobot robot) throws Exception {
        PretrainConfig hubert = ConfigOverrides.apply(TinyFixtures.tiny(),
                List.of("loss.mfccClusters=8", "loss.diversityWeight=0"), PretrainConfig.class);
        RunFolder run = TinyRuns.newRun(tmp.resolve("runs"), "clusters", hubert, TinyFixtures.corpus(), 24);
        assertThat(new Pretrainer(run, TinyFixtures.train(24), null, 3).run()).isEqualTo(RunState.FINISHED);
        var ctx = TestContexts.context(tmp.resolve("runs"), tmp, TinyFixtures.tiny(), 24, 0);
        TrainingScreen[] screen = new TrainingScreen[1];
        robot.interact(() -> {
            screen[0] = new TrainingScreen(ctx);
            stage.setScene(new Scene((javafx.scene.Parent) screen[0].view(), 1260, 780));
            stage.show();
            ctx.session().selectedRunProperty().set(run);
        });
        TrainingView view = screen[0].trainingView();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.chanceMarker() != null
                && screen[0].viewModel().shown().clusterTargetsProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.chanceMarker().getValue()).isCloseTo(3.0, within(1e-9));
        assertThat(view.chanceMarker().getLabel()).contains("log2(clusters)");
        assertThat(view.shownPretrainCharts()).doesNotContain("diversity", "temperature").contains("contrastive", "accuracy");
        assertThat(view.chart("contrastive").titleText()).startsWith("Cluster prediction loss");
        // a quantizer run shown next gets its charts back
        RunFolder plain = TinyFixtures.trainedRun();
        robot.interact(() -> ctx.session().selectedRunProperty().set(plain));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.shownPretrainCharts().contains("diversity"));
        assertThat(view.chart("contrastive").titleText()).isEqualTo("Contrastive loss");
    }
}
