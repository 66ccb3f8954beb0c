package org.speechwb.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.speechwb.engine.corpus.CorpusRecipe;
import org.speechwb.engine.corpus.CorpusSplit;
import org.speechwb.engine.corpus.CorpusSplitPlan;
import org.speechwb.engine.corpus.CorpusSummary;
import org.speechwb.engine.corpus.DefaultVoices;
import org.speechwb.engine.corpus.SplitOptions;
import org.speechwb.engine.corpus.SplitSummary;
import org.speechwb.engine.corpus.SplitTargets;
import org.speechwb.engine.corpus.SyntheticCorpusBuilder;
import org.speechwb.engine.corpus.TtsEngine;
import org.speechwb.engine.corpus.TtsToolchain;
import org.speechwb.engine.corpus.TtsVoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code speechwb synth-corpus}: builds a labelled multi-voice English corpus with espeak-ng and
 * flite. The defaults reproduce the corpus bundled in datasets/harvard-tts (see datasets/README.md).
 */
@Command(name = "synth-corpus", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Synthesise a labelled multi-voice English corpus with espeak-ng and flite (" + TtsEngine.INSTALL_HINT + ").",
                "Splits are speaker-disjoint (test voices are held out) and sentence-disjoint; sentences of the",
                "exclusion list (the real-speech transcripts) are in no split. Output: 16 kHz FLAC, utterances.tsv,",
                "fairseq manifests (root line \".\" = the manifest's folder), .ltr/.wrd targets and corpus.json.",
                "The defaults reproduce the bundled corpus: speechwb synth-corpus --out datasets/harvard-tts"})
public final class SynthCorpusCommand implements Callable<Integer> {

    static final String DEFAULT_TEXT = "datasets/text/harvard-sentences.txt";
    static final String DEFAULT_EXCLUDE = "datasets/real-speech/transcripts.tsv";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder (created; must be empty unless --overwrite).")
    Path out;

    @Option(names = "--text", paramLabel = "FILE", description = "Prompt sentences, one a line (default: " + DEFAULT_TEXT + " of the project).")
    Path text;

    @Option(names = "--exclude", paramLabel = "FILE",
            description = "Sentences to keep out of every split: TSV with a 'text' column or one a line (default: " + DEFAULT_EXCLUDE + ").")
    Path exclude;

    @Option(names = "--no-exclude", description = "Use no exclusion list.")
    boolean noExclude;

    @Option(names = "--voices", split = ",", paramLabel = "SPEC",
            description = "Voice inventory, e.g. flite-slt,espeak-en-gb+f2,espeak-en-us+Annie:F (default: 20 built-in voices).")
    List<String> voices;

    @Option(names = "--test-voices", split = ",", paramLabel = "ID", description = "Speaker ids to hold out for test (default: chosen by the seed).")
    List<String> testVoices;

    @Option(names = "--test-voice-count", defaultValue = "4", description = "Voices held out for test when --test-voices is not given (default: ${DEFAULT-VALUE}).")
    int testVoiceCount;

    @Option(names = "--train-minutes", defaultValue = "13.6", description = "Minutes of train audio (default: ${DEFAULT-VALUE}).")
    double trainMinutes;

    @Option(names = "--valid-minutes", defaultValue = "3", description = "Minutes of valid audio (default: ${DEFAULT-VALUE}).")
    double validMinutes;

    @Option(names = "--test-minutes", defaultValue = "5", description = "Minutes of test audio (default: ${DEFAULT-VALUE}).")
    double testMinutes;

    @Option(names = "--valid-sentences", defaultValue = "0.10", description = "Share of sentences reserved for valid (default: ${DEFAULT-VALUE}).")
    double validSentences;

    @Option(names = "--test-sentences", defaultValue = "0.15", description = "Share of sentences reserved for test (default: ${DEFAULT-VALUE}).")
    double testSentences;

