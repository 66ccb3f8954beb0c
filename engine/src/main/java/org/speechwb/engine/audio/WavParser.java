package org.speechwb.engine.audio;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.speechwb.engine.audio.AudioFileException.Reason.CORRUPT_HEADER;
import static org.speechwb.engine.audio.AudioFileException.Reason.EMPTY;
import static org.speechwb.engine.audio.AudioFileException.Reason.TRUNCATED;

/**
 * Walks the chunks of a RIFF/WAVE (or RF64/BW64) file to find {@code fmt } and {@code data},
 * reading only chunk headers and the format chunk, never the samples.
 *
 * <p>How a {@code data} chunk size that does not match the file is handled, following what sox
 * and libsndfile do so that files other tools play are not rejected here:
 * <ul>
 *   <li>{@code 0xFFFFFFFF} (written by streaming writers such as ffmpeg to a pipe, and by RF64
 *       without a {@code ds64} size), or {@code 0} in a file whose RIFF size is also unset
 *       (a recorder that never finalised its header): the data runs to the end of the file.</li>
 *   <li>Any other size larger than what the file holds: the samples that are there are read and
 *       the layout carries a caveat (logged as a warning by {@link AudioReader#read}). The file
 *       size, not the claim, bounds every allocation.</li>
 *   <li>A trailing partial frame is dropped.</li>
 *   <li>No whole frame present although the header claims data: {@link AudioFileException.Reason#TRUNCATED};
 *       a data chunk of size 0: {@link AudioFileException.Reason#EMPTY}.</li>
 * </ul>
 * Odd-sized chunks are followed by a pad byte; for writers that forget it, the walk takes the
 * unpadded position when only that one starts with a plausible chunk id. Chunks after
 * {@code data} are never visited unless {@code fmt} has not been seen yet.
 */
final class WavParser {

    static final long UNSET_SIZE = 0xFFFFFFFFL;

    private WavParser() {
    }

    static WavLayout parse(AudioSource source) throws AudioFileException {
        Path file = source.file();
        long fileSize = source.size();
        ByteBuffer head = source.read(0, 12);
        boolean rf64 = !Container.startsWith(head, "RIFF");
        long riffSize = Integer.toUnsignedLong(head.getInt(4));

        WavFormatChunk format = null;
        long dataOffset = -1;
        long dataClaim = -1;
        long ds64DataSize = -1;
        String overrun = null;
        long pos = 12;
        while (pos + 8 <= fileSize) {
            ByteBuffer header = source.read(pos, 8);
            String id = Container.printable(header, 0, 4);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = pos + 8;
            if (id.equals("ds64") && rf64) {
                ByteBuffer ds64 = source.read(body, 28);
                if (ds64.remaining() >= 16) {
                    ds64DataSize = ds64.getLong(8);
                }
            } else if (id.equals("fmt ") && format == null) {
                int wanted = (int) Math.min(size, 40);
                ByteBuffer fmt = source.read(body, wanted);
                if (fmt.remaining() < wanted) {
                    throw new AudioFileException(file, TRUNCATED, "the file ends inside the 'fmt ' chunk");
                }
                format = WavFormatChunk.parse(file, fmt, size);
                if (dataOffset >= 0) {
                    break; // a 'data' chunk came first; now both are known
                }
            } else if (id.equals("data")) {
                dataOffset = body;
                dataClaim = rf64 && size == UNSET_SIZE && ds64DataSize >= 0 ? ds64DataSize : size;
                if (format != null || dataClaim == UNSET_SIZE || body + dataClaim > fileSize) {
                    break; // done, or the data runs to the end and nothing after it can be found
                }
            }
            long next = body + size + (size & 1);
            if (next > fileSize) {
                overrun = "chunk '" + id + "' at byte " + pos + " claims " + size + " bytes but the file has " + fileSize;
                break;
            }
            if ((size & 1) == 1 && !plausibleChunkId(source, next) && plausibleChunkId(source, next - 1)) {
                next--; // the writer left out the pad byte
            }
            pos = next;
        }

        if (format == null) {
            if (dataOffset >= 0) {
                throw new AudioFileException(file, CORRUPT_HEADER, "no 'fmt ' chunk before the 'data' chunk");
            }
            throw new AudioFileException(file, TRUNCATED,
                    "the file ends before a 'fmt ' chunk" + (overrun == null ? "" : ": " + overrun));
        }
        if (dataOffset < 0) {
            throw new AudioFileException(file, TRUNCATED,
                    "the file ends before a 'data' chunk" + (overrun == null ? "" : ": " + overrun));
        }
        return layout(file, fileSize, format, dataOffset, dataClaim, rf64, riffSize);
    }

    private static WavLayout layout(Path file, long fileSize, WavFormatChunk format, long dataOffset,
                                    long dataClaim, boolean rf64, long riffSize) throws AudioFileException {
        long available = Math.max(0, fileSize - dataOffset);
        boolean unfinalised = dataClaim == 0 && !rf64 && (riffSize == 0 || riffSize == UNSET_SIZE) && available > 0;
        long bytes;
        String caveat = null;
        if (dataClaim == UNSET_SIZE || unfinalised || dataClaim < 0) {
            bytes = available; // an unset size: the data runs to the end of the file
        } else if (dataClaim > available) {
            bytes = available;
            caveat = "the 'data' chunk claims " + dataClaim + " bytes but the file holds " + available
                    + "; reading the " + available / format.blockAlign() + " whole frames present";
        } else {
            bytes = dataClaim;
        }
        long frames = bytes / format.blockAlign();
        if (frames == 0) {
            if (dataClaim == 0 && !unfinalised) {
                throw new AudioFileException(file, EMPTY, "the 'data' chunk is empty");
            }
            throw new AudioFileException(file, TRUNCATED, "the 'data' chunk holds " + bytes
                    + " bytes, less than one " + format.blockAlign() + "-byte frame");
        }
        return new WavLayout(format.format(), format.channels(), format.sampleRate(), format.bitsPerSample(),
                format.blockAlign(), dataOffset, frames, caveat);
    }

    /** Four bytes of printable ASCII: what every registered and private chunk id looks like. */
    private static boolean plausibleChunkId(AudioSource source, long pos) throws AudioFileException {
        ByteBuffer id = source.read(pos, 4);
        if (id.remaining() < 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            int b = id.get(i) & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
