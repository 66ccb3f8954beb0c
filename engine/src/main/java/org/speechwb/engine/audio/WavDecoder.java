package org.speechwb.engine.audio;

import java.nio.ByteBuffer;

import static org.speechwb.engine.audio.AudioFileException.Reason.TRUNCATED;
import static org.speechwb.engine.audio.AudioFileException.Reason.UNSUPPORTED_ENCODING;

/**
 * Reads the sample bytes a {@link WavLayout} points at, in blocks of about a megabyte so that a
 * long file needs neither a second full-size byte copy nor one system call per frame.
 */
final class WavDecoder {

    private static final int BLOCK_BYTES = 1 << 20;

    private WavDecoder() {
    }

    static float[] decode(AudioSource source, WavLayout layout) throws AudioFileException {
        if (layout.frames() > AudioReader.MAX_FRAMES) {
            throw new AudioFileException(source.file(), UNSUPPORTED_ENCODING,
                    layout.frames() + " frames, more than one array can hold (" + AudioReader.MAX_FRAMES + ")");
        }
        int frames = (int) layout.frames();
        int frameBytes = layout.blockAlign();
        int framesPerBlock = Math.max(1, BLOCK_BYTES / frameBytes);
        ByteBuffer block = ByteBuffer.allocate((int) Math.min((long) framesPerBlock, frames) * frameBytes);
        float[] out = new float[frames];
        long position = layout.dataOffset();
        for (int done = 0; done < frames; ) {
            int n = Math.min(framesPerBlock, frames - done);
            int bytes = n * frameBytes;
            block.clear().limit(bytes);
            source.readFully(position, block);
            if (block.position() < bytes) {
                throw new AudioFileException(source.file(), TRUNCATED, "the file shrank while being read");
            }
            PcmConverter.toMono(layout.format(), block.array(), n, layout.channels(), out, done);
            done += n;
            position += bytes;
        }
        return out;
    }
}
