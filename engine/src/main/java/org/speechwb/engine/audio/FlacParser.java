package org.speechwb.engine.audio;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.speechwb.engine.audio.AudioFileException.Reason.CORRUPT_HEADER;
import static org.speechwb.engine.audio.AudioFileException.Reason.EMPTY;
import static org.speechwb.engine.audio.AudioFileException.Reason.TRUNCATED;

/**
 * Reads a FLAC stream's metadata ourselves instead of through jflac: jflac parses every block
 * (pictures, tags) with lengths taken on trust, while a probe needs STREAMINFO only and must
 * stay cheap and bounded. The walk reads 4-byte block headers and skips bodies, checking each
 * length against the real file size.
 */
final class FlacParser {

    static final int STREAMINFO_LENGTH = 34;
    private static final int TYPE_STREAMINFO = 0;

    private FlacParser() {
    }

    static FlacLayout parse(AudioSource source) throws AudioFileException {
        Path file = source.file();
        long fileSize = source.size();
        long pos = 0;
        ByteBuffer head = source.read(0, 10);
        if (Container.startsWith(head, "ID3") && head.remaining() >= 10) {
            pos = 10L + Container.id3v2Length(head);
        }
        pos += 4; // "fLaC", checked by Container.sniff
        ByteBuffer blockHeader = source.read(pos, 4);
        if (blockHeader.remaining() < 4) {
            throw new AudioFileException(file, TRUNCATED, "the file ends before STREAMINFO");
        }
        int first = blockHeader.get(0) & 0xFF;
        boolean last = (first & 0x80) != 0;
        int type = first & 0x7F;
        int length = u24(blockHeader, 1);
        if (type != TYPE_STREAMINFO) {
            throw new AudioFileException(file, CORRUPT_HEADER, "the first metadata block has type " + type + ", not STREAMINFO");
        }
        if (length < STREAMINFO_LENGTH) {
            throw new AudioFileException(file, CORRUPT_HEADER, "STREAMINFO of " + length + " bytes, need 34");
        }
        ByteBuffer info = source.read(pos + 4, STREAMINFO_LENGTH);
        if (info.remaining() < STREAMINFO_LENGTH) {
            throw new AudioFileException(file, TRUNCATED, "the file ends inside STREAMINFO");
        }
        byte[] raw = new byte[STREAMINFO_LENGTH];
        info.get(0, raw);
        int maxBlockSize = ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
        long packed = 0;
        for (int i = 10; i < 18; i++) {
            packed = (packed << 8) | (raw[i] & 0xFF);
        }
        int sampleRate = (int) (packed >>> 44);
        int channels = (int) ((packed >>> 41) & 0x7) + 1;
        int bits = (int) ((packed >>> 36) & 0x1F) + 1;
        long totalSamples = packed & 0xF_FFFF_FFFFL;
        if (!WavFormatChunk.plausibleRate(sampleRate)) {
            throw new AudioFileException(file, CORRUPT_HEADER, "STREAMINFO sample rate " + sampleRate + " Hz");
        }
        if (bits < 4) {
            throw new AudioFileException(file, CORRUPT_HEADER, "STREAMINFO says " + bits + " bits per sample");
        }
        if (maxBlockSize < 16) {
            throw new AudioFileException(file, CORRUPT_HEADER, "STREAMINFO maximum block size " + maxBlockSize);
        }

        pos += 4L + length;
        while (!last) {
            ByteBuffer next = source.read(pos, 4);
            if (next.remaining() < 4) {
                throw new AudioFileException(file, TRUNCATED, "the file ends inside the metadata blocks");
            }
            last = (next.get(0) & 0x80) != 0;
            pos += 4L + u24(next, 1);
        }
        if (pos > fileSize) {
            throw new AudioFileException(file, TRUNCATED, "a metadata block runs past the end of the file");
        }
        if (pos == fileSize) {
            if (totalSamples == 0) {
                throw new AudioFileException(file, EMPTY, "no audio frames after the metadata");
            }
            throw new AudioFileException(file, TRUNCATED,
                    "STREAMINFO promises " + totalSamples + " samples but the file ends after the metadata");
        }
        return new FlacLayout(raw, sampleRate, channels, bits, totalSamples, pos);
    }

    private static int u24(ByteBuffer buffer, int offset) {
        return ((buffer.get(offset) & 0xFF) << 16) | ((buffer.get(offset + 1) & 0xFF) << 8) | (buffer.get(offset + 2) & 0xFF);
    }
}
