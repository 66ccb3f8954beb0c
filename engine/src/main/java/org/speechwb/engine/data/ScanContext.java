package org.speechwb.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.speechwb.engine.audio.AudioFileException;
import org.speechwb.engine.audio.AudioInfo;

/**
 * The part of a scan every reader shares: probing each listed file's header, reporting progress,
 * honouring cancellation and turning unreadable files into {@link SkippedFile}s instead of errors.
 * Readers only list {@link Candidate}s; this class decides what becomes an {@link Utterance}.
 */
final class ScanContext {

    /** Header reads in flight: enough to hide disk latency, few enough not to thrash a spinning disk. */
    static final int PROBE_THREADS = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));

    private final ScanListener listener;
    private final CancellationToken token;
    private final AudioProbe probe;
    private final List<SkippedFile> skipped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ScanContext(ScanListener listener, CancellationToken token, AudioProbe probe) {
        this.listener = Objects.requireNonNullElse(listener, ScanListener.NONE);
        this.token = Objects.requireNonNullElseGet(token, CancellationToken::none);
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    void checkCancelled() {
        token.throwIfCancelled();
    }

    void skip(SkippedFile s) {
        skipped.add(s);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /** Partly readable files named one by one in the warnings; the rest are counted. */
    static final int MAX_LISTED_CAVEATS = 20;

    /** A probed candidate: its utterance and why it is only partly readable (null when whole). */
    private record Probed(Utterance utterance, String caveat) {
    }

    /**
     * Reads the header of every candidate and returns the dataset, utterances in id order.
     * Candidates with a duplicate id are skipped so that ids stay usable as keys downstream: the
     * least damaged one (whole, then partly readable; then by path) wins, and a skipped duplicate that is itself damaged
     * says so, because "duplicate id" alone would hide its real fault. Files that are only partly
     * readable (a WAV 'data' chunk that claims too much, a FLAC file cut short) are kept at the
     * length actually present and named in the warnings. Headers are read by a few threads because
     * on network and spinning disks a scan is bound by per-file latency, not CPU; progress is
     * reported and cancellation checked on the calling thread, so listeners need no locking.
     */
    Dataset probeAll(Path root, DatasetFormat format, List<Candidate> listed) {
        List<Candidate> candidates = new ArrayList<>(listed);
        candidates.sort(Comparator.comparing(Candidate::id).thenComparing(c -> c.audio().toString()));
        Object[] results = new ParallelProbe(candidates).run();
        Map<String, Integer> winner = new HashMap<>();
        for (int i = 0; i < results.length; i++) {
            Integer w = winner.get(candidates.get(i).id());
            if (w == null || damage(results[i]) < damage(results[w])) {
                winner.put(candidates.get(i).id(), i);
            }
        }
        List<Utterance> utterances = new ArrayList<>(results.length);
        List<String> caveats = new ArrayList<>();
        int mismatched = 0;
        Candidate firstMismatch = null;
        for (int i = 0; i < results.length; i++) {
            Candidate c = candidates.get(i);
            int w = winner.get(c.id());
            if (w != i) {
                skipped.add(duplicate(c, candidates.get(w).audio(), results[i]));
                continue;
            }
            if (results[i] instanceof SkippedFile s) {
                skipped.add(s);
                continue;
            }
            Probed p = (Probed) results[i];
            Utterance u = p.utterance();
            if (p.caveat() != null) {
                caveats.add(u.audio() + ": " + p.caveat());
            }
            if (c.declared16k() >= 0 && c.declared16k() != u.samples16k() && mismatched++ == 0) {
                firstMismatch = c;
            }
            utterances.add(u);
        }
        if (mismatched > 0) {
            warnings.add(mismatched + " listed length(s) disagree with the audio headers (first: "
                    + firstMismatch.source().getFileName() + " line " + firstMismatch.line() + ", "
                    + firstMismatch.audio().getFileName() + " listed as " + firstMismatch.declared16k()
                    + " samples); the header lengths are used");
        }
        if (!caveats.isEmpty()) {
            warnings.add(caveats.size() + " file(s) only partly readable; only the part present is used:");
            for (int i = 0; i < Math.min(caveats.size(), MAX_LISTED_CAVEATS); i++) {
                warnings.add("  " + caveats.get(i));
            }
            if (caveats.size() > MAX_LISTED_CAVEATS) {
                warnings.add("  ... " + (caveats.size() - MAX_LISTED_CAVEATS) + " more");
            }
        }
        skipped.sort(Comparator.comparing((SkippedFile s) -> s.file().toString()).thenComparingInt(SkippedFile::line));
        return new Dataset(root, format, utterances, skipped, warnings);
    }

    /** 0 for a whole file, 1 for a partly readable one, 2 for an unusable one: of two same ids, the lesser stays. */
    private static int damage(Object probed) {
        if (probed instanceof Probed p) {
            return p.caveat() == null ? 0 : 1;
        }
        return 2;
    }

    private static SkippedFile duplicate(Candidate c, Path kept, Object probed) {
        StringBuilder detail = new StringBuilder("utterance id '").append(c.id()).append("' is already used by ")
                .append(kept.getFileName());
        if (probed instanceof SkippedFile s) {
            detail.append("; the file is also unusable: ").append(s.reason().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ')).append(s.detail().isEmpty() ? "" : " - " + s.detail());
        } else if (probed instanceof Probed p && p.caveat() != null) {
            detail.append("; the file is also only partly readable: ").append(p.caveat());
        }
        return new SkippedFile(DataPaths.absolute(c.audio()), c.line(), c.source(), SkippedFile.Reason.DUPLICATE_ID,
                detail.toString());
    }

    /** Probes candidates on worker threads; results land at their candidate's index. */
    private final class ParallelProbe {

        private final List<Candidate> candidates;
        private final Object[] results;
        private final AtomicInteger next = new AtomicInteger();
        private final BlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
        private volatile boolean stop;

        ParallelProbe(List<Candidate> candidates) {
            this.candidates = candidates;
            this.results = new Object[candidates.size()];
        }

        Object[] run() {
            int total = candidates.size();
            if (total == 0) {
                return results;
            }
            int threads = Math.min(PROBE_THREADS, total);
            List<Thread> workers = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(this::work, "dataset-scan-" + t);
                w.setDaemon(true);
                workers.add(w);
                w.start();
            }
            try {
                for (int done = 1; done <= total; done++) {
                    Integer i = null;
                    while (i == null) {
                        token.throwIfCancelled();
                        i = finished.poll(100, TimeUnit.MILLISECONDS);
                    }
                    if (results[i] instanceof RuntimeException e) {
                        throw e;
                    }
                    if (results[i] instanceof Error e) {
                        throw e;
                    }
                    token.throwIfCancelled();
                    listener.progress(done, total, DataPaths.absolute(candidates.get(i).audio()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("dataset scan interrupted");
            } finally {
                stop = true;
                for (Thread w : workers) {
                    try {
                        w.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return results;
        }

        private void work() {
            int i;
            while (!stop && (i = next.getAndIncrement()) < candidates.size()) {
                Object result;
                try {
                    result = probeOne(candidates.get(i));
                } catch (RuntimeException | Error e) {
                    result = e;
                }
                results[i] = result;
                finished.add(i);
            }
        }
    }

    private Object probeOne(Candidate c) {
        Path audio = DataPaths.absolute(c.audio());
        try {
            AudioInfo info = probe.probe(audio);
            return new Probed(new Utterance(c.id(), audio, c.speaker(), c.transcript(), info.sampleRate(),
                    info.frames(), c.split()), info.caveat());
        } catch (AudioFileException e) {
            return toSkip(c, audio, e);
        } catch (IllegalArgumentException e) {
            // a header that parsed but holds impossible values (e.g. rate 0)
            return new SkippedFile(audio, c.line(), c.source(), SkippedFile.Reason.CORRUPT_HEADER, e.getMessage());
        }
    }

    private static SkippedFile toSkip(Candidate c, Path audio, AudioFileException e) {
        if (c.source() != null && !Files.exists(audio)) {
            return SkippedFile.atLine(audio, c.source(), c.line(), SkippedFile.Reason.MISSING_FILE,
                    "listed audio file does not exist");
        }
        SkippedFile s = SkippedFile.of(e);
        return new SkippedFile(audio, c.line(), c.source(), s.reason(), s.detail());
    }
}
