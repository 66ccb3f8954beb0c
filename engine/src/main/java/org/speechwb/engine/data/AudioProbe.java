package org.speechwb.engine.data;

import java.nio.file.Path;

import org.speechwb.engine.audio.AudioFileException;
import org.speechwb.engine.audio.AudioInfo;
import org.speechwb.engine.audio.AudioReader;

/**
 * Reads the facts a scan needs from one audio file's header. A seam so that the scan never decodes
 * samples: the default reads headers only ({@link AudioReader#probe(Path)}).
 */
@FunctionalInterface
public interface AudioProbe {

    AudioInfo probe(Path file) throws AudioFileException;

    /** Header-only probing with the engine's audio reader. */
    static AudioProbe headers() {
        return AudioReader::probe;
    }
}
