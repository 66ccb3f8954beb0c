package org.speechwb.app.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.speechwb.app.bench.TinyRuns;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.train.FineTuner;
import org.speechwb.engine.train.Pretrainer;
import org.speechwb.engine.train.RunState;

/** Real engine artefacts shared by the GUI tests of one JVM: the corpus and a trained tiny checkpoint. */
public final class TinyFixtures {

    private static Dataset corpus;
    private static RunFolder trainedRun;
    private static RunFolder finetunedRun;
    private static RunFolder wav2vec1Run;
    private static RunFolder clusterRun;

    private TinyFixtures() {
    }

    public static synchronized Dataset corpus() throws Exception {
        if (corpus == null) {
            corpus = TinyRuns.corpus();
        }
        return corpus;
    }

    public static List<Utterance> train(int n) throws Exception {
        return TinyRuns.trainUtterances(corpus(), n);
    }

    public static PretrainConfig tiny() throws Exception {
        return TinyRuns.tinyConfig();
    }

    public static PretrainConfig tinyWav2Vec1() throws Exception {
        return TinyRuns.tinyWav2Vec1Config();
    }

    /** A run of the tiny wav2vec 1.0 config trained for 3 real updates, in its own runs folder; checkpoint at 3. */
    public static synchronized RunFolder wav2vec1Run() throws Exception {
        if (wav2vec1Run == null) {
            Path root = Files.createTempDirectory("wb-fixture-w2v1-runs");
            RunFolder run = TinyRuns.newRun(root, "w2v1-fixture", tinyWav2Vec1(), corpus(), 24);
            RunState end = new Pretrainer(run, train(24), null, 3).run();
            if (end != RunState.FINISHED || run.checkpoints().isEmpty()) {
                throw new IllegalStateException("wav2vec 1.0 fixture run ended " + end + " without a checkpoint");
            }
            wav2vec1Run = run;
        }
        return wav2vec1Run;
    }

    /**
     * A run of the tiny config pre-trained on 8 MFCC cluster targets (loss.mfccClusters) for 3 real
     * updates, in its own runs folder; checkpoint at 3.
     */
    public static synchronized RunFolder clusterRun() throws Exception {
        if (clusterRun == null) {
            Path root = Files.createTempDirectory("wb-fixture-cluster-runs");
            PretrainConfig cfg = org.speechwb.engine.config.ConfigOverrides.apply(tiny(),
                    List.of("loss.mfccClusters=8", "loss.diversityWeight=0"), PretrainConfig.class);
            RunFolder run = TinyRuns.newRun(root, "cluster-fixture", cfg, corpus(), 24);
            RunState end = new Pretrainer(run, train(24), null, 3).run();
            if (end != RunState.FINISHED || run.checkpoints().isEmpty()) {
                throw new IllegalStateException("cluster-target fixture run ended " + end + " without a checkpoint");
            }
            clusterRun = run;
        }
        return clusterRun;
    }

    /** A run of the tiny config trained for 3 real updates; its checkpoint is at update 3. */
    public static synchronized RunFolder trainedRun() throws Exception {
        if (trainedRun == null) {
            Path root = Files.createTempDirectory("wb-fixture-runs");
            RunFolder run = TinyRuns.newRun(root, "fixture", tiny(), corpus(), 24);
            RunState end = new Pretrainer(run, train(24), null, 3).run();
            if (end != RunState.FINISHED || run.checkpoints().isEmpty()) {
                throw new IllegalStateException("fixture run ended " + end + " without a checkpoint");
            }
            trainedRun = run;
        }
        return trainedRun;
    }

    /**
     * A CTC fine-tuning run of the tiny config on top of {@link #trainedRun()}'s checkpoint, in the
     * same runs folder: 12 real updates on 24 utterances, validated on 6 at updates 6 and 12, so
     * it has periodic checkpoints, a best.ckpt and two validation results.
     */
    public static synchronized RunFolder finetunedRun() throws Exception {
        if (finetunedRun == null) {
            RunFolder pre = trainedRun();
            List<Path> cps = pre.checkpoints();
            var cfg = org.speechwb.engine.config.Presets.forPretrained(TinyRuns.tinyFinetuneConfig(),
                    cps.get(cps.size() - 1));
            RunFolder run = TinyRuns.newFinetuneRun(pre.dir().getParent(), "ctc-fixture", cfg, corpus(), 24);
            RunState end = new FineTuner(run, train(24), TinyRuns.validUtterances(corpus(), 6), null, null).run();
            if (end != RunState.FINISHED || !Files.isRegularFile(run.bestCheckpointFile())) {
                throw new IllegalStateException("fine-tuning fixture ended " + end + " without a best checkpoint");
            }
            finetunedRun = run;
        }
        return finetunedRun;
    }
}
