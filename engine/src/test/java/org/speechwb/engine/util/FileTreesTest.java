package org.speechwb.engine.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesTheTreeButNotWhatALinkInItPointsTo() throws Exception {
        Path keep = Files.writeString(tmp.resolve("keep.txt"), "mine");
        Path root = Files.createDirectories(tmp.resolve("scratch/a/b"));
        Files.writeString(root.resolve("f.wav"), "x");
        Files.createSymbolicLink(tmp.resolve("scratch/link"), keep);
        FileTrees.delete(tmp.resolve("scratch"));
        assertThat(tmp.resolve("scratch")).doesNotExist();
        assertThat(keep).hasContent("mine");
        FileTrees.delete(tmp.resolve("scratch"));   // gone already: nothing to do
    }
}
