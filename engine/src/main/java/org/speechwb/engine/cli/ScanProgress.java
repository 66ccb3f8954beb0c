package org.speechwb.engine.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.speechwb.engine.data.ScanListener;

/** Prints scan progress on one terminal line (stderr), at most a few times a second. */
final class ScanProgress implements ScanListener {

    private final PrintStream out;
    private long lastPrint;

    ScanProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void progress(int done, int total, Path currentFile) {
        long now = System.nanoTime();
        if (done == total || now - lastPrint > 200_000_000L) {
            lastPrint = now;
            out.printf("\rScanning %d/%d%s", done, total, done == total ? System.lineSeparator() : "");
            out.flush();
        }
    }
}
