package org.speechwb.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads any folder tree of .wav/.flac files. A same-name .txt next to an audio file is its
 * transcript. When the tree has sub-folders, the folder holding a file names its speaker (the
 * common {@code speaker/*.wav} convention); files at the top level have no speaker. Hidden files
 * (a leading dot, e.g. macOS {@code ._x.wav} resource forks) are ignored, not reported as corrupt.
 */
final class FolderReader implements DatasetReader {

    @Override
    public DatasetFormat format() {
        return DatasetFormat.FOLDER;
    }

    @Override
    public Dataset read(Path path, ScanContext context) throws IOException {
        Path root = DataPaths.absolute(path);
        List<Path> audio = new ArrayList<>();
        Set<Path> texts = new HashSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !isHidden(root, p)).forEach(p -> {
                if (!Files.isRegularFile(p)) {
                    return;
                }
                if (DataPaths.isAudio(p)) {
                    audio.add(p);
                } else if (p.getFileName().toString().endsWith(".txt")) {
                    texts.add(p);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        context.checkCancelled();
        boolean nested = audio.stream().anyMatch(p -> !p.getParent().equals(root));
        List<Candidate> candidates = new ArrayList<>(audio.size());
        for (Path p : audio) {
            context.checkCancelled();
            String id = DataPaths.portable(root.relativize(p.resolveSibling(DataPaths.stem(p))));
            String speaker = nested && !p.getParent().equals(root) ? p.getParent().getFileName().toString() : null;
            Path txt = p.resolveSibling(DataPaths.stem(p) + ".txt");
            String transcript = null;
            if (texts.contains(txt)) {
                transcript = TextFiles.normaliseText(String.join(" ", TextFiles.lines(txt)));
            }
            candidates.add(Candidate.found(id, p, speaker, transcript, null));
        }
        return context.probeAll(root, format(), candidates);
    }

    private static boolean isHidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
