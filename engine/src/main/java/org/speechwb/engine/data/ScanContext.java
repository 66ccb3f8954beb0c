package org.speechwb.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.speechwb.engine.audio.AudioFileException;
import org.speechwb.engine.audio.AudioInfo;

/**
 * The part of a scan every reader shares: probing each listed file's header, reporting progress,
 * honouring cancellation and turning unreadable files into {@link SkippedFile}s instead of errors.
 * Readers only list {@link Candidate}s; this class decides what becomes an {@link Utterance}.
 */
final class ScanContext {

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
     * Reads the header of every candidate, in id order. Candidates with a duplicate id are skipped
     * (the first by id, then path, wins) so that ids stay usable as keys downstream.
     */
    Dataset probeAll(Path root, DatasetFormat format, List<Candidate> listed) {
        List<Candidate> candidates = new ArrayList<>(listed);
        candidates.sort(Comparator.comparing(Candidate::id).thenComparing(c -> c.audio().toString()));
        int total = candidates.size();
        List<Utterance> utterances = new ArrayList<>(total);
        Set<String> seen = new HashSet<>();
        int mismatched = 0;
        Candidate firstMismatch = null;
        for (int i = 0; i < total; i++) {
            token.throwIfCancelled();
            Candidate c = candidates.get(i);
            Path audio = DataPaths.absolute(c.audio());
            if (!seen.add(c.id())) {
                skipped.add(new SkippedFile(audio, c.line(), c.source(), SkippedFile.Reason.DUPLICATE_ID,
                        "utterance id '" + c.id() + "' appears more than once"));
            } else {
                try {
                    AudioInfo info = probe.probe(audio);
                    Utterance u = new Utterance(c.id(), audio, c.speaker(), c.transcript(), info.sampleRate(),
                            info.frames(), c.split());
                    if (c.declared16k() >= 0 && c.declared16k() != u.samples16k()) {
                        if (mismatched++ == 0) {
                            firstMismatch = c;
                        }
                    }
                    utterances.add(u);
                } catch (AudioFileException e) {
                    skipped.add(toSkip(c, audio, e));
                }
            }
            listener.progress(i + 1, total, audio);
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

    private static SkippedFile toSkip(Candidate c, Path audio, AudioFileException e) {
        if (c.source() != null && !Files.exists(audio)) {
            return SkippedFile.atLine(audio, c.source(), c.line(), SkippedFile.Reason.MISSING_FILE,
                    "listed audio file does not exist");
        }
        SkippedFile s = SkippedFile.of(e);
        return new SkippedFile(audio, c.line(), c.source(), s.reason(), s.detail());
    }
}
