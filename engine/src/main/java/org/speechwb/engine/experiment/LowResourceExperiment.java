package org.speechwb.engine.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.speechwb.engine.acoustic.AcousticModelConfig;
import org.speechwb.engine.acoustic.AcousticModelTrainer;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.backend.Backends;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.ConfigOverrides;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.config.Presets;
import org.speechwb.engine.corpus.CorpusRecipe;
import org.speechwb.engine.corpus.DefaultVoices;
import org.speechwb.engine.corpus.SplitOptions;
import org.speechwb.engine.corpus.SplitTargets;
import org.speechwb.engine.corpus.SyntheticCorpusBuilder;
import org.speechwb.engine.corpus.TtsToolchain;
import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.lm.KneserNeyTrainer;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ReportWriter;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.SplitSummary;
import org.speechwb.engine.features.FrontEnd;
import org.speechwb.engine.features.LogMelFilterbank;
import org.speechwb.engine.model.w2v1.FeatureExtractor;
import org.speechwb.engine.recognize.LogProbSource;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.recognize.Transcriber;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.Vocabulary;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.TrainingData;
import org.speechwb.engine.train.TrainingListener;

/**
 * The comparison both wav2vec papers make, on our own data: a CTC model trained from scratch on
 * a small labeled subset, against wav2vec 2.0 pre-trained on the unlabeled rest and fine-tuned
 * on the same subset with the same code and the same number of updates; both scored on the
 * corpus's held-out voices (and optionally real speech), greedy and with a word n-gram LM
 * trained on the training transcripts, with the compute time of every stage.
 *
 * <p>Every stage writes into the experiment folder under a fixed name; a stage whose output is
 * complete is skipped and a training run that was interrupted is resumed, so rerunning the
 * command after a crash continues where it stopped.
 */
public final class LowResourceExperiment {

    /** Wall-clock time of one stage (0 when it was already done). */
    public record StageTime(String stage, double seconds, boolean reused) {
    }

    /** One cell of the results table. */
    public record Score(String model, String testSet, String decoder, double wer, double cer, int utterances) {
    }

    /** What the experiment produced. */
    public record Results(ExperimentConfig config, String corpus, int labeledUtterances, double labeledMinutes,
                          int unlabeledUtterances, double unlabeledMinutes, List<StageTime> stages, List<Score> scores,
                          String device) {
    }

    static final String WAV2VEC2_SCRATCH = "from scratch";
    static final String WAV2VEC2_PRETRAINED = "wav2vec 2.0 pre-trained";
    static final String LOG_MEL_AM = "80 log-mel + conv AM";
    static final String WAV2VEC1_AM = "wav2vec 1.0 context + conv AM";

    private final ExperimentConfig cfg;
    private final Path out;
    private final Path home;
    private final Consumer<String> log;
    private final TrainingListener listener;
    private final List<StageTime> stages = new ArrayList<>();

    public LowResourceExperiment(ExperimentConfig cfg, Path out, Path home, Consumer<String> log,
                                 TrainingListener listener) {
        this.cfg = cfg;
        this.out = out;
        this.home = home;
        this.log = log;
        this.listener = listener;
    }

