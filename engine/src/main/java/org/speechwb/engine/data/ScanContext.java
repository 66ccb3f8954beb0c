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

    /**
     * Reads the header of every candidate and returns the dataset, utterances in id order.
     * Candidates with a duplicate id are skipped (the first by id, then path, wins) so that ids
     * stay usable as keys downstream. Headers are read by a few threads because on network and
     * spinning disks a scan is bound by per-file latency, not CPU; progress is reported and
     * cancellation checked on the calling thread, so listeners need no locking.
     */
    Dataset probeAll(Path root, DatasetFormat format, List<Candidate> listed) {
        List<Candidate> candidates = new ArrayList<>(listed);
        candidates.sort(Comparator.comparing(Candidate::id).thenComparing(c -> c.audio().toString()));
        List<Candidate> unique = new ArrayList<>(candidates.size());
        Map<String, Path> kept = new HashMap<>();
        for (Candidate c : candidates) {
            Path first = kept.putIfAbsent(c.id(), c.audio());
            if (first == null) {
                unique.add(c);
            } else {
                skipped.add(new SkippedFile(DataPaths.absolute(c.audio()), c.line(), c.source(),
                        SkippedFile.Reason.DUPLICATE_ID, "utterance id '" + c.id() + "' is already used by "
                        + first.getFileName()));
            }
        }
        Object[] results = new ParallelProbe(unique).run();
        List<Utterance> utterances = new ArrayList<>(unique.size());
        int mismatched = 0;
        Candidate firstMismatch = null;
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof SkippedFile s) {
                skipped.add(s);
                continue;
            }
            Utterance u = (Utterance) results[i];
            Candidate c = unique.get(i);
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
        skipped.sort(Comparator.comparing((SkippedFile s) -> s.file().toString()).thenComparingInt(SkippedFile::line));
        return new Dataset(root, format, utterances, skipped, warnings);
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
            return new Utterance(c.id(), audio, c.speaker(), c.transcript(), info.sampleRate(), info.frames(),
                    c.split());
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
