package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFingerprintTest {

    @TempDir
    Path tmp;

    private void tree(Path root) throws IOException {
        wav(root.resolve("s1/a.wav"), 0.2, 16_000);
        wav(root.resolve("s1/b.wav"), 0.3, 16_000);
        wav(root.resolve("s2/c.wav"), 0.4, 8_000);
    }

    @Test
    void stableUnderOrderAndLocationButNotContent() throws IOException {
        tree(tmp.resolve("here"));
        tree(tmp.resolve("elsewhere/copy"));
        Dataset here = DatasetLoader.open(tmp.resolve("here"));
        String fp = here.fingerprint();

        assertThat(fp).hasSize(64).matches("[0-9a-f]+");
        List<Utterance> shuffled = new ArrayList<>(here.utterances());
        Collections.reverse(shuffled);
        assertThat(DatasetFingerprint.of(shuffled)).isEqualTo(fp);
        assertThat(DatasetLoader.open(tmp.resolve("elsewhere/copy")).fingerprint()).isEqualTo(fp);

        Files.move(tmp.resolve("here/s2/c.wav"), tmp.resolve("here/s2/renamed.wav"));
        assertThat(DatasetLoader.open(tmp.resolve("here")).fingerprint()).isNotEqualTo(fp);
        wav(tmp.resolve("here/s2/renamed.wav"), 0.4, 8_000);
        Files.move(tmp.resolve("here/s2/renamed.wav"), tmp.resolve("here/s2/c.wav"));
        assertThat(DatasetLoader.open(tmp.resolve("here")).fingerprint()).isEqualTo(fp);
        wav(tmp.resolve("here/s2/c.wav"), 0.5, 8_000);
        assertThat(DatasetLoader.open(tmp.resolve("here")).fingerprint()).isNotEqualTo(fp);
        assertThat(here.utterances().subList(0, 2)).isNotEmpty();
        assertThat(DatasetFingerprint.of(here.utterances().subList(0, 2))).isNotEqualTo(fp);
        assertThat(DatasetFingerprint.shortForm(fp)).hasSize(12);
    }
}