    public Results run() throws Exception {
        Backends.init();
        Files.createDirectories(out);
        Path corpus = corpus();
        Dataset ds = DatasetLoader.open(corpus);
        List<Utterance> train = TrainingData.select(ds, "train");
        List<Utterance> valid = TrainingData.select(ds, "valid");
        List<Utterance> test = TrainingData.select(ds, "test");
        List<Utterance> labeled = DatasetSplitter.labeledSubset(labeledPool(train), cfg.labeledMinutes() * 60, cfg.seed());
        Set<String> labeledIds = new HashSet<>();
        labeled.forEach(u -> labeledIds.add(u.id()));
        List<Utterance> unlabeled = train.stream().filter(u -> !labeledIds.contains(u.id())).toList();
        log.accept(String.format(Locale.ROOT, "corpus %s: labeled %d utterances (%.1f min), unlabeled %d (%.1f min),"
                        + " valid %d, test %d", corpus, labeled.size(), minutes(labeled), unlabeled.size(),
                minutes(unlabeled), valid.size(), test.size()));
        Provenance prov = provenance(ds);

        FinetuneConfig ftPreset = Presets.finetuneFromNameOrFile(cfg.finetunePreset());
        FinetuneConfig scratch = scaleFinetune(ConfigOverrides.apply(ftPreset, List.of("freezeUpdates=0",
                "freezeFeatureEncoder=false", "wav2vec2.featureGradMult=1.0"), FinetuneConfig.class));
        RunFolder scratchRun = RunStore.openOrCreate(out.resolve("runs/ctc-scratch"), scratch, prov);
        train("fine-tune from scratch", scratchRun, () -> new FineTuner(scratchRun, labeled, valid, listener, null).run());

        PretrainConfig pre = scalePretrain(Presets.pretrainFromNameOrFile(cfg.pretrainPreset()), cfg.pretrainUpdates());
        RunFolder preRun = RunStore.openOrCreate(out.resolve("runs/pretrain"), pre, prov);
        train("pre-train on the unlabeled rest", preRun, () -> new Pretrainer(preRun, unlabeled, listener, null).run());

        FinetuneConfig fromPre = scaleFinetune(Presets.forPretrained(ftPreset, preRun.dir()));
        RunFolder preFtRun = RunStore.openOrCreate(out.resolve("runs/ctc-pretrained"), fromPre, prov);
        train("fine-tune the pre-trained model", preFtRun,
                () -> new FineTuner(preFtRun, labeled, valid, listener, null).run());

        RunFolder featureRun = null;
        if (!cfg.featurePreset().isBlank()) {
            PretrainConfig w1 = scalePretrain(Presets.pretrainFromNameOrFile(cfg.featurePreset()), cfg.featureUpdates());
            if (!w1.isWav2Vec1()) {
                throw new IllegalArgumentException("the feature comparison needs a wav2vec1 or vq-wav2vec preset, "
                        + cfg.featurePreset() + " is " + w1.family());
            }
            RunFolder run = RunStore.openOrCreate(out.resolve("runs/pretrain-wav2vec1"), w1, prov);
            train("pre-train wav2vec 1.0 on the unlabeled rest", run, () -> new Pretrainer(run, unlabeled, listener, null).run());
            featureRun = run;
        }

        Path lmFile = out.resolve("lm.arpa");
        long t0 = System.nanoTime();
        boolean lmExists = Files.isRegularFile(lmFile);
        if (!lmExists) {
            Set<String> sentences = new LinkedHashSet<>();
            train.forEach(u -> sentences.add(TranscriptNormalizer.normalize(u.transcript())));
            new KneserNeyTrainer(cfg.lmOrder()).train(new ArrayList<>(sentences)).writeArpa(lmFile);
        }
        stages.add(new StageTime("language model (" + cfg.lmOrder() + "-gram on the training transcripts)",
                (System.nanoTime() - t0) / 1e9, lmExists));
        NgramModel lm = NgramModel.readArpa(lmFile);

        List<Score> scores = new ArrayList<>();
        List<TestSet> sets = new ArrayList<>();
        sets.add(new TestSet("held-out voices (" + corpus.getFileName() + " test)", test));
        if (!cfg.realSpeech().isBlank()) {
            Path real = home.resolve(cfg.realSpeech());
            if (Files.isDirectory(real)) {
                sets.add(new TestSet("real speech (" + real.getFileName() + ")",
                        DatasetLoader.open(real).utterances().stream().filter(Utterance::labeled).toList()));
            }
        }
        long e0 = System.nanoTime();
        for (String[] model : new String[][] {{WAV2VEC2_SCRATCH, "ctc-scratch"}, {WAV2VEC2_PRETRAINED, "ctc-pretrained"}}) {
            Recognizer r = Recognizer.open(out.resolve("runs").resolve(model[1]));
            scores.addAll(evaluate(model[0], model[1], r, "model: " + r.checkpoint(), sets, lm));
        }
        stages.add(new StageTime("evaluation (2 models x " + sets.size() + " test sets x 2 decoders)",
                (System.nanoTime() - e0) / 1e9, false));
        if (featureRun != null) {
            scores.addAll(compareFeatures(featureRun, ftPreset, labeled, valid, sets, lm));
        }
        Results results = new Results(cfg, corpus.toString(), labeled.size(), minutes(labeled), unlabeled.size(),
                minutes(unlabeled), List.copyOf(stages), scores, Backends.describe().toString());
        Files.writeString(out.resolve("results.json"), ConfigIO.json().writeValueAsString(results));
        Files.writeString(out.resolve("results.md"), ResultsTable.markdown(results));
        return results;
    }

