package org.speechwb.engine.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a folder for as long as one job writes into it, so that a second job
 * (the same experiment started from the workbench while the command runs it, say) is refused
 * instead of interleaving its files with the first's. The operating system releases the lock
 * when the process ends, however it ends, so a crash never leaves the folder locked.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file's name inside the folder. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code folder} (which must exist) for {@code what} ("the experiment"), or throws an
     * {@link IOException} naming the folder when another job holds it, in this process or another.
     */
    public static FolderLock acquire(Path folder, String what) throws IOException {
        FileChannel ch = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new IOException(folder + " is in use: " + what + " is already running there (in this or another"
                    + " process). Wait for it to end or stop it; running it again then continues it.");
        }
        return new FolderLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
