package org.speechwb.engine.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

import org.jflac.ChannelData;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;

import static org.speechwb.engine.audio.AudioFileException.Reason.CORRUPT_HEADER;
import static org.speechwb.engine.audio.AudioFileException.Reason.EMPTY;
import static org.speechwb.engine.audio.AudioFileException.Reason.TRUNCATED;
import static org.speechwb.engine.audio.AudioFileException.Reason.UNSUPPORTED_ENCODING;

/**
 * Decodes FLAC frames with jflac, defensively.
 *
 * <p>jflac is handed a synthetic stream: the {@code fLaC} marker, our already-validated STREAMINFO
 * flagged as the last metadata block, then the file from its first audio frame. That way jflac
 * never parses untrusted metadata (picture and tag blocks with lengths taken on trust).
 *
 * <p>Garbage in the frames must neither crash nor hang a scan. jflac skips frames it recognises
 * as bad, zeroes frames whose CRC fails, and can throw odd runtime exceptions (array indices
 * from nonsense predictor orders) on others; those are counted and skipped like its own bad
 * frames. Every attempt consumes input, and the number of attempts is capped by the file size, so
 * decoding ends even if that reasoning were wrong. The output array grows with the samples that
 * are actually decoded and never beyond STREAMINFO's count, so a lying header allocates nothing.
 *
 * <p>A stream that ends early (a truncated file) yields the samples decoded so far with a caveat,
 * the same policy as an oversized WAV data chunk. A stream in which not a single frame passes its
 * CRC is {@link AudioFileException.Reason#CORRUPT_HEADER}: that is garbage, not quiet audio.
 *
 * <p>Known wart: jflac 1.5.2 prints "readResidual elsecase" to standard output for every residual
 * partition stored with the escape code (legal FLAC that some encoders write, and frequent in
 * garbage). The samples are right; the line cannot be silenced without patching jflac.
 */
final class FlacDecoding {

    /**
     * @param samples mono samples, or null when only counting
     * @param frames  frames decoded
     * @param caveat  what went wrong on the way, or null
     */
    record Result(float[] samples, long frames, String caveat) {
    }

    private FlacDecoding() {
    }

    static Result decode(AudioSource source, FlacLayout layout, boolean keepSamples) throws AudioFileException {
        FLACDecoder decoder = new FLACDecoder(syntheticStream(source, layout));
        ErrorTally tally = new ErrorTally();
        decoder.addFrameListener(tally);
        try {
            decoder.readMetadata();
        } catch (IOException | RuntimeException e) {
            throw new AudioFileException(source.file(), CORRUPT_HEADER, "jflac rejected STREAMINFO: " + e, e);
        }
        long limit = layout.lengthKnown() ? Math.min(layout.totalSamples(), AudioReader.MAX_FRAMES) : AudioReader.MAX_FRAMES;
        Sink sink = keepSamples ? new Sink(initialCapacity(source, layout, limit)) : null;
        long decoded = 0;
        long intactFrames = 0;
        int skipped = 0;
        long attempts = 0;
        long maxAttempts = source.size() + 16;
        while (decoded < limit) {
            if (++attempts > maxAttempts) {
                throw new AudioFileException(source.file(), CORRUPT_HEADER, "FLAC decoding made no progress");
            }
            Frame frame;
            int crcErrorsBefore = tally.crcErrors;
            try {
                frame = decoder.readNextFrame();
            } catch (EndGuard.ReadPastEnd e) {
                break;
            } catch (AudioFileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                skipped++; // garbage jflac did not recognise as such; resync at the next frame
                continue;
            }
            if (frame == null) {
                break;
            }
            if (tally.crcErrors == crcErrorsBefore) {
                intactFrames++;
            }
            int blockSize = frame.header.blockSize;
            if (blockSize > limit - decoded && !layout.lengthKnown()) {
                throw new AudioFileException(source.file(), UNSUPPORTED_ENCODING,
                        "more than " + AudioReader.MAX_FRAMES + " frames, more than one array can hold");
            }
            int take = (int) Math.min(blockSize, limit - decoded);
            if (sink != null) {
                int bits = frame.header.bitsPerSample > 0 ? frame.header.bitsPerSample : layout.bitsPerSample();
                sink.mix(decoder.getChannelData(), frame.header.channels, bits, take);
            }
            decoded += take;
        }
        skipped += decoder.getBadFrames();
        if (intactFrames == 0) {
            // Garbage throws up a frame header that passes its 8-bit CRC now and then; only a
            // frame that also passes the 16-bit frame CRC shows there is FLAC audio here at all.
            if (skipped > 0 || tally.crcErrors > 0) {
                throw new AudioFileException(source.file(), CORRUPT_HEADER, "no intact FLAC frame ("
                        + skipped + " undecodable, " + tally.crcErrors + " failed their CRC)");
            }
            if (!layout.lengthKnown()) {
                throw new AudioFileException(source.file(), EMPTY, "no audio frames");
            }
            throw new AudioFileException(source.file(), TRUNCATED, "no FLAC frame after the metadata");
        }
        String caveat = caveat(layout, decoded, skipped, tally.crcErrors);
        return new Result(sink == null ? null : sink.toArray(), decoded, caveat);
    }

