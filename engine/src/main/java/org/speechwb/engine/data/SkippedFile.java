package org.speechwb.engine.data;

import java.nio.file.Path;
import java.util.Objects;

import org.speechwb.engine.audio.AudioFileException;

/**
 * A file (or a metadata line) a scan or a batch loader left out, and why. Skips are collected
 * instead of failing the whole scan, because one bad file in ten thousand should not stop work.
 *
 * @param file   the file left out (the audio file, or the metadata file for a bad line)
 * @param line   1-based line in {@code source} that referred to it, or 0 when not from a listing
 * @param source the metadata file that listed it (manifest, transcript table), or null
 * @param reason machine-readable cause
 * @param detail human-readable explanation
 */
public record SkippedFile(Path file, int line, Path source, Reason reason, String detail) {

    /** Why something was left out. The first six mirror {@link AudioFileException.Reason}. */
    public enum Reason {
        UNREADABLE, NOT_AUDIO, UNSUPPORTED_ENCODING, CORRUPT_HEADER, TRUNCATED, EMPTY,
        /** A metadata line names an audio file that does not exist. */
        MISSING_FILE,
        /** A metadata line that cannot be parsed (wrong column count, bad number). */
        BAD_LINE,
        /** The same utterance id appears twice; the later one is left out. */
        DUPLICATE_ID
    }

    public SkippedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }

    /** A file whose header (or data) could not be decoded. */
    public static SkippedFile of(AudioFileException e) {
        String message = e.getMessage();
        String prefix = e.file() + ": ";
        if (message != null && message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return new SkippedFile(e.file(), 0, null, Reason.valueOf(e.reason().name()), message);
    }

    /** A file referred to by line {@code line} of {@code source}. */
    public static SkippedFile atLine(Path file, Path source, int line, Reason reason, String detail) {
        return new SkippedFile(file, line, source, reason, detail);
    }

    /** One line for reports: the file, where it was listed, and why it was left out. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(file);
        if (source != null) {
            sb.append(" (").append(source.getFileName()).append(line > 0 ? " line " + line : "").append(')');
        }
        sb.append(": ").append(reason);
        if (!detail.isEmpty()) {
            sb.append(" - ").append(detail);
        }
        return sb.toString();
    }
}