    private record TestSet(String name, List<Utterance> utterances) {
    }

    /** One arm of the feature comparison: its name in the table, its report file stem, its input. */
    private record FeatureInput(String model, String key, FrontEnd frontEnd) {
    }

    /** Greedy and LM decoding of every test set, with a CSV and Markdown report per cell. */
    private List<Score> evaluate(String model, String key, LogProbSource recognizer, String note, List<TestSet> sets,
                                 NgramModel lm) throws IOException {
        Transcriber greedy = new Transcriber(recognizer, null, null);
        Transcriber withLm = new Transcriber(recognizer, BeamSearchConfig.defaults().withBeamWidth(cfg.beam())
                .withLm(cfg.lmWeight(), cfg.wordBonus()), lm);
        List<Score> scores = new ArrayList<>();
        for (TestSet set : sets) {
            for (boolean useLm : new boolean[] {false, true}) {
                ScoreReport rep = (useLm ? withLm : greedy).evaluate(set.utterances(), set.name(), useLm);
                SplitSummary s = rep.overall();
                String decoder = useLm ? "beam " + cfg.beam() + " + LM" : "greedy";
                scores.add(new Score(model, set.name(), decoder, s.wer(), s.cer(), s.utterances()));
                String stem = (key + "-" + set.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + (useLm ? "lm" : "greedy"))
                        .replaceAll("-+", "-").replaceAll("-$", "");
                Files.createDirectories(out.resolve("reports"));
                ReportWriter.writeCsv(rep, out.resolve("reports").resolve(stem + ".csv"));
                ReportWriter.writeMarkdown(rep, out.resolve("reports").resolve(stem + ".md"), model + " on "
                        + set.name() + ", " + decoder, List.of(note));
                log.accept(String.format(Locale.ROOT, "%-32s %-40s %-14s WER %6.2f %%  CER %6.2f %%", model,
                        set.name(), decoder, 100 * s.wer(), 100 * s.cer()));
            }
        }
        return scores;
    }

