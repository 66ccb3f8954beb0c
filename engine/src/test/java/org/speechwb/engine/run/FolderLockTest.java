package org.speechwb.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One job per folder: a second one is refused, in this process and in another, until the first lets go. */
class FolderLockTest {

    /**
     * Run in a child process: locks the folder given, says so, and holds it until its stdin closes;
     * with a second argument "check", prints whether a job holds the folder instead.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1) {
            System.out.println(FolderLock.isHeld(Path.of(args[0])) ? "held" : "free");
            return;
        }
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]), "a test job")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold
            }
        }
    }

    @Test
    void aSecondJobInThisProcessIsRefusedNamingTheFolderUntilTheFirstCloses(@TempDir Path dir) throws Exception {
        try (FolderLock first = FolderLock.acquire(dir, "an experiment")) {
            assertThatThrownBy(() -> FolderLock.acquire(dir, "an experiment")).isInstanceOf(IOException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("an experiment is already running there");
        }
        FolderLock.acquire(dir, "an experiment").close();
    }

    @Test
    void aJobInAnotherProcessHoldsTheFolderAndItsEndReleasesIt(@TempDir Path dir) throws Exception {
        Process child = child(dir);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> FolderLock.acquire(dir, "an experiment")).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use");
            // a check sees the other job, twice: neither it nor the refusal took or dropped anything
            assertThat(FolderLock.isHeld(dir)).isTrue();
            assertThat(FolderLock.isHeld(dir)).isTrue();
            // however the other process ends (here: killed), the system releases its lock
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(FolderLock.isHeld(dir)).isFalse();
            FolderLock.acquire(dir, "an experiment").close();
        } finally {
            child.destroyForcibly();
        }
    }

    /** This class's {@link #main} in a child JVM. */
    private static Process child(Path dir, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FolderLockTest.class.getName(), dir.toString()));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String checkFromAnotherProcess(Path dir) throws Exception {
        Process child = child(dir, "check");
        try {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return line;
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * On Linux closing any channel on the lock file drops every lock the process holds on it: a
     * refused second attempt, or a check, must not unlock the folder for other processes.
     */
    @Test
    void aRefusedSecondAttemptAndACheckLeaveTheFolderLockedForOtherProcesses(@TempDir Path dir) throws Exception {
        assertThat(FolderLock.isHeld(dir)).isFalse();
        try (FolderLock first = FolderLock.acquire(dir, "an experiment")) {
            assertThatThrownBy(() -> FolderLock.acquire(dir, "an experiment"))
                    .isInstanceOf(FolderLock.InUseException.class);
            assertThat(FolderLock.isHeld(dir)).isTrue();
            assertThat(FolderLock.isHeld(dir.resolve(".").resolve("..").resolve(dir.getFileName().toString()))).isTrue();
            assertThat(checkFromAnotherProcess(dir)).isEqualTo("held");
        }
        assertThat(FolderLock.isHeld(dir)).isFalse();
        assertThat(checkFromAnotherProcess(dir)).isEqualTo("free");
    }
}
