package org.speechwb.engine.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The result of scanning a dataset: the usable utterances (sorted by id, so that everything
 * seeded downstream is independent of file-system listing order), plus everything that was left
 * out and any non-fatal remarks, so a user can see what the scan did not take.
 *
 * @param root       the folder (or manifest file) that was opened
 * @param format     the layout it was read as
 * @param utterances sorted by id, ids unique
 * @param skipped    files and lines left out, with reasons
 * @param warnings   non-fatal remarks (e.g. a LibriSpeech chapter without transcripts)
 */
public record Dataset(Path root, DatasetFormat format, List<Utterance> utterances, List<SkippedFile> skipped,
                      List<String> warnings) {

    public Dataset {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(format, "format");
        utterances = List.copyOf(utterances);
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
    }

    public DatasetSummary summary() {
        return DatasetSummary.of(this);
    }

    /** Content hash for run provenance; see {@link DatasetFingerprint}. */
    public String fingerprint() {
        return DatasetFingerprint.of(utterances);
    }
}
