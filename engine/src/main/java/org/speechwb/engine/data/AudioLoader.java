package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Path;

import org.speechwb.engine.audio.AudioReader;

/**
 * Decodes one file to mono 16 kHz samples for batching. A seam so that batching can be tested
 * and benchmarked without touching codecs; the default is {@link AudioReader#read16k(Path)}.
 * Throw {@link org.speechwb.engine.audio.AudioFileException} for a bad file (it is then skipped);
 * any other exception stops the batch stream.
 */
@FunctionalInterface
public interface AudioLoader {

    float[] load16k(Path file) throws IOException;

    static AudioLoader decoder() {
        return file -> AudioReader.read16k(file).samples();
    }
}
