package org.speechwb.engine.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.audio.FlacWriter;
import org.speechwb.engine.audio.Resampler;
import org.speechwb.engine.util.FileTrees;

/**
 * Synthesises a labelled corpus from a {@link CorpusRecipe}: plans the splits, runs the TTS
 * programs on N threads, post-processes each utterance (edge silence, 16 kHz, peak level) into
 * a FLAC file and writes the metadata of our native format plus fairseq manifests.
 *
 * <p>Reproducibility: every random choice for an utterance comes from a stream seeded by the
 * recipe seed and the utterance id, and utterances are accepted strictly in plan order (batches
 * run in parallel, the accepted prefix does not depend on which finished first), so the same
 * recipe and TTS versions give the same corpus on any number of threads.
 */
public final class SyntheticCorpusBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SyntheticCorpusBuilder.class);

    /** An utterance shorter than this after trimming means the TTS program said nothing useful. */
    static final double MIN_UTTERANCE_SECONDS = 0.3;

    private final CorpusRecipe recipe;
    private final TtsToolchain toolchain;

    public SyntheticCorpusBuilder(CorpusRecipe recipe, TtsToolchain toolchain) {
        this.recipe = recipe;
        this.toolchain = toolchain;
    }

    /** The split plan this recipe leads to, without synthesising anything. */
    public CorpusSplitPlan plan() throws IOException {
        List<Prompt> prompts = PromptFile.read(recipe.textFile());
        SentenceExclusion exclusion = recipe.exclusionFile() == null
                ? SentenceExclusion.none() : SentenceExclusion.read(recipe.exclusionFile());
        return CorpusSplitPlan.create(prompts, exclusion, recipe.voices(), recipe.splits(), recipe.seed());
    }

    /**
     * Builds the corpus into {@code outDir}.
     *
     * @param outDir     created if missing; must be empty unless {@code overwrite}, which first
     *                   deletes the files a previous build wrote there (and nothing else)
     * @param invocation the command line, recorded in corpus.json; may be null
     * @throws TtsException if a program or voice is missing or a synthesis fails
     * @throws IOException  if the inputs cannot be read or the corpus cannot be written
     */
    public CorpusSummary build(Path outDir, boolean overwrite, String invocation, ProgressListener progress)
            throws IOException {
        CorpusSplitPlan plan = plan();
        Set<TtsVoice> needed = new LinkedHashSet<>();
        for (CorpusSplit split : CorpusSplit.values()) {
            if (recipe.targets().minutes(split) > 0) {
                needed.addAll(plan.voices(split));
            }
        }
        Map<String, String> versions = toolchain.check(needed);
        LOG.info("TTS: {}; test voices: {}; {} sentences excluded", versions,
                plan.voices(CorpusSplit.TEST).stream().map(TtsVoice::speakerId).toList(), plan.excluded().size());
        prepareOutput(outDir, overwrite);
        Path scratch = Files.createTempDirectory("speechwb-synth-");
        ExecutorService pool = Executors.newFixedThreadPool(recipe.threads(), r -> {
            Thread t = new Thread(r, "synth-corpus");
            t.setDaemon(true);
            return t;
        });
        try {
            List<SynthesizedUtterance> all = new ArrayList<>();
            List<SplitSummary> summaries = new ArrayList<>();
            for (CorpusSplit split : CorpusSplit.values()) {
                List<SynthesizedUtterance> done = synthesizeSplit(plan, split, outDir, scratch, pool, progress);
                all.addAll(done);
                summaries.add(summarize(plan, split, done));
            }
            CorpusSummary summary = new CorpusSummary(summaries, versions, plan.excluded(), audioBytes(outDir));
            CorpusMetadataWriter.write(outDir, recipe, invocation, all, summary);
            return summary;
        } finally {
            pool.shutdownNow();
            FileTrees.delete(scratch);
        }
    }

    private List<SynthesizedUtterance> synthesizeSplit(CorpusSplitPlan plan, CorpusSplit split, Path outDir, Path scratch,
                                                       ExecutorService pool, ProgressListener progress) throws IOException {
        double target = recipe.targets().minutes(split) * 60;
        List<SynthesizedUtterance> accepted = new ArrayList<>();
        if (target <= 0) {
            return accepted;
        }
        List<PlannedUtterance> candidates = plan.candidates(split);
        double seconds = 0;
        int next = 0;
        while (seconds < target && next < candidates.size()) {
            int batch = batchSize(target - seconds, accepted.isEmpty() ? 0 : seconds / accepted.size());
            List<PlannedUtterance> work = candidates.subList(next, Math.min(candidates.size(), next + batch));
            next += work.size();
            List<Future<SynthesizedUtterance>> futures = new ArrayList<>();
            for (PlannedUtterance u : work) {
                futures.add(pool.submit(() -> render(u, outDir, scratch)));
            }
            List<SynthesizedUtterance> results = collect(futures);
            for (SynthesizedUtterance r : results) {
                if (seconds < target) {
                    accepted.add(r);
                    seconds += r.seconds();
                    progress.onProgress(split, accepted.size(), seconds, target);
                } else {
                    Files.deleteIfExists(CorpusLayout.resolve(outDir, r.path()));
                }
            }
        }
        if (seconds < target) {
            LOG.warn("{}: only {} of the {} minutes asked for: every voice has spoken every {} sentence",
                    split.id(), String.format(Locale.ROOT, "%.1f", seconds / 60),
                    recipe.targets().minutes(split), split.id());
        }
        removeEmptySpeakerFolders(outDir);
        return accepted;
    }

    /** Enough work for all threads, but not much more than the remaining target needs. */
    private int batchSize(double remainingSeconds, double meanSeconds) {
        int perRound = Math.max(8, 4 * recipe.threads());
        if (meanSeconds <= 0) {
            return perRound;
        }
        int needed = (int) Math.ceil(remainingSeconds / meanSeconds) + recipe.threads();
        return Math.max(recipe.threads(), Math.min(perRound, needed));
    }

    private static List<SynthesizedUtterance> collect(List<Future<SynthesizedUtterance>> futures) throws IOException {
        List<SynthesizedUtterance> out = new ArrayList<>(futures.size());
        try {
            for (Future<SynthesizedUtterance> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IOException("corpus synthesis was interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("corpus synthesis failed: " + cause, cause);
        }
        return out;
    }

    /** Speaks one utterance and writes its FLAC; the draws come from the utterance's own stream. */
    private SynthesizedUtterance render(PlannedUtterance u, Path outDir, Path scratch) throws IOException {
        SplittableRandom random = Seeds.stream(recipe.seed(), "utterance/" + u.id());
        Prosody prosody = new Prosody(uniform(random, 1 - recipe.speedJitter(), 1 + recipe.speedJitter()),
                uniform(random, 1 - recipe.pitchJitter(), 1 + recipe.pitchJitter()));
        double peakDbfs = uniform(random, recipe.minPeakDbfs(), recipe.maxPeakDbfs());
        double lead = uniform(random, recipe.minEdgeSilence(), recipe.maxEdgeSilence());
        double trail = uniform(random, recipe.minEdgeSilence(), recipe.maxEdgeSilence());

        Path wav = scratch.resolve(u.id() + ".wav");
        try {
            toolchain.synthesizer(u.voice().engine()).synthesize(u.voice(), u.prompt().text(), prosody, wav);
            AudioClip clip = AudioReader.read(wav);
            float[] edged = AudioPostProcessor.fitEdgeSilence(clip.samples(), clip.sampleRate(), lead, trail);
            float[] samples = Resampler.resample(edged, clip.sampleRate(), CorpusLayout.SAMPLE_RATE);
            if (samples.length < MIN_UTTERANCE_SECONDS * CorpusLayout.SAMPLE_RATE || AudioPostProcessor.peak(samples) == 0) {
                throw new TtsException(u.voice().engine().program() + " produced only "
                        + String.format(Locale.ROOT, "%.2f", (double) samples.length / CorpusLayout.SAMPLE_RATE)
                        + " s of audio for " + u.id() + " (\"" + u.prompt().text() + "\")");
            }
            AudioPostProcessor.normalizePeak(samples, peakDbfs);
            String path = CorpusLayout.audioPath(u.voice().speakerId(), u.id());
            Path flac = CorpusLayout.resolve(outDir, path);
            Files.createDirectories(flac.getParent());
            FlacWriter.write(flac, samples, CorpusLayout.SAMPLE_RATE);
            return new SynthesizedUtterance(u, path, samples.length, prosody, peakDbfs);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    private static double uniform(SplittableRandom random, double low, double high) {
        return low == high ? low : low + (high - low) * random.nextDouble();
    }

    private static SplitSummary summarize(CorpusSplitPlan plan, CorpusSplit split, List<SynthesizedUtterance> done) {
        Set<Integer> lines = new HashSet<>();
        double seconds = 0;
        for (SynthesizedUtterance u : done) {
            lines.add(u.planned().prompt().line());
            seconds += u.seconds();
        }
        List<TtsVoice> voices = done.isEmpty() ? List.of() : plan.voices(split);
        return new SplitSummary(split, voices, done.size(), plan.sentences(split).size(), lines.size(), seconds);
    }

    /** Refuses to mix two builds in one folder; with {@code overwrite} clears only our own files. */
    private static void prepareOutput(Path outDir, boolean overwrite) throws IOException {
        Files.createDirectories(outDir);
        List<String> ours = new ArrayList<>(List.of(CorpusLayout.CORPUS_JSON, CorpusLayout.UTTERANCES_TSV, CorpusLayout.AUDIO_DIR));
        for (CorpusSplit s : CorpusSplit.values()) {
            ours.addAll(List.of(CorpusLayout.manifest(s), CorpusLayout.letters(s), CorpusLayout.words(s)));
        }
        List<String> present = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(outDir)) {
            entries.forEach(p -> present.add(p.getFileName().toString()));
        }
        if (present.isEmpty()) {
            return;
        }
        if (!overwrite) {
            throw new IOException("output folder " + outDir + " is not empty (" + present.size()
                    + " entries); choose an empty folder or allow overwriting");
        }
        for (String name : ours) {
            FileTrees.delete(outDir.resolve(name));
        }
    }

    private static long audioBytes(Path outDir) throws IOException {
        Path audio = outDir.resolve(CorpusLayout.AUDIO_DIR);
        if (!Files.isDirectory(audio)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(audio)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void removeEmptySpeakerFolders(Path outDir) throws IOException {
        Path audio = outDir.resolve(CorpusLayout.AUDIO_DIR);
        if (!Files.isDirectory(audio)) {
            return;
        }
        try (DirectoryStream<Path> speakers = Files.newDirectoryStream(audio)) {
            for (Path dir : speakers) {
                try (Stream<Path> content = Files.list(dir)) {
                    if (content.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        }
    }

}