    private static InputStream syntheticStream(AudioSource source, FlacLayout layout) {
        byte[] header = new byte[8 + FlacParser.STREAMINFO_LENGTH];
        header[0] = 'f';
        header[1] = 'L';
        header[2] = 'a';
        header[3] = 'C';
        header[4] = (byte) 0x80; // last metadata block, type STREAMINFO
        header[7] = FlacParser.STREAMINFO_LENGTH;
        System.arraycopy(layout.streamInfo(), 0, header, 8, FlacParser.STREAMINFO_LENGTH);
        return new EndGuard(new SequenceInputStream(new ByteArrayInputStream(header), source.streamFrom(layout.audioOffset())));
    }

    /**
     * Enough for the whole stream in the usual case (so no copy at the end), yet bounded by what
     * the file's size can plausibly hold at a 3:1 compression ratio, not by the header's word.
     */
    private static int initialCapacity(AudioSource source, FlacLayout layout, long limit) {
        long bytesPerFrame = (long) layout.channels() * ((layout.bitsPerSample() + 7) / 8);
        long plausible = source.size() / Math.max(1, bytesPerFrame) * 3 + 65536;
        return (int) Math.min(limit, plausible);
    }

    private static String caveat(FlacLayout layout, long decoded, int skipped, int crcErrors) {
        StringBuilder sb = new StringBuilder();
        if (layout.lengthKnown() && decoded < layout.totalSamples()) {
            sb.append("STREAMINFO promises ").append(layout.totalSamples()).append(" samples but only ")
                    .append(decoded).append(" could be decoded (truncated file?)");
        }
        if (skipped > 0) {
            sb.append(sb.isEmpty() ? "" : "; ").append(skipped).append(" undecodable frame(s) skipped");
        }
        if (crcErrors > 0) {
            sb.append(sb.isEmpty() ? "" : "; ").append(crcErrors).append(" frame(s) failed their CRC and were decoded as silence");
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** A growing mono buffer that frames are mixed into straight from jflac's int arrays. */
    private static final class Sink {
        private float[] data;
        private int size;

        Sink(int capacity) {
            data = new float[Math.max(capacity, 1)];
        }

        void mix(ChannelData[] channelData, int channels, int bits, int n) {
            if (size + n > data.length) {
                long grown = Math.max((long) size + n, data.length + (data.length >> 1));
                data = Arrays.copyOf(data, (int) Math.min(grown, AudioReader.MAX_FRAMES));
            }
            float[] out = data;
            int off = size;
            float scale = (float) (Math.scalb(1.0, 1 - bits) / channels);
            int[] first = channelData[0].getOutput();
            if (channels == 1) {
                for (int i = 0; i < n; i++) {
                    out[off + i] = first[i] * scale;
                }
            } else if (channels == 2 && bits <= 30) {
                int[] second = channelData[1].getOutput();
                for (int i = 0; i < n; i++) {
                    out[off + i] = (first[i] + second[i]) * scale;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[off + i] = first[i];
                }
                for (int c = 1; c < channels; c++) {
                    int[] samples = channelData[c].getOutput();
                    for (int i = 0; i < n; i++) {
                        out[off + i] += samples[i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    out[off + i] *= scale;
                }
            }
            size += n;
        }

        float[] toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /**
     * Turns a second read past the end into an exception jflac does not catch. jflac's frame sync
     * search swallows the end of the stream, after which {@code readNextFrame} can spin forever on
     * a stale frame header it rejects without reading anything (seen on garbage after STREAMINFO).
     * A healthy decode asks past the end at most once before giving up by itself.
     */
    private static final class EndGuard extends InputStream {

        static final class ReadPastEnd extends IOException {
            ReadPastEnd() {
                super("read past the end of the FLAC stream");
            }
        }

        private final InputStream in;
        private boolean ended;

        EndGuard(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (ended) {
                throw new ReadPastEnd();
            }
            int b = in.read();
            ended = b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended) {
                throw new ReadPastEnd();
            }
            int n = in.read(b, off, len);
            ended = n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Counts what jflac reports through its listener instead of throwing. */
    private static final class ErrorTally implements FrameListener {
        int crcErrors;

        @Override
        public void processMetadata(Metadata metadata) {
            // STREAMINFO is ours; nothing to learn here.
        }

        @Override
        public void processFrame(Frame frame) {
            // Frames are consumed through readNextFrame, not this callback.
        }

        @Override
        public void processError(String msg) {
            if (msg != null && msg.startsWith("CRC Error")) {
                crcErrors++;
            }
        }
    }
}
