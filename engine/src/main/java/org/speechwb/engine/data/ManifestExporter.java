package org.speechwb.engine.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes utterances as a fairseq wav2vec manifest so that the same data can be used by fairseq
 * itself and re-read here: {@code <name>.tsv} (audio root, then {@code relative_path<TAB>num_samples}),
 * plus {@code <name>.ltr} and {@code <name>.wrd} when every utterance is labeled, exactly as
 * fairseq's {@code libri_labels.py} writes them ({@code HELLO WORLD} becomes
 * {@code H E L L O | W O R L D |}).
 *
 * <p>{@code num_samples} is the length at 16 kHz, the length our loader produces and batches on.
 * Fairseq itself does not resample, so files at other rates are exported with a warning.
 */
public final class ManifestExporter {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestExporter.class);

    private ManifestExporter() {
    }

    /** The files written; {@code ltr} and {@code wrd} are null when some utterance was unlabeled. */
    public record ExportedManifest(Path tsv, Path ltr, Path wrd, int rows) {
        public boolean labeled() {
            return ltr != null;
        }
    }

    /** Writes {@code <outDir>/<name>.tsv} (and labels) with the audio files' common folder as root. */
    public static ExportedManifest write(Path outDir, String name, List<Utterance> utterances) throws IOException {
        if (utterances.isEmpty()) {
            throw new IllegalArgumentException("nothing to export for manifest '" + name + "': no utterances");
        }
        return write(outDir, name, utterances, audioRoot(utterances));
    }

    /** The deepest folder holding every utterance's audio: a manifest root several manifests can share. */
    public static Path audioRoot(List<Utterance> utterances) {
        return DataPaths.commonDir(utterances.stream().map(Utterance::audio).toList());
    }

    /**
     * Writes the manifest with an explicit audio root (every audio file must lie under it).
     * Label files of the same name left from an earlier export are removed when the new export is
     * unlabeled, because a stale label file would be paired with the wrong rows by position.
     */
    public static ExportedManifest write(Path outDir, String name, List<Utterance> utterances, Path audioRoot)
            throws IOException {
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("manifest name must be a plain file name, got '" + name + "'");
        }
        Path root = DataPaths.absolute(audioRoot);
        Files.createDirectories(outDir);
        Path tsv = outDir.resolve(name + ".tsv");
        Path ltr = outDir.resolve(name + ".ltr");
        Path wrd = outDir.resolve(name + ".wrd");
        boolean labeled = utterances.stream().allMatch(Utterance::labeled);
        long otherRates = utterances.stream().filter(u -> u.sampleRate() != Utterance.MODEL_RATE).count();
        if (otherRates > 0) {
            LOG.warn("{}: {} file(s) are not 16 kHz; num_samples gives their length after resampling to 16 kHz, "
                    + "which fairseq itself would not do", tsv, otherRates);
        }
        writeAtomically(tsv, w -> {
            w.write(root.toString());
            w.write('\n');
            for (Utterance u : utterances) {
                Path audio = DataPaths.absolute(u.audio());
                if (!audio.startsWith(root)) {
                    throw new IllegalArgumentException(audio + " is not under the manifest root " + root);
                }
                String rel = DataPaths.portable(root.relativize(audio));
                if (rel.contains("\t") || rel.contains("\n")) {
                    throw new IllegalArgumentException("cannot write a path containing a tab or newline: " + rel);
                }
                w.write(rel + '\t' + u.samples16k() + '\n');
            }
        });
        if (!labeled) {
            boolean removed = Files.deleteIfExists(ltr) | Files.deleteIfExists(wrd);
            if (removed) {
                LOG.info("Removed stale {}.ltr/.wrd: the new {} has unlabeled rows", name, tsv.getFileName());
            }
            return new ExportedManifest(tsv, null, null, utterances.size());
        }
        writeAtomically(ltr, w -> {
            for (Utterance u : utterances) {
                w.write(toLetters(u.transcript()));
                w.write('\n');
            }
        });
        writeAtomically(wrd, w -> {
            for (Utterance u : utterances) {
                w.write(toWords(u.transcript()));
                w.write('\n');
            }
        });
        return new ExportedManifest(tsv, ltr, wrd, utterances.size());
    }

    /** The transcript as the .wrd files have it: normalised words separated by single spaces. */
    public static String toWords(String transcript) {
        return TextFiles.normaliseText(transcript);
    }

    /** fairseq letter targets: upper-case, characters space-separated, {@code |} after every word. */
    public static String toLetters(String transcript) {
        String words = toWords(transcript).toUpperCase(Locale.ROOT).replace(' ', '|');
        StringBuilder sb = new StringBuilder(words.length() * 2 + 2);
        words.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(' '));
        return sb.append('|').toString();
    }

    private interface Body {
        void write(BufferedWriter w) throws IOException;
    }

    /** Writes next to the target and renames, so a crash never leaves a half-written manifest. */
    private static void writeAtomically(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            body.write(w);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
