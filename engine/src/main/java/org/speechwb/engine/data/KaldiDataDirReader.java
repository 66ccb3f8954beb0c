package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Kaldi data directory: {@code wav.scp} ({@code utt path}), optional {@code text}
 * ({@code utt transcript}) and {@code utt2spk} ({@code utt speaker}); {@code spk2gender} and
 * {@code spk2age} are ignored. Relative audio paths are tried against the data directory, then
 * its parent (corpora shipped as {@code corpus/train/wav.scp} with {@code WAVE/…} paths, like
 * speechocean762), then the recipe root two levels up (Kaldi recipes' {@code data/train}).
 *
 * <p>Many corpora write {@code wav.scp} entries as command pipelines. We never run commands from
 * a data file; the two common decode-to-stdout forms ({@code flac -c -d -s F |} and
 * {@code sox F -t wav - |}) only decode F, which we read directly, so they are mapped to F. Any
 * other pipeline, and Kaldi's {@code ark:offset} references, are skipped with the line and the
 * reason. A {@code segments} file (utterances cut out of longer recordings) is refused as a
 * whole, naming the file, because silently reading whole recordings instead would train on
 * the wrong audio.
 */
final class KaldiDataDirReader implements DatasetReader {

    static final String WAV_SCP = "wav.scp";
    static final String TEXT = "text";
    static final String UTT2SPK = "utt2spk";
    static final String SEGMENTS = "segments";

    private static final Pattern FLAC_PIPE = Pattern.compile("flac\\s+(?:-\\S+\\s+)*(\\S+\\.flac)\\s*(?:-\\S+\\s+)*\\|");
    private static final Pattern SOX_PIPE = Pattern.compile("sox\\s+(\\S+\\.(?:wav|flac))\\s+.*-\\s*\\|");

    @Override
    public DatasetFormat format() {
        return DatasetFormat.KALDI;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path dir = DataPaths.absolute(Files.isDirectory(path) ? path : path.getParent());
        Path scp = dir.resolve(WAV_SCP);
        if (Files.exists(dir.resolve(SEGMENTS))) {
            throw new DatasetFormatException(dir.resolve(SEGMENTS), "Kaldi 'segments' (utterances cut from longer "
                    + "recordings) are not supported yet: cut the segments into files (e.g. with Kaldi's "
                    + "extract-segments) and list those in " + WAV_SCP);
        }
        Map<String, String> text = table(dir.resolve(TEXT), context, false);
        Map<String, String> speakers = table(dir.resolve(UTT2SPK), context, true);
        if (speakers.isEmpty()) {
            context.warn("no " + UTT2SPK + " in " + dir + ": speakers are unknown, so speaker-disjoint splits are impossible");
        }
        List<String> lines = TextFiles.lines(scp);
        List<Candidate> candidates = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                context.skip(SkippedFile.atLine(scp, scp, lineNo, SkippedFile.Reason.BAD_LINE,
                        "expected 'utterance-id audio-path'"));
                continue;
            }
            String id = parts[0];
            Integer first = seen.putIfAbsent(id, lineNo);
            if (first != null) {
                context.skip(SkippedFile.atLine(scp, scp, lineNo, SkippedFile.Reason.DUPLICATE_ID,
                        "id '" + id + "' is already listed on line " + first));
                continue;
            }
            String audio;
            try {
                audio = audioPath(parts[1].strip());
            } catch (IllegalArgumentException e) {
                context.skip(SkippedFile.atLine(scp, scp, lineNo, SkippedFile.Reason.BAD_LINE, e.getMessage()));
                continue;
            }
            candidates.add(new Candidate(id, resolve(dir, audio), speakers.get(id), text.get(id), null, scp,
                    lineNo, -1));
        }
        int orphans = 0;
        for (String id : text.keySet()) {
            if (!seen.containsKey(id)) {
                orphans++;
            }
        }
        if (orphans > 0) {
            context.warn(orphans + " transcript(s) in " + dir.resolve(TEXT) + " have no entry in " + WAV_SCP
                    + " and were ignored");
        }
        return context.probeAll(dir, format(), candidates);
    }

    /**
     * The audio file of a {@code wav.scp} entry: a plain path, or the file a known decode-only
     * pipeline reads.
     *
     * @throws IllegalArgumentException naming the form when the entry is something we will not run
     */
    static String audioPath(String entry) {
        if (!entry.endsWith("|")) {
            if (entry.matches(".*\\.ark:\\d+$")) {
                throw new IllegalArgumentException("Kaldi archive reference '" + entry + "' is not supported; "
                        + "list audio files instead");
            }
            return entry;
        }
        Matcher flac = FLAC_PIPE.matcher(entry);
        if (flac.matches()) {
            return flac.group(1);
        }
        Matcher sox = SOX_PIPE.matcher(entry);
        if (sox.matches()) {
            return sox.group(1);
        }
        throw new IllegalArgumentException("command pipeline '" + entry + "' is not run (only 'flac -c -d -s FILE |' "
                + "and 'sox FILE -t wav - |' are understood); convert the audio to WAV or FLAC files");
    }

    private static Path resolve(Path dir, String audio) {
        Path p = Path.of(audio);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path inDir = dir.resolve(p).normalize();
        for (Path up = dir; up != null && depth(dir, up) <= 2; up = up.getParent()) {
            if (Files.exists(up.resolve(p))) {
                return up.resolve(p).normalize();
            }
        }
        return inDir;
    }

    private static int depth(Path dir, Path ancestor) {
        return dir.getNameCount() - ancestor.getNameCount();
    }

    /** An optional two-column Kaldi table ({@code key value...}); the first occurrence of a key wins. */
    private static Map<String, String> table(Path file, ScanContext context, boolean singleToken) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines = TextFiles.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String value = parts.length < 2 ? "" : TextFiles.normaliseText(parts[1]);
            if (singleToken && (value.isEmpty() || value.contains(" "))) {
                context.skip(SkippedFile.atLine(file, file, i + 1, SkippedFile.Reason.BAD_LINE,
                        "expected 'utterance-id speaker-id'"));
                continue;
            }
            if (out.putIfAbsent(parts[0], value) != null) {
                context.skip(SkippedFile.atLine(file, file, i + 1, SkippedFile.Reason.DUPLICATE_ID,
                        "id '" + parts[0] + "' appears twice"));
            }
        }
        return out;
    }
}
