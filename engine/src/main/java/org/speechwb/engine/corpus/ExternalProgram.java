package org.speechwb.engine.corpus;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program to completion with a time limit and turns every way it can go
 * wrong into a {@link TtsException} that names the program: not installed, killed after the
 * timeout, or a non-zero exit (with the tail of what it printed).
 *
 * <p>Output goes to a temporary file rather than a pipe, so a chatty or hung program can never
 * block on a full pipe while we wait for it, and no reader threads are needed.
 */
final class ExternalProgram {

    private static final int MAX_OUTPUT_IN_MESSAGE = 600;

    private ExternalProgram() {
    }

    /**
     * Runs {@code command} (program first) and returns what it printed (stdout and stderr
     * together) if it exits with status 0.
     *
     * @throws TtsException if the program is missing, exceeds {@code timeout} or exits non-zero
     */
    static String run(List<String> command, Duration timeout) throws TtsException {
        return run(command, timeout, true);
    }

    /**
     * Like {@link #run(List, Duration)} but accepts any exit status; for {@code flite --version},
     * which prints its version and exits with status 1.
     */
    static String runAnyStatus(List<String> command, Duration timeout) throws TtsException {
        return run(command, timeout, false);
    }

    private static String run(List<String> command, Duration timeout, boolean requireSuccess) throws TtsException {
        String program = command.get(0);
        Path log;
        try {
            log = Files.createTempFile("speechwb-" + program + "-", ".log");
        } catch (IOException e) {
            throw new TtsException("cannot create a temporary file for the output of " + program + ": " + e.getMessage(), e);
        }
        try {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                throw new TtsException(program + " could not be started (" + e.getMessage() + "). Is it installed? "
                        + "Install the TTS programs with: " + TtsEngine.INSTALL_HINT, e);
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new TtsException(program + " did not finish within " + timeout.toSeconds() + " s: "
                            + String.join(" ", command));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new TtsException(program + " was interrupted", e);
            }
            String output = readQuietly(log);
            if (requireSuccess && process.exitValue() != 0) {
                throw new TtsException(program + " exited with status " + process.exitValue() + ": "
                        + String.join(" ", command) + tail(output));
            }
            return output;
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a leftover log file in the temp folder is harmless
            }
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static String tail(String output) {
        String s = output.strip();
        if (s.isEmpty()) {
            return "";
        }
        return "\n  " + (s.length() > MAX_OUTPUT_IN_MESSAGE ? "..." + s.substring(s.length() - MAX_OUTPUT_IN_MESSAGE) : s);
    }
}
