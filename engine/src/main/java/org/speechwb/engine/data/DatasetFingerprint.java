package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A short, stable content hash of a list of utterances, recorded with every run so that a result
 * can be traced to the exact audio it saw. It hashes the sorted (relative path, file size in
 * bytes, frames) triples; paths are relative to the folder the files have in common, so moving or
 * copying a dataset elsewhere keeps its fingerprint, while adding, removing, renaming or
 * re-encoding a file changes it. Transcripts are deliberately not included: it identifies audio.
 */
public final class DatasetFingerprint {

    private DatasetFingerprint() {
    }

    /** SHA-256 hex (64 characters) of the sorted listing; the empty list has a fixed fingerprint. */
    public static String of(List<Utterance> utterances) {
        List<String> rows = new ArrayList<>(utterances.size());
        if (!utterances.isEmpty()) {
            Path base = DataPaths.commonDir(utterances.stream().map(Utterance::audio).toList());
            for (Utterance u : utterances) {
                Path audio = DataPaths.absolute(u.audio());
                rows.add(DataPaths.portable(base.relativize(audio)) + '\t' + sizeOf(audio) + '\t' + u.frames());
            }
        }
        rows.sort(null);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (String row : rows) {
            sha.update(row.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The first 12 hex digits, for display next to a run. */
    public static String shortForm(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
