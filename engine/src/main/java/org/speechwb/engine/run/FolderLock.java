package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive lock on a folder for as long as one job writes into it, so that a second job
 * (the same experiment started from the workbench while the command runs it, a run resumed in the
 * workbench while a command trains it, say) is refused instead of interleaving its files with the
 * first's. The operating system releases the lock when the process ends, however it ends, so a
 * crash never leaves the folder locked.
 *
 * <p>Locks this process holds are also kept in a table and checked there first, never by opening
 * the lock file again: on Linux closing <em>any</em> channel on a file drops every lock the
 * process holds on it, so a refused second attempt that opened and closed its own channel would
 * silently unlock the folder for other processes.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file's name inside the folder. */
    public static final String FILE = ".lock";

    /** Lock files (real paths) this process holds; guarded by the class. */
    private static final Set<Path> HELD = new HashSet<>();

    /** Another job holds the folder. */
    public static final class InUseException extends IOException {
        private InUseException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code folder} (which must exist) for {@code what} ("the experiment"), or throws an
     * {@link InUseException} naming the folder when another job holds it, in this process or another.
     */
    public static synchronized FolderLock acquire(Path folder, String what) throws IOException {
        Path file = lockFile(folder);
        if (HELD.contains(file)) {
            throw inUse(folder, what);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close(); // no lock of this process is on the file, so closing drops nothing
            throw inUse(folder, what);
        }
        HELD.add(file);
        return new FolderLock(file, ch, l);
    }

    /**
     * Whether a job holds {@code folder} now, in this process or another; false for a folder that
     * does not exist, was never locked or cannot be opened for writing (where no job can be writing).
     */
    public static synchronized boolean isHeld(Path folder) {
        Path file;
        try {
            file = lockFile(folder);
        } catch (IOException e) {
            return false;
        }
        if (HELD.contains(file)) {
            return true;
        }
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path lockFile(Path folder) throws IOException {
        return folder.toRealPath().resolve(FILE);
    }

    private static InUseException inUse(Path folder, String what) {
        return new InUseException(folder + " is in use: " + what + " is already running there (in this or another"
                + " process). Wait for it to end or stop it; running it again then continues it.");
    }

    @Override
    public void close() throws IOException {
        synchronized (FolderLock.class) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lock.release();
            } finally {
                HELD.remove(file);
                channel.close();
            }
        }
    }
}
