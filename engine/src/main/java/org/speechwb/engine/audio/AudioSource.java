package org.speechwb.engine.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * An open audio file with positional, bounded reads.
 *
 * <p>Every read is clipped to the real file size, which is what keeps a lying header (a chunk
 * that claims 2 GB in a 1 KB file) from turning into a huge allocation: callers ask for "up to
 * n bytes at p" and get what the file has. Header parsing goes through a small cached window so
 * that walking many little chunks costs one system call, not one per chunk. Opening maps every
 * way a path can fail to {@link AudioFileException.Reason#UNREADABLE}, and refuses non-regular
 * files up front because opening a FIFO would block forever.
 */
final class AudioSource implements AutoCloseable {

    /** Size of the cached header window; most WAV and FLAC headers fit in the first read. */
    static final int WINDOW = 8192;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = -1;
    private int windowLength;

    private AudioSource(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    static AudioSource open(Path file) throws AudioFileException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "is a directory");
        }
        if (!Files.exists(file)) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "not a regular file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "permission denied", e);
        } catch (IOException | SecurityException e) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, e.toString(), e);
        }
        try {
            return new AudioSource(file, channel, channel.size());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, e.toString(), e);
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    /**
     * Up to {@code length} bytes at {@code position} (fewer at the end of the file), little-endian,
     * positioned at 0. The buffer may be shared with the header window: use it before the next read.
     */
    ByteBuffer read(long position, int length) throws AudioFileException {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position " + position + ", length " + length);
        }
        int available = (int) Math.max(0, Math.min(length, size - position));
        if (available <= WINDOW) {
            if (windowStart < 0 || position < windowStart || position + available > windowStart + windowLength) {
                fillWindow(position);
            }
            ByteBuffer view = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int offset = (int) (position - windowStart);
            int got = Math.max(0, Math.min(available, windowLength - offset)); // less if the file shrank
            view.position(offset).limit(offset + got);
            return view.slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer buffer = ByteBuffer.allocate(available).order(ByteOrder.LITTLE_ENDIAN);
        readFully(position, buffer);
        buffer.flip();
        return buffer;
    }

    /** Fills {@code target} from {@code position} on, up to its limit or the end of the file. */
    void readFully(long position, ByteBuffer target) throws AudioFileException {
        try {
            long at = position;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
        } catch (IOException e) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "read failed at byte " + position + ": " + e, e);
        }
    }

    /**
     * A stream over the file from {@code position} to its end, for decoders that pull bytes
     * (jflac). It never returns 0 for a non-empty request, so callers see a clean end of file, and
     * an I/O failure arrives as an {@link AudioFileException} so it is not mistaken for bad data.
     */
    InputStream streamFrom(long position) {
        return new ChannelInputStream(position);
    }

    private void fillWindow(long position) throws AudioFileException {
        window.clear();
        readFully(position, window);
        windowStart = position;
        windowLength = window.position();
        window.clear();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel has nothing to flush; a failure here changes no result.
        }
    }

    /** Buffered positional reads; positional so that it never disturbs other reads on the channel. */
    private final class ChannelInputStream extends InputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long next;

        ChannelInputStream(long position) {
            this.next = position;
            buffer.limit(0);
        }

        @Override
        public int read() throws IOException {
            if (!buffer.hasRemaining() && !refill()) {
                return -1;
            }
            return buffer.get() & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining() && !refill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        private boolean refill() throws IOException {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer, next);
            } catch (IOException e) {
                throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "read failed at byte " + next + ": " + e, e);
            }
            buffer.flip();
            if (n <= 0) {
                return false;
            }
            next += n;
            return true;
        }
    }
}
