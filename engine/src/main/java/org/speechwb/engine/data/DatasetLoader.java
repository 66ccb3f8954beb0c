package org.speechwb.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point for reading datasets: detects the layout of a folder or manifest and scans
 * it, reading audio headers only. Bad audio files are skipped and listed in the result instead of
 * failing the scan; metadata that makes the whole dataset doubtful (a wrong header, label files
 * out of step with a manifest) fails with a {@link DatasetFormatException} naming file and line.
 */
public final class DatasetLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

    private static final Map<DatasetFormat, DatasetReader> READERS = Map.of(
            DatasetFormat.WORKBENCH_CORPUS, new WorkbenchCorpusReader(),
            DatasetFormat.FOLDER, new FolderReader(),
            DatasetFormat.LIBRISPEECH, new LibriSpeechReader(),
            DatasetFormat.FAIRSEQ_MANIFEST, new FairseqManifestReader(),
            DatasetFormat.TRANSCRIPTS_TSV, new TranscriptsTsvReader(),
            DatasetFormat.KALDI, new KaldiDataDirReader());

    private DatasetLoader() {
    }

    /** Scans without progress reporting or cancellation. */
    public static Dataset open(Path path) throws IOException {
        return open(path, ScanListener.NONE, CancellationToken.none());
    }

    /**
     * Detects the layout of {@code path} and scans it.
     *
     * @throws CancellationException if {@code token} is cancelled during the scan
     */
    public static Dataset open(Path path, ScanListener listener, CancellationToken token) throws IOException {
        return open(path, detect(path), listener, token, AudioProbe.headers());
    }

    /** Scans {@code path} as the given layout (for when detection would guess wrong). */
    public static Dataset open(Path path, DatasetFormat format, ScanListener listener, CancellationToken token)
            throws IOException {
        return open(path, format, listener, token, AudioProbe.headers());
    }

    /** As {@link #open(Path, DatasetFormat, ScanListener, CancellationToken)} with a custom header reader. */
    public static Dataset open(Path path, DatasetFormat format, ScanListener listener, CancellationToken token,
                               AudioProbe probe) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "dataset path does not exist");
        }
        long start = System.nanoTime();
        Dataset ds = READERS.get(format).read(path, new ScanContext(listener, token, probe));
        LOG.info("Scanned {} as {}: {} utterances, {} skipped in {} ms", path, format, ds.utterances().size(),
                ds.skipped().size(), (System.nanoTime() - start) / 1_000_000);
        return ds;
    }

    /**
     * Tells which layout {@code path} is, looking at names and metadata only (no audio is read).
     *
     * @throws DatasetFormatException if it is none we know, saying what was looked for
     */
    public static DatasetFormat detect(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "dataset path does not exist");
        }
        if (Files.isRegularFile(path)) {
            return detectFile(path);
        }
        if (Files.isRegularFile(path.resolve(WorkbenchCorpusReader.INDEX))) {
            return DatasetFormat.WORKBENCH_CORPUS;
        }
        if (Files.isRegularFile(path.resolve(TranscriptsTsvReader.INDEX))
                && Files.isDirectory(path.resolve(TranscriptsTsvReader.AUDIO_DIR))) {
            return DatasetFormat.TRANSCRIPTS_TSV;
        }
        if (Files.isRegularFile(path.resolve(KaldiDataDirReader.WAV_SCP))) {
            return DatasetFormat.KALDI;
        }
        if (!LibriSpeechReader.subsets(path).isEmpty()) {
            return DatasetFormat.LIBRISPEECH;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            if (walk.anyMatch(p -> Files.isRegularFile(p) && DataPaths.isAudio(p))) {
                return DatasetFormat.FOLDER;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        throw new DatasetFormatException(path, "no dataset found: expected " + WorkbenchCorpusReader.INDEX
                + ", " + TranscriptsTsvReader.INDEX + " with " + TranscriptsTsvReader.AUDIO_DIR
                + "/, a Kaldi data directory (" + KaldiDataDirReader.WAV_SCP + "), a LibriSpeech speaker/chapter tree, or .wav/.flac files");
    }

    private static DatasetFormat detectFile(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.equals(WorkbenchCorpusReader.INDEX)) {
            return DatasetFormat.WORKBENCH_CORPUS;
        }
        if (name.equals(TranscriptsTsvReader.INDEX)) {
            return DatasetFormat.TRANSCRIPTS_TSV;
        }
        if (name.equals(KaldiDataDirReader.WAV_SCP)) {
            return DatasetFormat.KALDI;
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".tsv")) {
            List<String> head;
            try (Stream<String> lines = Files.lines(file)) {
                head = lines.limit(2).toList();
            } catch (UncheckedIOException e) {
                throw new DatasetFormatException(file, "not UTF-8 text");
            }
            boolean rootLine = !head.isEmpty() && !head.get(0).contains("\t") && !head.get(0).isBlank();
            boolean rowLine = head.size() < 2 || head.get(1).matches("[^\t]+\t\\s*\\d+\\s*");
            if (rootLine && rowLine) {
                return DatasetFormat.FAIRSEQ_MANIFEST;
            }
            throw new DatasetFormatException(file, "not a fairseq manifest: expected the audio root on line 1 "
                    + "and 'relative_path<TAB>num_samples' rows");
        }
        throw new DatasetFormatException(file, "not a dataset: give a folder, a fairseq manifest .tsv, "
                + WorkbenchCorpusReader.INDEX + " or " + TranscriptsTsvReader.INDEX);
    }
}
