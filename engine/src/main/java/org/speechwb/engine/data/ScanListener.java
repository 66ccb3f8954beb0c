package org.speechwb.engine.data;

import java.nio.file.Path;

/**
 * Progress of a dataset scan. Called on the scanning thread after each file's header was
 * read (or rejected), so a UI must hand the values over to its own thread.
 */
@FunctionalInterface
public interface ScanListener {

    /** Does nothing. */
    ScanListener NONE = (done, total, currentFile) -> { };

    /**
     * @param done        files examined so far (including skipped ones)
     * @param total       files the scan will examine in all
     * @param currentFile the file just examined
     */
    void progress(int done, int total, Path currentFile);
}
