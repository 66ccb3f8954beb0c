package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kaldi data-directory layout: plain paths, decode-only pipelines, refusals with reasons. */
class KaldiDataDirReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsWavScpTextAndUtt2spkAndMapsDecodeOnlyPipelinesToTheirFiles() throws Exception {
        Path data = tmp.resolve("data/train");
        TestData.wav(data.resolve("a.wav"), 1.0, 16000);
        TestData.flac(tmp.resolve("audio/b.flac"), 1.5, 16000);
        TestData.flac(data.resolve("c.flac"), 0.5, 16000);
        TestData.wav(tmp.resolve("data/WAVE/d.wav"), 0.7, 16000);
        TestData.text(data.resolve("wav.scp"), String.join("\n",
                "u1 a.wav",
                "u2 flac -c -d -s audio/b.flac |",
                "u3 sox " + data.resolve("c.flac") + " -t wav - |",
                "u4 sph2pipe -f wav -p x.sph |",
                "u5 raw.ark:1234",
                "u6 WAVE/d.wav",
                "u1 a.wav", ""));
        TestData.text(data.resolve("text"), "u1 HELLO  WORLD\nu2 SECOND ONE\nu9 ORPHAN\n");
        TestData.text(data.resolve("utt2spk"), "u1 s1\nu2 s2\nu3 s1\nu6 s3\n");
        TestData.text(data.resolve("spk2gender"), "s1 m\ns2 f\n");

        assertThat(DatasetLoader.detect(data)).isEqualTo(DatasetFormat.KALDI);
        assertThat(DatasetLoader.detect(data.resolve("wav.scp"))).isEqualTo(DatasetFormat.KALDI);
        Dataset ds = DatasetLoader.open(data);
        assertThat(ds.utterances()).extracting(Utterance::id).containsExactly("u1", "u2", "u3", "u6");
        Utterance u1 = ds.utterances().get(0);
        assertThat(u1.transcript()).isEqualTo("HELLO WORLD");
        assertThat(u1.speaker()).isEqualTo("s1");
        // relative to the recipe root (two levels up), as Kaldi recipes write them
        assertThat(ds.utterances().get(1).audio()).isEqualTo(tmp.resolve("audio/b.flac").toAbsolutePath().normalize());
        assertThat(ds.utterances().get(1).seconds()).isEqualTo(1.5);
        assertThat(ds.utterances().get(2).transcript()).isNull();
        // relative to the data directory's parent, as speechocean762's train/wav.scp writes them
        assertThat(ds.utterances().get(3).audio()).isEqualTo(tmp.resolve("data/WAVE/d.wav").toAbsolutePath().normalize());
        assertThat(ds.skipped()).extracting(SkippedFile::line).containsExactly(4, 5, 7);
        assertThat(ds.skipped().get(0).detail()).contains("sph2pipe").contains("not run");
        assertThat(ds.skipped().get(1).detail()).contains("archive");
        assertThat(ds.skipped().get(2).reason()).isEqualTo(SkippedFile.Reason.DUPLICATE_ID);
        assertThat(ds.warnings()).anyMatch(w -> w.contains("1 transcript(s)") && w.contains("text"));
    }

    @Test
    void aMissingAudioFileIsSkippedWithItsLineAndNoUtt2spkIsAWarning() throws Exception {
        Path data = tmp.resolve("d");
        TestData.wav(data.resolve("a.wav"), 1.0, 16000);
        TestData.text(data.resolve("wav.scp"), "a a.wav\nb missing.wav\n");
        Dataset ds = DatasetLoader.open(data);
        assertThat(ds.utterances()).hasSize(1);
        assertThat(ds.utterances().get(0).speaker()).isNull();
        assertThat(ds.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkippedFile.Reason.MISSING_FILE);
            assertThat(s.line()).isEqualTo(2);
        });
        assertThat(ds.warnings()).anyMatch(w -> w.contains("utt2spk"));
    }

    @Test
    void segmentsAreRefusedNamingTheFileRatherThanReadingWholeRecordings() throws Exception {
        Path data = tmp.resolve("seg");
        TestData.wav(data.resolve("rec.wav"), 2.0, 16000);
        TestData.text(data.resolve("wav.scp"), "rec rec.wav\n");
        TestData.text(data.resolve("segments"), "u1 rec 0.0 1.0\n");
        assertThatThrownBy(() -> DatasetLoader.open(data))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(data.resolve("segments").toString())
                .hasMessageContaining("not supported");
    }

    @Test
    void onlyTheTwoDecodeOnlyPipelineFormsAreUnderstood() {
        assertThat(KaldiDataDirReader.audioPath("flac -c -d -s /x/y.flac |")).isEqualTo("/x/y.flac");
        assertThat(KaldiDataDirReader.audioPath("sox /x/y.wav -t wav - |")).isEqualTo("/x/y.wav");
        assertThat(KaldiDataDirReader.audioPath("/x/plain.wav")).isEqualTo("/x/plain.wav");
        for (String bad : List.of("cat /x/y.wav |", "flac -c -d -s /x/y.flac | sox - -t wav - |", "rm -rf / |")) {
            assertThatThrownBy(() -> KaldiDataDirReader.audioPath(bad)).hasMessageContaining("not run");
        }
        assertThat(Files.exists(Path.of("/x/plain.wav"))).isFalse();
    }
}