    /**
     * Part 3 of the comparison (the wav2vec 1.0 paper's): the same small acoustic model trained
     * with CTC on the labeled subset twice, once on 80 log-mel and once on the frozen context
     * vectors of the wav2vec 1.0 pre-trained on the unlabeled rest; both 10 ms per frame. The
     * models are trained in memory (a few minutes each) and retrained when the command is rerun.
     */
    private List<Score> compareFeatures(RunFolder featureRun, FinetuneConfig ftPreset, List<Utterance> labeled,
                                        List<Utterance> valid, List<TestSet> sets, NgramModel lm) throws Exception {
        Vocabulary vocab = FineTuner.resolveVocabulary(ftPreset, labeled);
        AcousticModelConfig am = AcousticModelConfig.defaults().withUpdates(cfg.acousticUpdates()).withSeed(cfg.seed());
        FeatureExtractor extractor = FeatureExtractor.load(featureRun.dir());
        List<Score> scores = new ArrayList<>();
        List<FeatureInput> inputs = List.of(new FeatureInput(LOG_MEL_AM, "am-logmel", new LogMelFilterbank()),
                new FeatureInput(WAV2VEC1_AM, "am-wav2vec1", extractor.frontEnd(FeatureExtractor.Kind.CONTEXT)));
        for (FeatureInput in : inputs) {
            FrontEnd frontEnd = in.frontEnd();
            long t0 = System.nanoTime();
            log.accept(in.model() + ": " + frontEnd.name() + ", " + am.describe() + ", " + am.updates() + " updates");
            AcousticModelTrainer.Trained t = new AcousticModelTrainer(am, vocab, log)
                    .train(frontEnd, examples(frontEnd, labeled), examples(frontEnd, valid));
            stages.add(new StageTime("acoustic model on " + frontEnd.name() + " (features + " + am.updates()
                    + " updates; best valid WER " + String.format(Locale.ROOT, "%.2f %% at update %d", 100 * t.bestWer(),
                    t.bestUpdate()) + ")", (System.nanoTime() - t0) / 1e9, false));
            long e0 = System.nanoTime();
            scores.addAll(evaluate(in.model(), in.key(), t.recognizer(), "model: " + frontEnd.name()
                    + " + conv acoustic model, best of " + am.updates() + " updates at update " + t.bestUpdate(), sets, lm));
            stages.add(new StageTime("evaluation of " + in.model(), (System.nanoTime() - e0) / 1e9, false));
        }
        return scores;
    }

    private static List<AcousticModelTrainer.Example> examples(FrontEnd frontEnd, List<Utterance> us) throws IOException {
        List<AcousticModelTrainer.Example> out = new ArrayList<>();
        for (Utterance u : us) {
            out.add(new AcousticModelTrainer.Example(u.id(), frontEnd.compute(AudioReader.read16k(u.audio()).samples()),
                    u.transcript()));
        }
        return out;
    }

    @FunctionalInterface
    private interface Training {
        RunState run() throws Exception;
    }

    /** Runs (or resumes) a training stage unless its run already finished. */
    private void train(String stage, RunFolder run, Training training) throws Exception {
        boolean done = run.status().map(RunStatus::state).orElse(RunState.CREATED) == RunState.FINISHED;
        long t0 = System.nanoTime();
        if (!done) {
            log.accept(stage + ": " + run.dir());
            RunState end = training.run();
            if (end != RunState.FINISHED) {
                throw new IllegalStateException(stage + " ended " + end + ": "
                        + run.status().map(RunStatus::message).orElse("see " + run.logFile()));
            }
        }
        stages.add(new StageTime(stage, (System.nanoTime() - t0) / 1e9, done));
    }

    private Path corpus() throws IOException {
        if (!cfg.corpus().isBlank()) {
            Path p = home.resolve(cfg.corpus());
            stages.add(new StageTime("corpus (given)", 0, true));
            return p;
        }
        Path dir = out.resolve("corpus");
        long t0 = System.nanoTime();
        boolean exists = Files.isRegularFile(dir.resolve("utterances.tsv"));
        if (!exists) {
            log.accept("building a " + cfg.buildTrainMinutes() + "-minute synthetic corpus in " + dir);
            CorpusRecipe recipe = CorpusRecipe.builder(home.resolve("datasets/text/harvard-sentences.txt"),
                            new SplitTargets(cfg.buildTrainMinutes(), 3, 5))
                    .exclusionFile(home.resolve("datasets/real-speech/transcripts.tsv"))
                    .voices(DefaultVoices.all())
                    .splits(SplitOptions.DEFAULT)
                    .seed(CorpusRecipe.DEFAULT_SEED)
                    .threads(Runtime.getRuntime().availableProcessors())
                    .timeout(Duration.ofSeconds(60))
                    .build();
            new SyntheticCorpusBuilder(recipe, TtsToolchain.system(Duration.ofSeconds(60)))
                    .build(dir, true, "speechwb experiment (train " + cfg.buildTrainMinutes() + " min)", new CorpusProgress());
        }
        stages.add(new StageTime("corpus (synthesised, " + cfg.buildTrainMinutes() + " min of training audio)",
                (System.nanoTime() - t0) / 1e9, exists));
        return dir;
    }

