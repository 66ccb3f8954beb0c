package org.speechwb.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetLoader;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.TrainingData;

/**
 * The engine's tiny wav2vec 2.0 (seconds per update, same code paths as BASE) on the bundled
 * corpus: what the benchmark, the screenshot command and the GUI tests train for real.
 */
public final class TinyRuns {

    public static final String TINY_CONFIG = "engine/src/test/resources/tiny-pretrain.yaml";
    public static final String CORPUS = "datasets/harvard-tts";
    /** The engine's tiny wav2vec 1.0 (paper encoder geometry, 16 channels, K = 4, binary loss). */
    public static final String TINY_WAV2VEC1_CONFIG = "engine/src/test/resources/tiny-wav2vec1.yaml";
    /** The engine's tiny CTC fine-tuning config (architecture of {@link #TINY_CONFIG}). */
    public static final String TINY_FINETUNE_CONFIG = "engine/src/test/resources/tiny-finetune.yaml";

    private TinyRuns() {
    }

    /** The repository root: -Dspeechwb.home, else the nearest folder above the working directory with datasets/. */
    public static Path home() {
        String prop = System.getProperty("speechwb.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve(CORPUS))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find " + CORPUS + " above " + Path.of("").toAbsolutePath()
                    + "; pass -Dspeechwb.home=<repository root>");
        }
        return p;
    }

    public static PretrainConfig tinyConfig() throws ConfigException {
        return ConfigIO.read(home().resolve(TINY_CONFIG), PretrainConfig.class);
    }

    public static PretrainConfig tinyWav2Vec1Config() throws ConfigException {
        return ConfigIO.read(home().resolve(TINY_WAV2VEC1_CONFIG), PretrainConfig.class);
    }

    public static org.speechwb.engine.config.FinetuneConfig tinyFinetuneConfig() throws ConfigException {
        return ConfigIO.read(home().resolve(TINY_FINETUNE_CONFIG), org.speechwb.engine.config.FinetuneConfig.class);
    }

    /** The first {@code n} validation utterances of the bundled corpus. */
    public static List<Utterance> validUtterances(Dataset corpus, int n) {
        List<Utterance> all = TrainingData.select(corpus, "valid");
        return all.subList(0, Math.min(n, all.size()));
    }

    public static Dataset corpus() throws IOException {
        return DatasetLoader.open(home().resolve(CORPUS));
    }

    /** The first {@code n} training utterances of the bundled corpus. */
    public static List<Utterance> trainUtterances(Dataset corpus, int n) {
        List<Utterance> all = TrainingData.select(corpus, "train");
        return all.subList(0, Math.min(n, all.size()));
    }

    /** A new run folder under {@code runsRoot} holding the tiny config. */
    public static RunFolder newRun(Path runsRoot, String name, PretrainConfig cfg, Dataset corpus, int utterances)
            throws IOException {
        return create(runsRoot, name, cfg, corpus, utterances);
    }

    /** A new fine-tuning run folder under {@code runsRoot}. */
    public static RunFolder newFinetuneRun(Path runsRoot, String name, org.speechwb.engine.config.FinetuneConfig cfg,
                                           Dataset corpus, int utterances) throws IOException {
        return create(runsRoot, name, cfg, corpus, utterances);
    }

    private static RunFolder create(Path runsRoot, String name, Object cfg, Dataset corpus, int utterances)
            throws IOException {
        Provenance p = new Provenance(corpus.root().toString(), corpus.format().name(), corpus.fingerprint(), "train",
                utterances, 0, Provenance.gitCommit(home()), Provenance.ENGINE_VERSION, "CPU", "tiny",
                System.getProperty("java.version"), System.getProperty("os.name"), Provenance.now(), List.of("tiny"));
        return new RunStore(runsRoot).create(name, cfg, p);
    }
}
