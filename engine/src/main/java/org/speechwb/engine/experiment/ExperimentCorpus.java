package org.speechwb.engine.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.speechwb.engine.corpus.CorpusRecipe;
import org.speechwb.engine.corpus.CorpusSplit;
import org.speechwb.engine.corpus.DefaultVoices;
import org.speechwb.engine.corpus.ProgressListener;
import org.speechwb.engine.corpus.SplitOptions;
import org.speechwb.engine.corpus.SplitTargets;
import org.speechwb.engine.corpus.SyntheticCorpusBuilder;
import org.speechwb.engine.corpus.TtsToolchain;

/**
 * The corpus an experiment runs on: the one its config names, or else a synthetic corpus (the
 * default voices reading the bundled Harvard sentences, none of the real-speech test prompts)
 * built once into the folder's {@code corpus/} and reused after.
 */
final class ExperimentCorpus {

    private ExperimentCorpus() {
    }

    static Path resolve(ExperimentConfig cfg, Path home, Path out, Consumer<String> log, StageClock clock)
            throws IOException {
        if (!cfg.corpus().isBlank()) {
            Path p = home.resolve(cfg.corpus());
            if (!Files.exists(p)) {
                throw new IOException("corpus " + p + " does not exist");
            }
            clock.record("corpus", "corpus (given)", 0, true);
            return p;
        }
        Path dir = out.resolve("corpus");
        StageClock.Mark t0 = clock.start();
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
                    .build(dir, true, "speechwb experiment (train " + cfg.buildTrainMinutes() + " min)", progress(log));
        }
        clock.record("corpus", "corpus (synthesised, " + cfg.buildTrainMinutes() + " min of training audio)",
                clock.ownSeconds(t0), exists);
        return dir;
    }

    /** Logs the synthesis every 10 % of each split's target. */
    private static ProgressListener progress(Consumer<String> log) {
        Map<CorpusSplit, Integer> steps = new EnumMap<>(CorpusSplit.class);
        return (split, utterances, seconds, targetSeconds) -> {
            int step = targetSeconds <= 0 ? 10 : (int) Math.min(10, Math.floor(10 * seconds / targetSeconds));
            if (steps.getOrDefault(split, -1) < step) {
                steps.put(split, step);
                log.accept(String.format(Locale.ROOT, "  %s: %d utterances, %.1f of %.1f min", split.id(), utterances,
                        seconds / 60, targetSeconds / 60));
            }
        };
    }
}