    /** Logs the synthesis every 10 % of each split's target. */
    private final class CorpusProgress implements org.speechwb.engine.corpus.ProgressListener {
        private final java.util.Map<org.speechwb.engine.corpus.CorpusSplit, Integer> steps = new java.util.EnumMap<>(
                org.speechwb.engine.corpus.CorpusSplit.class);

        @Override
        public void onProgress(org.speechwb.engine.corpus.CorpusSplit split, int utterances, double seconds,
                               double targetSeconds) {
            int step = targetSeconds <= 0 ? 10 : (int) Math.min(10, Math.floor(10 * seconds / targetSeconds));
            if (steps.getOrDefault(split, -1) < step) {
                steps.put(split, step);
                log.accept(String.format(Locale.ROOT, "  %s: %d utterances, %.1f of %.1f min", split.id(), utterances,
                        seconds / 60, targetSeconds / 60));
            }
        }
    }

    /** The pre-training preset run for the requested updates, with the reference's 8 % warm-up. */
    private PretrainConfig scalePretrain(PretrainConfig p, int n) throws Exception {
        return ConfigOverrides.apply(p, List.of("run.maxUpdates=" + n,
                "optimizer.warmupUpdates=" + Math.max(1, Math.round(0.08 * n)),
                "run.checkpointInterval=" + Math.max(1, n / 10), "run.seed=" + cfg.seed()), PretrainConfig.class);
    }

    /** The fine-tuning preset stretched to the requested updates (its stages keep their proportions). */
    private FinetuneConfig scaleFinetune(FinetuneConfig f) throws Exception {
        int n = cfg.finetuneUpdates();
        double k = (double) n / f.run().maxUpdates();
        return ConfigOverrides.apply(f, List.of("run.maxUpdates=" + n,
                "freezeUpdates=" + Math.round(f.freezeUpdates() * k),
                "optimizer.warmupUpdates=" + Math.round(f.optimizer().warmupUpdates() * k),
                "optimizer.holdUpdates=" + Math.round(f.optimizer().holdUpdates() * k),
                "run.checkpointInterval=" + Math.max(1, n / 6), "validationInterval=" + Math.max(1, n / 6),
                "run.seed=" + cfg.seed()), FinetuneConfig.class);
    }

    private Provenance provenance(Dataset ds) {
        Backends.Info d = Backends.describe();
        return new Provenance(ds.root().toString(), ds.format().name(), ds.fingerprint(), "experiment",
                ds.utterances().size(), ds.summary().totalHours(), Provenance.gitCommit(home), Provenance.ENGINE_VERSION,
                d.backend() + " / " + d.blas(), d.device(), System.getProperty("java.version"),
                System.getProperty("os.name"), Provenance.now(), List.of("speechwb", "experiment"));
    }

    /** The training utterances the labeled subset is drawn from: all, or those of {@code labeledVoices} voices. */
    private List<Utterance> labeledPool(List<Utterance> train) {
        if (cfg.labeledVoices() == 0) {
            return train;
        }
        List<String> voices = new ArrayList<>(new java.util.TreeSet<>(train.stream().map(Utterance::speaker).toList()));
        if (cfg.labeledVoices() > voices.size()) {
            throw new IllegalArgumentException("labeledVoices is " + cfg.labeledVoices() + " but the training split has "
                    + voices.size() + " voices");
        }
        java.util.Collections.shuffle(voices, new java.util.Random(cfg.seed()));
        Set<String> chosen = new java.util.TreeSet<>(voices.subList(0, cfg.labeledVoices()));
        log.accept("labeled subset drawn from " + chosen.size() + " of " + voices.size() + " training voices: " + chosen);
        return train.stream().filter(u -> chosen.contains(u.speaker())).toList();
    }

    private static double minutes(List<Utterance> us) {
        return us.stream().mapToDouble(Utterance::seconds).sum() / 60;
    }
}
