package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.audio.AudioClip;

/**
 * End to end with the real espeak-ng and flite. These programs are required: CI installs them
 * (apt-get install espeak-ng flite), and if one is missing the test fails with that advice.
 */
class SyntheticCorpusBuilderTest {

    private static final List<String> SENTENCES = List.of(
            "The birch canoe slid on the smooth planks.",
            "Glue the sheet to the dark blue background.",
            "It's easy to tell the depth of a well.",
            "These days a chicken leg is a rare dish.",
            "Rice is often served in round bowls.",
            "Mend the coat before you go out.", // excluded below, so 6 usable sentences remain
            "The juice of lemons makes fine punch.");

    @TempDir
    Path tmp;

    private CorpusRecipe recipe(int threads) throws IOException {
        Path text = tmp.resolve("prompts.txt");
        Files.write(text, SENTENCES);
        Path exclude = tmp.resolve("exclude.tsv");
        Files.writeString(exclude, "id\ttext\nspk2_snt4\tMEND THE COAT BEFORE YOU GO OUT\n");
        return CorpusRecipe.builder(text, new SplitTargets(60, 60, 60)) // more than exists: all pairs are used
                .exclusionFile(exclude)
                .voices(List.of(TtsVoice.parse("flite-slt"), TtsVoice.parse("espeak-en-us"), TtsVoice.parse("espeak-en-gb+f2")))
                .splits(new SplitOptions(1.0 / 6, 2.0 / 6, List.of("espeak-en-gb+f2"), 0))
                .seed(11)
                .threads(threads)
                .build();
    }

    @Test
    void buildsACorpusThatKeepsEveryInvariantAndIsReproducible() throws Exception {
        Path first = tmp.resolve("first");
        List<String> progress = new ArrayList<>();
        CorpusSummary summary = new SyntheticCorpusBuilder(recipe(2), TtsToolchain.system(Duration.ofSeconds(60)))
                .build(first, false, "test", (split, n, s, t) -> progress.add(split.id() + n));

        // 3 train sentences x 2 voices, 1 valid sentence x 2 voices, 2 test sentences x 1 held-out voice
        assertThat(summary.split(CorpusSplit.TRAIN).utterances()).isEqualTo(6);
        assertThat(summary.split(CorpusSplit.VALID).utterances()).isEqualTo(2);
        assertThat(summary.split(CorpusSplit.TEST).utterances()).isEqualTo(2);
        assertThat(progress).hasSize(10);
        assertThat(summary.toolVersions()).containsKeys("espeak-ng", "flite");

        List<CorpusUtterance> rows = CorpusChecks.table(first);
        assertThat(rows).hasSize(10);
        CorpusChecks.splitsAreDisjoint(rows);
        CorpusChecks.noneMatch(rows, new SentenceExclusion(List.of("MEND THE COAT BEFORE YOU GO OUT")));
        assertThat(rows.stream().filter(r -> r.split() == CorpusSplit.TEST).map(CorpusUtterance::speaker).distinct())
                .containsExactly("espeak-en-gb+f2");

        Map<String, AudioClip> clips = CorpusChecks.audioMatchesManifests(first, rows);
        CorpusRecipe r = recipe(2);
        for (AudioClip clip : clips.values()) {
            double peakDb = 20 * Math.log10(AudioPostProcessor.peak(clip.samples()));
            assertThat(peakDb).isBetween(r.minPeakDbfs() - 0.05, r.maxPeakDbfs() + 0.05);
            // each edge holds the chosen 100-200 ms of silence (give or take an analysis frame)
            float[] tight = AudioPostProcessor.fitEdgeSilence(clip.samples(), clip.sampleRate(), 0, 0);
            double edges = (clip.samples().length - tight.length) / (double) clip.sampleRate();
            assertThat(edges).isBetween(2 * r.minEdgeSilence() - 0.03, 2 * r.maxEdgeSilence() + 0.03);
        }

        JsonNode json = CorpusChecks.corpusJson(first);
        assertThat(json.at("/recipe/seed").asLong()).isEqualTo(11);
        assertThat(json.at("/tools/espeak-ng").asText()).startsWith("espeak-ng ");
        assertThat(json.at("/excludedSentences/0/line").asInt()).isEqualTo(6);
        assertThat(json.at("/splits/test/voices/0/speaker").asText()).isEqualTo("espeak-en-gb+f2");
        assertThat(json.at("/splits/train/sentencesUsed").asInt()).isEqualTo(3);
        assertThat(json.at("/recipe/textFile").asText()).doesNotStartWith("/");

        // same recipe on one thread: byte-identical corpus
        Path second = tmp.resolve("second");
        new SyntheticCorpusBuilder(recipe(1), TtsToolchain.system(Duration.ofSeconds(60))).build(second, false, "test", ProgressListener.NONE);
        assertThat(contents(second)).isEqualTo(contents(first));
    }

