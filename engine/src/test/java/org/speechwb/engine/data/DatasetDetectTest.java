package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.data.TestData.flac;
import static org.speechwb.engine.data.TestData.text;
import static org.speechwb.engine.data.TestData.wav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDetectTest {

    @TempDir
    Path tmp;

    @Test
    void detectsEachLayout() throws IOException {
        Path corpus = tmp.resolve("corpus");
        text(corpus.resolve("utterances.tsv"), "id\tpath\tspeaker\tsplit\ttext\n");
        text(corpus.resolve("train.tsv"), ".\n");
        assertThat(DatasetLoader.detect(corpus)).isEqualTo(DatasetFormat.WORKBENCH_CORPUS);
        assertThat(DatasetLoader.detect(corpus.resolve("utterances.tsv"))).isEqualTo(DatasetFormat.WORKBENCH_CORPUS);
        assertThat(DatasetLoader.detect(corpus.resolve("train.tsv"))).isEqualTo(DatasetFormat.FAIRSEQ_MANIFEST);

        Path folder = tmp.resolve("folder");
        wav(folder.resolve("a/b.wav"), 0.1, 16_000);
        assertThat(DatasetLoader.detect(folder)).isEqualTo(DatasetFormat.FOLDER);

        Path libri = tmp.resolve("libri");
        flac(libri.resolve("dev-clean/1/2/1-2-0000.flac"), 0.1, 16_000);
        text(libri.resolve("dev-clean/1/2/1-2.trans.txt"), "1-2-0000 HI\n");
        assertThat(DatasetLoader.detect(libri)).isEqualTo(DatasetFormat.LIBRISPEECH);
        assertThat(DatasetLoader.detect(libri.resolve("dev-clean"))).isEqualTo(DatasetFormat.LIBRISPEECH);

        Path manifest = text(tmp.resolve("m.tsv"), "/data/audio\nx.wav\t16000\n");
        assertThat(DatasetLoader.detect(manifest)).isEqualTo(DatasetFormat.FAIRSEQ_MANIFEST);

        assertThat(DatasetLoader.detect(TestData.repoRoot().resolve("datasets/real-speech")))
                .isEqualTo(DatasetFormat.TRANSCRIPTS_TSV);
    }

    @Test
    void numericFoldersWithoutTranscriptsAreAPlainFolder() throws IOException {
        wav(tmp.resolve("1/2/x.wav"), 0.1, 16_000);
        assertThat(DatasetLoader.detect(tmp)).isEqualTo(DatasetFormat.FOLDER);
    }

    @Test
    void rejectsWhatIsNoDataset() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        text(tmp.resolve("empty/readme.txt"), "nothing here");
        assertThatThrownBy(() -> DatasetLoader.detect(tmp.resolve("empty")))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("no dataset found");

        Path table = text(tmp.resolve("table.tsv"), "name\tage\nbob\tforty\n");
        assertThatThrownBy(() -> DatasetLoader.detect(table))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("not a fairseq manifest");

        assertThatThrownBy(() -> DatasetLoader.detect(tmp.resolve("nope")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
