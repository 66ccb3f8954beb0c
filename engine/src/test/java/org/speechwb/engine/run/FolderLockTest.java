package org.speechwb.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One job per folder: a second one is refused, in this process and in another, until the first lets go. */
class FolderLockTest {

    /** Run in a child process: locks the folder given, says so, and holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
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
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FolderLockTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> FolderLock.acquire(dir, "an experiment")).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use");
            // however the other process ends (here: killed), the system releases its lock
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            FolderLock.acquire(dir, "an experiment").close();
        } finally {
            child.destroyForcibly();
        }
    }
}
