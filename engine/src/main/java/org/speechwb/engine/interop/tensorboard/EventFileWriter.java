package org.speechwb.engine.interop.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes TensorBoard scalar event files, so that {@code tensorboard --logdir runs/} shows our
 * runs beside those of other tools. One file per writing session, named as TensorBoard expects
 * ({@code events.out.tfevents.<seconds>.<host>}); a session that resumes a run starts with a
 * SessionLog START at the resume step, which makes TensorBoard drop the points after that step
 * logged by the interrupted session, just as our metrics file drops its lines.
 */
public final class EventFileWriter implements AutoCloseable {

    /** What TensorBoard's own writers put first. */
    public static final String FILE_VERSION = "brain.Event:2";

    private final Path file;
    private final OutputStream out;

    /**
     * @param dir        the run's event folder (created if missing)
     * @param resumeStep the step a resumed session continues after, or -1 for a fresh run
     */
    public EventFileWriter(Path dir, long resumeStep) throws IOException {
        Files.createDirectories(dir);
        double now = System.currentTimeMillis() / 1000.0;
        String base = "events.out.tfevents." + (long) now + ".speechwb";
        Path f = dir.resolve(base);
        for (int i = 1; Files.exists(f); i++) {
            f = dir.resolve(base + "." + i);
        }
        this.file = f;
        this.out = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        write(EventProto.fileVersion(now, FILE_VERSION));
        if (resumeStep >= 0) {
            write(EventProto.sessionStart(now, resumeStep));
        }
        out.flush();
    }

    public Path file() {
        return file;
    }

    /** Appends one scalar; non-finite values are written as they are (TensorBoard shows NaN as a gap). */
    public synchronized void scalar(String tag, long step, double wallTime, double value) throws IOException {
        write(EventProto.scalar(wallTime, step, tag, (float) value));
    }

    /** Makes everything written so far visible to a reader (TensorBoard polls the file). */
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void write(byte[] event) throws IOException {
        out.write(Records.frame(event));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
