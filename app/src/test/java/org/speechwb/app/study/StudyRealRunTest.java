package org.speechwb.app.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.app.Screens;
import org.speechwb.app.TestContexts;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.study.StudyProgressViewModel.Phase;
import org.speechwb.engine.experiment.Arm;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * One real experiment from the screen, cut to the cheapest arm: log-mel only, one seed, four
 * acoustic-model updates per grid candidate, no probes, no extra test set, on the bundled
 * speechocean762 sample. Checks that the engine's log, the results file and the tables connect.
 */
@ExtendWith(ApplicationExtension.class)
class StudyRealRunTest {

    @TempDir
    Path tmp;

    private Stage stage;

    @Start
    void start(Stage primary) {
        stage = primary;
    }

    @Test
    void aTinyLogMelExperimentRunsFromTheScreenIntoItsResults(FxRobot robot) {
        ScreenContext ctx = TestContexts.create(tmp);
        StudyScreen[] s = new StudyScreen[1];
        Path out = tmp.resolve("exp");
        robot.interact(() -> {
            s[0] = new StudyScreen(ctx);
            Scene scene = new Scene((javafx.scene.Parent) s[0].view(), 1280, 800);
            scene.getStylesheets().add(Screens.stylesheet());
            stage.setScene(scene);
            stage.show();
            StudySettingsViewModel set = s[0].viewModel().settings();
            set.corpusProperty().set("datasets/speechocean762-sample");
            set.outProperty().set(out.toString());
            set.labeledMinutesProperty().set("1.5");
            set.seedsProperty().set("1");
            for (Arm a : Arm.values()) {
                set.armProperty(a).set(a == Arm.LOGMEL);
            }
            set.acousticUpdatesProperty().set("4");
            set.probeUpdatesProperty().set("0");
            set.testSets().clear();
        });
        StudyViewModel vm = s[0].viewModel();
        assertThat(vm.canStartProperty().get()).as(vm.startBlockerProperty().get()).isTrue();
        robot.interact(vm::start);
        TestContexts.await(Duration.ofSeconds(240), () -> vm.progress().phaseProperty().get().ordinal()
                >= Phase.STOPPED.ordinal(), () -> vm.progress().phaseProperty().get() + " " + vm.progress().stageProperty().get());
        assertThat(vm.progress().phaseProperty().get()).as(vm.progress().messageProperty().get()).isEqualTo(Phase.FINISHED);
        assertThat(Files.isRegularFile(out.resolve("results.md"))).isTrue();
        TestContexts.await(Duration.ofSeconds(30), () -> vm.results().resultsProperty().get() != null
                && vm.pageProperty().get() == StudyViewModel.Page.RESULTS);
        StudyResults r = vm.results().resultsProperty().get();
        assertThat(r.testSets()).extracting(StudyResults.TestSetTable::name).containsExactly("heldout");
        assertThat(r.testSets().get(0).rows()).extracting(StudyResults.ArmRow::arm).containsExactly("logmel");
        assertThat(r.testSets().get(0).rows().get(0).greedyWer()).matches("\\d+\\.\\d\\d");
        assertThat(r.grid()).hasSize(2).filteredOn(StudyResults.GridRow::chosen).hasSize(1);
        assertThat(r.curves()).hasSize(1);
        assertThat(vm.progress().log()).anyMatch(l -> l.contains("seed 1: labeled subset"));
    }
}