    @Test
    void stopsAtTheTargetDurationAndRefusesANonEmptyFolderUnlessOverwriting() throws Exception {
        Path out = tmp.resolve("small");
        CorpusRecipe tiny = CorpusRecipe.builder(recipe(2).textFile(), new SplitTargets(0.01, 0, 0.01))
                .exclusionFile(recipe(2).exclusionFile()).voices(recipe(2).voices()).splits(recipe(2).splits()).seed(11).build();
        CorpusSummary summary = new SyntheticCorpusBuilder(tiny, TtsToolchain.system(Duration.ofSeconds(60)))
                .build(out, false, null, ProgressListener.NONE);
        assertThat(summary.split(CorpusSplit.TRAIN).utterances()).isEqualTo(1); // 0.6 s target: the first utterance reaches it
        assertThat(summary.split(CorpusSplit.VALID).utterances()).isZero();
        assertThat(CorpusChecks.table(out)).hasSize(2);
        try (Stream<Path> files = Files.walk(out.resolve(CorpusLayout.AUDIO_DIR))) {
            assertThat(files.filter(Files::isRegularFile).count()).as("surplus utterances of a batch are deleted").isEqualTo(2);
        }
        assertThat(Files.readAllLines(out.resolve("valid.tsv"))).containsExactly(".");

        SyntheticCorpusBuilder again = new SyntheticCorpusBuilder(tiny, TtsToolchain.system(Duration.ofSeconds(60)));
        assertThatThrownBy(() -> again.build(out, false, null, ProgressListener.NONE)).hasMessageContaining("not empty");
        Files.writeString(out.resolve("NOTES.md"), "mine");
        again.build(out, true, null, ProgressListener.NONE);
        assertThat(out.resolve("NOTES.md")).hasContent("mine");
        assertThat(CorpusChecks.table(out)).hasSize(2);
    }

    @Test
    void missingProgramsAndVoicesAreNamed() {
        Synthesizer missing = new EspeakNgSynthesizer("espeak-ng-not-installed", Duration.ofSeconds(5));
        assertThatThrownBy(missing::version).isInstanceOf(TtsException.class)
                .hasMessageContaining("espeak-ng-not-installed").hasMessageContaining("apt-get install espeak-ng flite");
        TtsToolchain system = TtsToolchain.system(Duration.ofSeconds(30));
        assertThatThrownBy(() -> system.check(List.of(TtsVoice.parse("flite-nosuchvoice:F"))))
                .hasMessageContaining("flite has no voice 'nosuchvoice'");
        assertThatThrownBy(() -> system.check(List.of(TtsVoice.parse("espeak-en-us+nosuch:F"))))
                .hasMessageContaining("espeak-ng has no variant 'nosuch'");
        assertThatThrownBy(() -> system.check(List.of(TtsVoice.parse("espeak-xx-nowhere:M"))))
                .hasMessageContaining("espeak-ng has no voice 'xx-nowhere'");
    }

    @Test
    void everyDefaultVoiceIsInstalled() throws Exception {
        Map<String, String> versions = TtsToolchain.system(Duration.ofSeconds(30)).check(DefaultVoices.all());
        assertThat(versions).containsKeys("espeak-ng", "flite");
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
