package org.speechwb.app.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.speechwb.app.codebook.CodebookScreen;
import org.speechwb.app.experiment.ExperimentScreen;
import org.speechwb.app.experiment.ExperimentViewModel;
import org.speechwb.app.inspect.InspectScreen;
import org.speechwb.app.inspect.InspectViewModel;
import org.speechwb.app.probe.ProbeScreen;
import org.speechwb.app.probe.ProbeViewModel;
import org.speechwb.app.runs.RunsScreen;
import org.speechwb.app.runs.RunsViewModel;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.app.study.StudyScreen;
import org.speechwb.app.study.StudySettingsViewModel;
import org.speechwb.app.study.StudyViewModel;
import org.speechwb.app.training.TrainingScreen;
import org.speechwb.app.training.TrainingViewModel;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;

/**
 * Regenerates {@code docs/screenshots/N-screen.png} from the real workbench: opens the bundled
 * corpus, trains the engine's tiny config for real (so Training and Codebook have curves and a
 * real data warning), inspects the resulting checkpoint, and snapshots every screen in
 * navigation order. Run with {@code ./workbench-dev screenshots [DIR]} (under xvfb-run when
 * there is no display). Prints what it wrote.
 */
public final class Screenshots {

    private Screenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : TinyRuns.home().resolve("docs/screenshots");
        // "wav2vec1" as a second argument shoots only the wav2vec 1.0 views (a minute instead of several)
        boolean onlyWav2Vec1 = args.length > 1 && args[1].equals("wav2vec1");
        // "probes" shoots only the Probes screen, on a tiny run trained for it (a few minutes)
        boolean onlyProbes = args.length > 1 && args[1].equals("probes");
        // "study" shoots only the Study screen, at 1280×800; a third argument opens that experiment folder's
        // results instead of running the tiny experiment
        boolean onlyStudy = args.length > 1 && args[1].equals("study");
        Path tmp = WorkbenchHarness.tempDir("wb-screenshots");
        WorkbenchHarness.startToolkit();
        // -Dspeechwb.screenshots.size=1280x800 checks the smallest window the screens are laid out for
        String[] size = System.getProperty("speechwb.screenshots.size", onlyStudy ? "1280x800" : "1500x940").split("x");
        WorkbenchHarness wb = WorkbenchHarness.open(tmp.resolve("runs"), tmp.resolve("config"),
                Double.parseDouble(size[0]), Double.parseDouble(size[1]));
        try {
            if (onlyStudy) {
                WorkbenchHarness.waitFor("the bundled corpus to load", 180,
                        () -> wb.session().dataset() != null && wb.context().tasks().runningProperty().get() == 0);
                study(wb, out, args.length > 2 ? Path.of(args[2]).toAbsolutePath() : null);
            } else if (onlyWav2Vec1 || onlyProbes) {
                WorkbenchHarness.waitFor("the bundled corpus to load", 180,
                        () -> wb.session().dataset() != null && wb.context().tasks().runningProperty().get() == 0);
            }
            if (onlyProbes) {
                probes(wb, out, trainForProbes(wb));
            } else if (!onlyStudy) {
                if (!onlyWav2Vec1) {
                    probes(wb, out, run(wb, out));
                }
                wav2vec1(wb, out);
            }
        } finally {
            wb.close();
            javafx.application.Platform.exit();
        }
        System.exit(0);
    }

    /** Shoots screens 1-8 and returns the tiny pre-training run it trained. */
    private static RunFolder run(WorkbenchHarness wb, Path out) throws Exception {
        WorkbenchHarness.waitFor("the bundled corpus to load", 180,
                () -> wb.session().dataset() != null && wb.context().tasks().runningProperty().get() == 0);
        WorkbenchHarness.settle(1500);
        shoot(wb, out, ScreenId.DATASETS);

        // the tiny config loaded on the Experiment screen, as a user would, with 60 updates; crops of
        // at least 2 s drop the corpus' shortest sentences, which the engine reports as a data warning
        ExperimentViewModel exp = wb.screen(ScreenId.EXPERIMENT, ExperimentScreen.class).viewModel();
        WorkbenchHarness.fx(() -> {
            exp.loadNow(TinyRuns.home().resolve(TinyRuns.TINY_CONFIG));
            for (String[] e : new String[][] {{"run.maxUpdates", "60"}, {"run.checkpointInterval", "20"},
                    {"data.maxSampleSize", "40000"}, {"data.maxTokens", "80000"}, {"data.minSampleSize", "32000"},
                    {"optimizer.warmupUpdates", "10"}}) {
                exp.edit(e[0], e[1]);
            }
            exp.runNameProperty().set("tiny-demo");
            return null;
        });
        WorkbenchHarness.waitFor("a valid config in the session", 30, () -> wb.session().configProperty().get() != null
                && wb.session().configProperty().get().run().maxUpdates() == 60);
        shoot(wb, out, ScreenId.EXPERIMENT);

        wb.navigate(ScreenId.TRAINING);
        TrainingViewModel training = wb.screen(ScreenId.TRAINING, TrainingScreen.class).viewModel();
        WorkbenchHarness.waitFor("Start to be enabled", 30, () -> training.canStartProperty().get());
        WorkbenchHarness.fx(() -> {
            training.start();
            return null;
        });
        WorkbenchHarness.waitFor("the tiny run to finish", 900, () -> training.shown().stateProperty().get() != null
                && training.shown().stateProperty().get().terminal() && wb.session().activeRun() != null
                && !wb.session().activeRun().isLive());
        RunState end = WorkbenchHarness.fx(() -> training.shown().stateProperty().get());
        RunFolder run = WorkbenchHarness.fx(() -> wb.session().activeRun().run());
        System.out.printf(Locale.ROOT, "trained %s: %s%n", run.id(), end);
        WorkbenchHarness.settle(1200);
        shoot(wb, out, ScreenId.TRAINING);

        wb.navigate(ScreenId.CODEBOOK);
        WorkbenchHarness.fx(() -> {
            wb.screen(ScreenId.CODEBOOK, CodebookScreen.class).codebookView().redrawUsage();
            return null;
        });
        WorkbenchHarness.settle(1200);
        shoot(wb, out, ScreenId.CODEBOOK);

        wb.navigate(ScreenId.INSPECT);
        InspectScreen inspect = wb.screen(ScreenId.INSPECT, InspectScreen.class);
        InspectViewModel ivm = inspect.viewModel();
        Utterance u = WorkbenchHarness.fx(() -> ivm.utterances().stream()
                .filter(x -> "train".equals(x.split())).findFirst().orElse(ivm.utterances().get(0)));
        WorkbenchHarness.fx(() -> {
            ivm.refreshRuns(wb.context().paths().runs(), run, run);
            ivm.utteranceProperty().set(u);
            return null;
        });
        WorkbenchHarness.waitFor("the inspection", 120, () -> ivm.inspectionProperty().get() != null
                && ivm.checkpointProperty().get() != null
                && ivm.checkpointProperty().get().file().startsWith(run.dir()));
        WorkbenchHarness.settle(800);
        WorkbenchHarness.fx(() -> {
            // about a second from the first masked span: cells wide enough to carry their codes
            var in = ivm.inspectionProperty().get();
            long start = Math.max(0, in.maskSpans().get(0).startSample() - 1600);
            inspect.inspectView().canvas().axis().show(start, start + 14000);
            inspect.inspectView().canvas().select(start + 3200, start + 8000);
            return null;
        });
        WorkbenchHarness.settle(800);
        shoot(wb, out, ScreenId.INSPECT);

        RunFolder ft = finetune(wb, out, run);

        wb.navigate(ScreenId.INSPECT);
        WorkbenchHarness.fx(() -> {
            ivm.refreshRuns(wb.context().paths().runs(), ft, ft);
            return null;
        });
        WorkbenchHarness.waitFor("the CTC inspection", 120, () -> ivm.ctcProperty().get() != null
                && ivm.checkpointProperty().get() != null
                && ivm.checkpointProperty().get().file().startsWith(ft.dir()));
        WorkbenchHarness.fx(() -> {
            inspect.inspectView().canvas().clearSelection();
            inspect.inspectView().canvas().axis().showAll();
            return null;
        });
        shootAs(wb, out, ScreenId.INSPECT, "8-inspect-ctc.png");

        wb.navigate(ScreenId.RUNS);
        RunsViewModel runs = wb.screen(ScreenId.RUNS, RunsScreen.class).viewModel();
        WorkbenchHarness.waitFor("the run list", 60, () -> runs.runs().size() >= 2
                && wb.context().tasks().runningProperty().get() == 0);
        WorkbenchHarness.settle(1000);
        WorkbenchHarness.waitFor("the run list", 60, () -> wb.context().tasks().runningProperty().get() == 0);
        WorkbenchHarness.fx(() -> {
            for (var row : runs.runs()) {
                if (row.run().dir().equals(run.dir())) {
                    row.compareProperty().set(true);
                    runs.selectedProperty().set(row);
                }
            }
            return null;
        });
        WorkbenchHarness.settle(1500);
        shoot(wb, out, ScreenId.RUNS);
        return run;
    }

    /**
     * The tiny config trained for 60 updates straight through the engine (what the Training screen
     * does in {@link #run}), selected in the session as the Runs screen would: the Probes screen
     * takes the selected run as its checkpoint.
     */
    private static RunFolder trainForProbes(WorkbenchHarness wb) throws Exception {
        var corpus = TinyRuns.corpus();
        PretrainConfig cfg = ConfigOverrides.apply(TinyRuns.tinyConfig(), java.util.List.of("run.maxUpdates=60",
                "run.checkpointInterval=60", "data.maxSampleSize=40000", "data.maxTokens=80000",
                "data.minSampleSize=32000", "optimizer.warmupUpdates=10"), PretrainConfig.class);
        var utterances = TinyRuns.trainUtterances(corpus, 400);
        RunFolder run = TinyRuns.newRun(wb.context().paths().runs(), "tiny-probe-demo", cfg, corpus, utterances.size());
        RunState end = new Pretrainer(run, utterances, null, null).run();
        System.out.printf(Locale.ROOT, "trained %s: %s%n", run.id(), end);
        WorkbenchHarness.fx(() -> {
            wb.session().selectedRunProperty().set(run);
            return null;
        });
        return run;
    }

    /**
     * Linear CTC probes of the tiny run's checkpoint and its random twin on two labeled minutes of
     * the bundled corpus, 150 updates each, started from the Probes screen; 11-probes.png.
     */
    private static void probes(WorkbenchHarness wb, Path out, RunFolder run) throws Exception {
        wb.navigate(ScreenId.PROBES);
        ProbeViewModel probes = wb.screen(ScreenId.PROBES, ProbeScreen.class).viewModel();
        String running = System.getProperty("speechwb.screenshots.running");
        if (running != null) {
            WorkbenchHarness.settle(1500);
            wb.snapshot(Path.of(running.replace(".png", "-before.png")));
        }
        WorkbenchHarness.fx(() -> {
            probes.checkpoint().choose(run.dir());
            probes.labeledMinutesProperty().set(2);
            probes.updatesProperty().set(150);
            probes.run();
            return null;
        });
        if (running != null) {
            // a look at the screen while it works (progress, per-layer status, bars coming in)
            WorkbenchHarness.waitFor("the first probes", 1800, () -> probes.rows().size() >= 2
                    || !probes.runningProperty().get());
            WorkbenchHarness.settle(800);
            wb.snapshot(Path.of(running));
            System.out.println("wrote " + running);
        }
        WorkbenchHarness.waitFor("the probes", 1800, () -> !probes.runningProperty().get());
        String error = WorkbenchHarness.fx(() -> probes.errorProperty().get());
        if (!error.isEmpty()) {
            throw new IllegalStateException(error);
        }
        System.out.println(WorkbenchHarness.fx(() -> probes.statusProperty().get()));
        shoot(wb, out, ScreenId.PROBES);
    }

    /**
     * Fine-tunes the tiny pre-trained run from the Training screen's launcher with a longer copy of
     * the engine's tiny fine-tuning config (80 updates, validation every 10), and shoots the
     * fine-tuning view as 7-training-finetune.png.
     */
    private static RunFolder finetune(WorkbenchHarness wb, Path out, RunFolder pretrained) throws Exception {
        Path cfg = Files.createTempFile("tiny-finetune-demo", ".yaml");
        Files.writeString(cfg, Files.readString(TinyRuns.home().resolve(TinyRuns.TINY_FINETUNE_CONFIG))
                .replace("maxUpdates: 12", "maxUpdates: 80").replace("checkpointInterval: 6", "checkpointInterval: 40")
                .replace("validationInterval: 6", "validationInterval: 10").replace("freezeUpdates: 4", "freezeUpdates: 10")
                .replace("warmupUpdates: 2", "warmupUpdates: 8").replace("holdUpdates: 4", "holdUpdates: 30"));
        wb.navigate(ScreenId.TRAINING);
        TrainingViewModel training = wb.screen(ScreenId.TRAINING, TrainingScreen.class).viewModel();
        WorkbenchHarness.waitFor("the pre-trained checkpoint to be offered", 60, () -> training.pretrainedChoices()
                .stream().anyMatch(c -> c.checkpoint() != null && c.checkpoint().startsWith(pretrained.dir())));
        WorkbenchHarness.fx(() -> {
            training.pretrainedProperty().set(training.pretrainedChoices().stream()
                    .filter(c -> c.checkpoint() != null && c.checkpoint().startsWith(pretrained.dir()))
                    .findFirst().orElseThrow());
            training.finetuneConfigProperty().set(cfg.toString());
            training.startFinetune();
            return null;
        });
        WorkbenchHarness.waitFor("the fine-tuning run to finish", 900, () -> wb.session().activeRun() != null
                && wb.session().activeRun().isFinetune() && !wb.session().activeRun().isLive());
        RunFolder ft = WorkbenchHarness.fx(() -> wb.session().activeRun().run());
        System.out.printf(Locale.ROOT, "fine-tuned %s: %s%n", ft.id(), WorkbenchHarness.fx(() ->
                training.shown().stateProperty().get()));
        WorkbenchHarness.settle(1200);
        shootAs(wb, out, ScreenId.TRAINING, "7-training-finetune.png");
        return ft;
    }

    /**
     * The Experiment screen with the wav2vec 1.0 paper preset (knobs, receptive field), then the
     * engine's tiny wav2vec 1.0 trained from the Experiment screen for 120 updates with InfoNCE
     * (the binary loss stays at its constant-score plateau in runs this short; docs/engine.md),
     * shot as 9-experiment-wav2vec1.png and 10-training-wav2vec1.png.
     */
    private static void wav2vec1(WorkbenchHarness wb, Path out) throws Exception {
        wb.navigate(ScreenId.EXPERIMENT);
        ExperimentViewModel exp = wb.screen(ScreenId.EXPERIMENT, ExperimentScreen.class).viewModel();
        WorkbenchHarness.fx(() -> {
            exp.usePreset("wav2vec1-paper");
            return null;
        });
        shootAs(wb, out, ScreenId.EXPERIMENT, "9-experiment-wav2vec1.png");
        WorkbenchHarness.fx(() -> {
            exp.loadNow(TinyRuns.home().resolve(TinyRuns.TINY_WAV2VEC1_CONFIG));
            for (String[] e : new String[][] {{"run.maxUpdates", "120"}, {"run.checkpointInterval", "40"},
                    {"wav2vec1.objective", "infonce"}, {"optimizer.warmupUpdates", "10"}}) {
                exp.edit(e[0], e[1]);
            }
            exp.runNameProperty().set("tiny-wav2vec1-demo");
            return null;
        });
        WorkbenchHarness.waitFor("Start to be enabled", 60, () -> exp.canStartProperty().get());
        WorkbenchHarness.fx(() -> {
            exp.startTraining();
            return null;
        });
        TrainingViewModel training = wb.screen(ScreenId.TRAINING, TrainingScreen.class).viewModel();
        WorkbenchHarness.waitFor("the tiny wav2vec 1.0 run to finish", 900, () -> wb.session().activeRun() != null
                && wb.session().activeRun().run().id().contains("tiny-wav2vec1-demo")
                && training.shown().stateProperty().get() != null && training.shown().stateProperty().get().terminal()
                && !wb.session().activeRun().isLive());
        System.out.printf(Locale.ROOT, "trained %s: %s%n", WorkbenchHarness.fx(() -> wb.session().activeRun().run().id()),
                WorkbenchHarness.fx(() -> training.shown().stateProperty().get()));
        WorkbenchHarness.settle(1200);
        shootAs(wb, out, ScreenId.TRAINING, "10-training-wav2vec1.png");
    }

    /**
     * The Study screen: its settings with the defaults (12-study-settings.png); then, unless
     * {@code results} names an experiment folder to open, a real experiment cut to a few updates per
     * stage (all four arms, seeds 1 and 2, on the speechocean762 sample; several minutes on two
     * cores), shot while it trains (13-study-progress.png) and when its results are in
     * (14-study-results.png; for a given folder also its grid and probe tabs, 14-study-results-tab1/2.png);
     * last, "Continue or rerun…" on those results (21-study-continue.png).
     */
    private static void study(WorkbenchHarness wb, Path out, Path results) throws Exception {
        wb.navigate(ScreenId.STUDY);
        StudyViewModel vm = wb.screen(ScreenId.STUDY, StudyScreen.class).viewModel();
        shootAs(wb, out, ScreenId.STUDY, "12-study-settings.png");
        if (results != null) {
            WorkbenchHarness.fx(() -> {
                vm.openResults(results);
                return null;
            });
        } else {
            Path folder = wb.context().paths().runs().resolve("experiments/tiny-study");
            WorkbenchHarness.fx(() -> {
                StudySettingsViewModel s = vm.settings();
                s.corpusProperty().set("datasets/speechocean762-sample");
                s.outProperty().set(folder.toString());
                s.labeledMinutesProperty().set("1.5");
                s.seedsProperty().set("1,2");
                s.pretrainUpdatesProperty().set("3");
                s.featureUpdatesProperty().set("3");
                s.finetuneUpdatesProperty().set("12");
                s.acousticUpdatesProperty().set("12");
                s.probeUpdatesProperty().set("4");
                vm.start();
                return null;
            });
            WorkbenchHarness.waitFor("a training run in progress", 900, () -> vm.progress().progressProperty().get() > 0.3
                    && vm.progress().log().size() > 6);
            WorkbenchHarness.settle(1500);
            wb.snapshot(out.resolve("13-study-progress.png"));
            System.out.println("wrote " + out.resolve("13-study-progress.png"));
            WorkbenchHarness.waitFor("the tiny experiment to end", 3600, () -> !vm.progress().runningProperty().get());
            System.out.println("experiment ended: " + WorkbenchHarness.fx(() -> vm.progress().messageProperty().get()));
        }
        WorkbenchHarness.waitFor("the results", 60, () -> vm.results().resultsProperty().get() != null
                || !vm.results().messageProperty().get().isEmpty());
        WorkbenchHarness.fx(() -> {
            vm.pageProperty().set(StudyViewModel.Page.RESULTS);
            return null;
        });
        shootAs(wb, out, ScreenId.STUDY, "14-study-results.png");
        if (results != null) {
            // a given folder's other result tabs too, to look at real grids and probes
            for (int tab : new int[] {1, 2}) {
                WorkbenchHarness.fx(() -> {
                    ((javafx.scene.control.TabPane) wb.stage().getScene().lookup("#study-result-tabs"))
                            .getSelectionModel().select(tab);
                    return null;
                });
                shootAs(wb, out, ScreenId.STUDY, "14-study-results-tab" + tab + ".png");
            }
        }
        WorkbenchHarness.fx(() -> {
            vm.editShownSettings();
            return null;
        });
        shootAs(wb, out, ScreenId.STUDY, "21-study-continue.png");
    }

    /** Same names as the shell's own --snapshot-dir ({@link ScreenId#snapshotName()}). */
    private static void shoot(WorkbenchHarness wb, Path out, ScreenId id) throws Exception {
        shootAs(wb, out, id, id.snapshotName());
    }

    private static void shootAs(WorkbenchHarness wb, Path out, ScreenId id, String name) throws Exception {
        wb.navigate(id);
        WorkbenchHarness.settle(1500);
        WorkbenchHarness.waitFor("background work on " + id, 120,
                () -> wb.context().tasks().runningProperty().get() == 0);
        WorkbenchHarness.settle(500);
        Path file = out.resolve(name);
        wb.snapshot(file);
        System.out.println("wrote " + file);
    }
}