    @Option(names = "--seed", defaultValue = "" + CorpusRecipe.DEFAULT_SEED, description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--speed-jitter", defaultValue = "0.12", description = "Per-utterance speaking rate factor drawn from [1-j, 1+j] (default: ${DEFAULT-VALUE}).")
    double speedJitter;

    @Option(names = "--pitch-jitter", defaultValue = "0.12", description = "Per-utterance pitch factor drawn from [1-j, 1+j] (default: ${DEFAULT-VALUE}).")
    double pitchJitter;

    @Option(names = "--min-peak-dbfs", defaultValue = "-18", description = "Lowest per-utterance peak level (default: ${DEFAULT-VALUE}).")
    double minPeakDbfs;

    @Option(names = "--max-peak-dbfs", defaultValue = "-3", description = "Highest per-utterance peak level (default: ${DEFAULT-VALUE}).")
    double maxPeakDbfs;

    @Option(names = "--threads", description = "TTS processes at once (default: number of CPU cores).")
    Integer threads;

    @Option(names = "--timeout-seconds", defaultValue = "60", description = "Limit for one TTS run (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--overwrite", description = "Replace a corpus already in the output folder (only files a build writes are removed).")
    boolean overwrite;

    @Option(names = "--dry-run", description = "Print the split plan (voices, sentences) and stop without synthesising.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            CorpusRecipe recipe = recipe();
            SyntheticCorpusBuilder builder = new SyntheticCorpusBuilder(recipe, TtsToolchain.system(Duration.ofSeconds(timeoutSeconds)));
            if (dryRun) {
                printPlan(stdout, builder.plan());
                return 0;
            }
            ProgressPrinter progress = new ProgressPrinter(stdout);
            CorpusSummary summary = builder.build(out, overwrite, invocation(), progress);
            printSummary(stdout, summary);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            stderr.println("synth-corpus: " + e.getMessage());
            stderr.flush();
            return 1;
        }
    }

    CorpusRecipe recipe() {
        Path home = Path.of(System.getProperty("speechwb.home", ""));
        Path textFile = text != null ? text : home.resolve(DEFAULT_TEXT);
        Path exclusionFile = noExclude ? null : exclude != null ? exclude : home.resolve(DEFAULT_EXCLUDE);
        List<TtsVoice> inventory = voices == null ? DefaultVoices.all() : voices.stream().map(TtsVoice::parse).toList();
        SplitOptions splits = new SplitOptions(validSentences, testSentences,
                testVoices == null ? List.of() : testVoices, testVoiceCount);
        return CorpusRecipe.builder(textFile, new SplitTargets(trainMinutes, validMinutes, testMinutes))
                .exclusionFile(exclusionFile)
                .voices(inventory)
                .splits(splits)
                .seed(seed)
                .jitter(speedJitter, pitchJitter)
                .peakDbfs(minPeakDbfs, maxPeakDbfs)
                .threads(threads != null ? threads : Runtime.getRuntime().availableProcessors())
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .build();
    }

    /** The command as typed (minus --threads, which does not change the result), for corpus.json. */
    private String invocation() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("speechwb synth-corpus");
        int first = args.indexOf(spec.name()) + 1; // the parent's arguments come first when run through speechwb
        for (int i = first; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--threads")) {
                i++;
                continue;
            }
            if (a.startsWith("--threads=")) {
                continue;
            }
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    private static void printPlan(PrintWriter out, CorpusSplitPlan plan) {
        for (CorpusSplit split : CorpusSplit.values()) {
            out.printf(Locale.ROOT, "%-5s %3d sentences, voices: %s%n", split.id(), plan.sentences(split).size(),
                    String.join(" ", plan.voices(split).stream().map(TtsVoice::spec).toList()));
        }
        out.printf(Locale.ROOT, "excluded %d sentences: %s%n", plan.excluded().size(),
                plan.excluded().stream().map(e -> "line " + e.prompt().line()).toList());
        out.flush();
    }

    private static void printSummary(PrintWriter out, CorpusSummary summary) {
        for (SplitSummary s : summary.splits()) {
            out.printf(Locale.ROOT, "%-5s %4d utterances, %3d sentences, %2d voices, %6.2f min%n", s.split().id(),
                    s.utterances(), s.sentencesUsed(), s.voices().size(), s.minutes());
        }
        out.printf(Locale.ROOT, "total %4d utterances, %.2f min, %.2f MB of FLAC; tools: %s%n", summary.totalUtterances(),
                summary.totalSeconds() / 60, summary.audioBytes() / 1e6, summary.toolVersions());
        out.flush();
    }

    /** One line per 5 % of each split's target. */
    private static final class ProgressPrinter implements org.speechwb.engine.corpus.ProgressListener {
        private final PrintWriter out;
        private CorpusSplit split;
        private int lastStep = -1;

        ProgressPrinter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onProgress(CorpusSplit s, int utterances, double seconds, double targetSeconds) {
            if (s != split) {
                split = s;
                lastStep = -1;
            }
            int step = (int) Math.min(20, Math.floor(20 * seconds / targetSeconds));
            if (step > lastStep) {
                lastStep = step;
                out.printf(Locale.ROOT, "[%s] %4d utterances, %6.2f / %.2f min%n", s.id(), utterances, seconds / 60, targetSeconds / 60);
                out.flush();
            }
        }
    }
}
