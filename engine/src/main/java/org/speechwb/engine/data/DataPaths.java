package org.speechwb.engine.data;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/** Path helpers shared by the readers, the exporter and the fingerprint. */
final class DataPaths {

    private DataPaths() {
    }

    /** True for the audio extensions we scan (.wav, .flac, any case). */
    static boolean isAudio(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".wav") || n.endsWith(".flac");
    }

    /** File name without its last extension. */
    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Relative path with '/' separators on every platform, so ids and hashes travel between machines. */
    static String portable(Path relative) {
        StringBuilder sb = new StringBuilder();
        for (Path part : relative) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The deepest folder containing all the given files (absolute, normalised). */
    static Path commonDir(Collection<Path> files) {
        Path common = null;
        for (Path f : files) {
            Path dir = f.toAbsolutePath().normalize().getParent();
            if (common == null) {
                common = dir;
            } else {
                while (!dir.startsWith(common)) {
                    common = common.getParent();
                }
            }
        }
        if (common == null) {
            throw new IllegalArgumentException("no files given");
        }
        return common;
    }

    static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
