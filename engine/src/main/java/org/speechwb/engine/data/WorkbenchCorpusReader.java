package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads our native corpus layout: {@code utterances.tsv} with the header
 * {@code id path speaker split text}, paths relative to the corpus folder, empty text for
 * unlabeled audio. A malformed row is skipped with its line number; a wrong header is fatal
 * because then no column can be trusted.
 */
final class WorkbenchCorpusReader implements DatasetReader {

    static final String INDEX = "utterances.tsv";
    static final List<String> HEADER = List.of("id", "path", "speaker", "split", "text");

    @Override
    public DatasetFormat format() {
        return DatasetFormat.WORKBENCH_CORPUS;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        Path index = dir.resolve(INDEX);
        List<String> lines = TextFiles.lines(index);
        if (lines.isEmpty() || !List.of(lines.get(0).split("\t", -1)).equals(HEADER)) {
            throw new DatasetFormatException(index, 1, "expected the header '" + String.join("\\t", HEADER)
                    + "' but found '" + (lines.isEmpty() ? "" : lines.get(0).replace("\t", "\\t")) + "'");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            context.checkCancelled();
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            int lineNo = i + 1;
            if (cols.length != HEADER.size()) {
                context.skip(SkippedFile.atLine(index, index, lineNo, SkippedFile.Reason.BAD_LINE,
                        "expected " + HEADER.size() + " tab-separated columns, found " + cols.length));
                continue;
            }
            if (cols[0].isBlank() || cols[1].isBlank()) {
                context.skip(SkippedFile.atLine(index, index, lineNo, SkippedFile.Reason.BAD_LINE,
                        "empty id or path"));
                continue;
            }
            Path audio = dir.resolve(cols[1].strip());
            candidates.add(new Candidate(cols[0].strip(), audio, cols[2], TextFiles.normaliseText(cols[4]), cols[3],
                    index, lineNo, -1));
        }
        return context.probeAll(dir, format(), candidates);
    }
}
