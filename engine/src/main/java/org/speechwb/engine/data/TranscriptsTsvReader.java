package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the real-speech layout: {@code transcripts.tsv} ({@code id<TAB>text} with that header)
 * next to a {@code wav/} folder of {@code <id>.wav}/{@code <id>.flac}. Audio without a row is
 * unlabeled; a row without audio is skipped by line. The speaker is the id up to the first
 * {@code _} ({@code spk1_snt3} is speaker {@code spk1}).
 */
final class TranscriptsTsvReader implements DatasetReader {

    static final String INDEX = "transcripts.tsv";
    static final String AUDIO_DIR = "wav";

    @Override
    public DatasetFormat format() {
        return DatasetFormat.TRANSCRIPTS_TSV;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path dir = DataPaths.absolute(Files.isDirectory(path) ? path : path.getParent());
        Path index = dir.resolve(INDEX);
        Path audioDir = dir.resolve(AUDIO_DIR);
        List<String> lines = TextFiles.lines(index);
        if (lines.isEmpty() || !lines.get(0).strip().equals("id\ttext")) {
            throw new DatasetFormatException(index, 1, "expected the header 'id\\ttext'");
        }
        Map<String, Path> audioById = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(audioDir)) {
            files.filter(Files::isRegularFile).filter(DataPaths::isAudio)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().forEach(p -> audioById.putIfAbsent(DataPaths.stem(p), p));
        }
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                context.skip(SkippedFile.atLine(index, index, i + 1, SkippedFile.Reason.BAD_LINE,
                        "expected 'id<TAB>text'"));
                continue;
            }
            String id = line.substring(0, tab).strip();
            if (lineOf.containsKey(id)) {
                context.skip(SkippedFile.atLine(index, index, i + 1, SkippedFile.Reason.DUPLICATE_ID,
                        "id '" + id + "' already has a transcript on line " + lineOf.get(id)));
                continue;
            }
            text.put(id, TextFiles.normaliseText(line.substring(tab + 1)));
            lineOf.put(id, i + 1);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Path> e : audioById.entrySet()) {
            String id = e.getKey();
            Integer line = lineOf.get(id);
            candidates.add(new Candidate(id, e.getValue(), speakerOf(id), text.get(id),
                    null, line == null ? null : index, line == null ? 0 : line, -1));
        }
        for (Map.Entry<String, Integer> e : lineOf.entrySet()) {
            if (!audioById.containsKey(e.getKey())) {
                context.skip(SkippedFile.atLine(audioDir.resolve(e.getKey() + ".wav"), index, e.getValue(),
                        SkippedFile.Reason.MISSING_FILE, "transcript row has no audio file in " + AUDIO_DIR + "/"));
            }
        }
        return context.probeAll(dir, format(), candidates);
    }

    static String speakerOf(String id) {
        int us = id.indexOf('_');
        return us > 0 ? id.substring(0, us) : null;
    }
}
