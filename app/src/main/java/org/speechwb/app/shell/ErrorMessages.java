package org.speechwb.app.shell;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions into sentences a researcher can act on; the stack trace belongs in the log. */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t.getClass() == RuntimeException.class && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            return "Out of memory. Close other runs or lower the memory the work needs (for training: data.maxTokens "
                    + "or data.maxSampleSize); the JVM heap limit is set in ./workbench (-Xmx).";
        }
        if (t instanceof NoSuchFileException e) {
            return "Not found: " + e.getFile() + (e.getReason() != null ? " (" + e.getReason() + ")" : "");
        }
        if (t instanceof AccessDeniedException e) {
            return "Permission denied: " + e.getFile();
        }
        if (t instanceof NotDirectoryException e) {
            return "Not a folder: " + e.getFile();
        }
        if (t instanceof FileSystemException e) {
            return (e.getReason() != null ? e.getReason() : "file system error") + ": " + e.getFile();
        }
        if (t instanceof FileNotFoundException) {
            return "Not found: " + t.getMessage();
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return "Cancelled.";
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return t.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        }
        return msg;
    }
}
