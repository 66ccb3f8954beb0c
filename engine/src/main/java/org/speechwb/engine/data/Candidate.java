package org.speechwb.engine.data;

import java.nio.file.Path;

/**
 * An utterance as listed by a dataset's metadata, before its header was read.
 *
 * @param source        metadata file that listed it, or null for a plain folder walk
 * @param line          1-based line in {@code source}, or 0
 * @param declared16k   length the metadata claims in 16 kHz samples, or -1 when not stated
 */
record Candidate(String id, Path audio, String speaker, String transcript, String split, Path source, int line,
                 long declared16k) {

    static Candidate found(String id, Path audio, String speaker, String transcript, String split) {
        return new Candidate(id, audio, speaker, transcript, split, null, 0, -1);
    }
}
