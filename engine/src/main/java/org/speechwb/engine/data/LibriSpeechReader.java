package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads LibriSpeech: {@code speaker/chapter/speaker-chapter-NNNN.flac} with one
 * {@code speaker-chapter.trans.txt} per chapter ({@code ID TEXT} lines). Accepts a subset folder
 * ({@code train-clean-100}) or the folder holding several subsets; the subset name sets the
 * predefined split ({@code train*} to train, {@code dev*} to valid, {@code test*} to test).
 * A chapter without transcripts is kept as unlabeled audio with a warning, because LibriSpeech
 * audio is still useful for pre-training; a transcript line without audio is skipped by line.
 */
final class LibriSpeechReader implements DatasetReader {

    private static final Pattern NUMERIC = Pattern.compile("\\d+");

    @Override
    public DatasetFormat format() {
        return DatasetFormat.LIBRISPEECH;
    }

    /** True if {@code dir} looks like a subset folder: numeric speaker/chapter folders with a trans.txt. */
    static boolean isSubset(Path dir) throws IOException {
        for (Path speaker : numericDirs(dir)) {
            for (Path chapter : numericDirs(speaker)) {
                if (Files.isRegularFile(transcriptFile(speaker, chapter))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The subset folders to read: {@code dir} itself, or its children that are subsets. */
    static List<Path> subsets(Path dir) throws IOException {
        if (isSubset(dir)) {
            return List.of(dir);
        }
        List<Path> found = new ArrayList<>();
        for (Path child : sortedDirs(dir)) {
            if (isSubset(child)) {
                found.add(child);
            }
        }
        return found;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path root = DataPaths.absolute(path);
        List<Path> subsets = subsets(root);
        if (subsets.isEmpty()) {
            throw new DatasetFormatException(root, "no LibriSpeech speaker/chapter/*.trans.txt layout found");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Path subset : subsets) {
            String split = splitOf(subset.getFileName().toString());
            for (Path speaker : numericDirs(subset)) {
                for (Path chapter : numericDirs(speaker)) {
                    context.checkCancelled();
                    readChapter(subset, speaker, chapter, split, candidates, context);
                }
            }
        }
        return context.probeAll(root, format(), candidates);
    }

    private static void readChapter(Path subset, Path speaker, Path chapter, String split, List<Candidate> out,
                                    ScanContext context) throws IOException {
        Map<String, Path> audioById = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(chapter)) {
            files.filter(Files::isRegularFile).filter(DataPaths::isAudio)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().forEach(p -> audioById.put(DataPaths.stem(p), p));
        }
        String speakerId = speaker.getFileName().toString();
        Path trans = transcriptFile(speaker, chapter);
        String where = subset.getFileName() + "/" + speakerId + "/" + chapter.getFileName();
        if (!Files.isRegularFile(trans)) {
            if (!audioById.isEmpty()) {
                context.warn(where + ": no " + trans.getFileName() + "; its " + audioById.size()
                        + " file(s) are read as unlabeled");
            }
            audioById.forEach((id, p) -> out.add(Candidate.found(id, p, speakerId, null, split)));
            return;
        }
        List<String> lines = TextFiles.lines(trans);
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                context.skip(SkippedFile.atLine(trans, trans, i + 1, SkippedFile.Reason.BAD_LINE,
                        "expected 'ID TEXT'"));
                continue;
            }
            String id = line.substring(0, space);
            text.put(id, TextFiles.normaliseText(line.substring(space + 1)));
            lineOf.put(id, i + 1);
        }
        int unlabeled = 0;
        for (Map.Entry<String, Path> e : audioById.entrySet()) {
            String t = text.get(e.getKey());
            if (t == null) {
                unlabeled++;
            }
            Integer line = lineOf.get(e.getKey());
            out.add(new Candidate(e.getKey(), e.getValue(), speakerId, t, split, line == null ? null : trans,
                    line == null ? 0 : line, -1));
        }
        if (unlabeled > 0) {
            context.warn(where + ": " + unlabeled + " audio file(s) have no line in " + trans.getFileName()
                    + " and are read as unlabeled");
        }
        for (Map.Entry<String, Integer> e : lineOf.entrySet()) {
            if (!audioById.containsKey(e.getKey())) {
                context.skip(SkippedFile.atLine(chapter.resolve(e.getKey() + ".flac"), trans, e.getValue(),
                        SkippedFile.Reason.MISSING_FILE, "transcript line has no audio file"));
            }
        }
    }

    static String splitOf(String subsetName) {
        String n = subsetName.toLowerCase(Locale.ROOT);
        if (n.startsWith("train")) {
            return "train";
        }
        if (n.startsWith("dev")) {
            return "valid";
        }
        if (n.startsWith("test")) {
            return "test";
        }
        return null;
    }

    private static Path transcriptFile(Path speaker, Path chapter) {
        return chapter.resolve(speaker.getFileName() + "-" + chapter.getFileName() + ".trans.txt");
    }

    private static List<Path> numericDirs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : sortedDirs(dir)) {
            if (NUMERIC.matcher(p.getFileName().toString()).matches()) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> sortedDirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }
}
