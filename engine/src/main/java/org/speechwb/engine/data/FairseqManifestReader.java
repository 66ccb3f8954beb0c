package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a fairseq wav2vec manifest: the first line is the audio root (relative roots resolve
 * against the manifest's folder), then {@code relative_path<TAB>num_samples} rows. Labels come
 * from {@code <name>.wrd} (words) or, failing that, {@code <name>.ltr} (space-separated letters
 * with {@code |} word boundaries) beside the manifest, one line per manifest row. Because labels
 * are matched to rows purely by position, a label file with a different number of lines would
 * silently pair audio with the wrong text, so it is a fatal {@link DatasetFormatException}.
 */
final class FairseqManifestReader implements DatasetReader {

    @Override
    public DatasetFormat format() {
        return DatasetFormat.FAIRSEQ_MANIFEST;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path manifest = DataPaths.absolute(path);
        List<String> lines = TextFiles.lines(manifest);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new DatasetFormatException(manifest, 1, "first line must be the audio root folder");
        }
        Path root;
        try {
            root = manifest.getParent().resolve(lines.get(0).strip()).normalize();
        } catch (InvalidPathException e) {
            throw new DatasetFormatException(manifest, 1, "invalid audio root '" + lines.get(0) + "'");
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetFormatException(manifest, 1, "audio root " + root + " is not a folder");
        }
        int rows = lines.size() - 1;
        String base = DataPaths.stem(manifest);
        Path wrd = manifest.resolveSibling(base + ".wrd");
        Path ltr = manifest.resolveSibling(base + ".ltr");
        List<String> words = Files.isRegularFile(wrd) ? labels(wrd, rows, manifest) : null;
        List<String> letters = words == null && Files.isRegularFile(ltr) ? labels(ltr, rows, manifest) : null;
        if (words != null && Files.isRegularFile(ltr)) {
            labels(ltr, rows, manifest); // still check that it lines up, so a broken .ltr cannot go unnoticed
        }

        List<Candidate> candidates = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            context.checkCancelled();
            int lineNo = row + 2;
            String[] cols = lines.get(row + 1).split("\t", -1);
            if (cols.length != 2 || cols[0].isBlank()) {
                context.skip(SkippedFile.atLine(manifest, manifest, lineNo, SkippedFile.Reason.BAD_LINE,
                        "expected 'relative_path<TAB>num_samples', found " + cols.length + " column(s)"));
                continue;
            }
            long declared;
            try {
                declared = Long.parseLong(cols[1].strip());
            } catch (NumberFormatException e) {
                context.skip(SkippedFile.atLine(manifest, manifest, lineNo, SkippedFile.Reason.BAD_LINE,
                        "num_samples '" + cols[1] + "' is not a number"));
                continue;
            }
            String rel = cols[0].strip();
            Path audio = root.resolve(rel);
            String transcript = words != null ? words.get(row)
                    : letters != null ? lettersToWords(letters.get(row)) : null;
            String id = rel.replace('\\', '/');
            int dot = id.lastIndexOf('.');
            if (dot > id.lastIndexOf('/') + 1) {
                id = id.substring(0, dot);
            }
            candidates.add(new Candidate(id, audio, null, transcript, null, manifest, lineNo, declared));
        }
        return context.probeAll(manifest, format(), candidates);
    }

    private static List<String> labels(Path file, int rows, Path manifest) throws IOException {
        List<String> lines = TextFiles.lines(file);
        if (lines.size() != rows) {
            throw new DatasetFormatException(file, Math.min(lines.size(), rows) + 1, "has " + lines.size()
                    + " label line(s) but " + manifest.getFileName() + " has " + rows
                    + " audio row(s); labels are matched to rows by position, so they must be equal");
        }
        return lines;
    }

    /** {@code H E L L O | W O R L D |} to {@code HELLO WORLD}. */
    static String lettersToWords(String ltr) {
        StringBuilder sb = new StringBuilder();
        for (String token : ltr.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            sb.append(token.equals("|") ? " " : token);
        }
        return TextFiles.normaliseText(sb.toString());
    }
}
