package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Checks shared by the end-to-end recipe test and the bundled-corpus test: the files a corpus
 * folder must have and the invariants its splits must keep.
 */
final class CorpusChecks {

    private CorpusChecks() {
    }

    /** Rows of utterances.tsv, after checking the table itself. */
    static List<CorpusUtterance> table(Path dir) throws IOException {
        List<CorpusUtterance> rows = UtteranceTable.read(dir);
        assertThat(rows).isNotEmpty();
        assertThat(new HashSet<>(rows.stream().map(CorpusUtterance::id).toList())).as("unique ids").hasSameSizeAs(rows);
        for (CorpusUtterance r : rows) {
            assertThat(TranscriptNormalizer.isNormalized(r.text())).as("normalised transcript of %s: %s", r.id(), r.text()).isTrue();
            assertThat(r.path()).isEqualTo(CorpusLayout.audioPath(r.speaker(), r.id()));
        }
        return rows;
    }

    /** Test speakers appear in no other split; no sentence appears in two splits. */
    static void splitsAreDisjoint(List<CorpusUtterance> rows) {
        Map<CorpusSplit, Set<String>> speakers = new HashMap<>();
        Map<CorpusSplit, Set<String>> sentences = new HashMap<>();
        for (CorpusUtterance r : rows) {
            speakers.computeIfAbsent(r.split(), s -> new HashSet<>()).add(r.speaker());
            sentences.computeIfAbsent(r.split(), s -> new HashSet<>()).add(r.text());
        }
        Set<String> test = speakers.getOrDefault(CorpusSplit.TEST, Set.of());
        assertThat(test).as("test speakers").doesNotContainAnyElementsOf(speakers.getOrDefault(CorpusSplit.TRAIN, Set.of()))
                .doesNotContainAnyElementsOf(speakers.getOrDefault(CorpusSplit.VALID, Set.of()));
        CorpusSplit[] all = CorpusSplit.values();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                assertThat(sentences.getOrDefault(all[i], Set.of())).as("%s vs %s sentences", all[i], all[j])
                        .doesNotContainAnyElementsOf(sentences.getOrDefault(all[j], Set.of()));
            }
        }
    }

    static void noneMatch(List<CorpusUtterance> rows, SentenceExclusion exclusion) {
        for (CorpusUtterance r : rows) {
            assertThat(exclusion.match(r.text())).as("excluded sentence in %s", r.id()).isEmpty();
        }
    }

    /**
     * Decodes every file: it must exist, be 16 kHz and as long as its manifest says; returns the
     * decoded clips by id.
     */
    static Map<String, AudioClip> audioMatchesManifests(Path dir, List<CorpusUtterance> rows) throws IOException {
        Map<String, Integer> manifestSamples = new HashMap<>();
        for (CorpusSplit split : CorpusSplit.values()) {
            List<String> lines = Files.readAllLines(dir.resolve(CorpusLayout.manifest(split)), StandardCharsets.UTF_8);
            List<String> letters = Files.readAllLines(dir.resolve(CorpusLayout.letters(split)), StandardCharsets.UTF_8);
            List<String> words = Files.readAllLines(dir.resolve(CorpusLayout.words(split)), StandardCharsets.UTF_8);
            List<CorpusUtterance> inSplit = rows.stream().filter(r -> r.split() == split).toList();
            assertThat(lines.get(0)).isEqualTo(CorpusLayout.MANIFEST_ROOT);
            assertThat(lines).hasSize(inSplit.size() + 1);
            assertThat(letters).hasSize(inSplit.size());
            assertThat(words).hasSize(inSplit.size());
            for (int i = 0; i < inSplit.size(); i++) {
                String[] f = lines.get(i + 1).split("\t");
                assertThat(f[0]).isEqualTo(inSplit.get(i).path());
                manifestSamples.put(inSplit.get(i).id(), Integer.parseInt(f[1]));
                assertThat(words.get(i)).isEqualTo(inSplit.get(i).text());
                assertThat(letters.get(i)).isEqualTo(CorpusLayout.letterTarget(inSplit.get(i).text()));
            }
        }
        Map<String, AudioClip> clips = new HashMap<>();
        for (CorpusUtterance r : rows) {
            Path file = CorpusLayout.resolve(dir, r.path());
            assertThat(file).as("audio of %s", r.id()).isRegularFile();
            AudioClip clip = AudioReader.read(file);
            assertThat(clip.sampleRate()).as("rate of %s", r.id()).isEqualTo(CorpusLayout.SAMPLE_RATE);
            assertThat(clip.samples().length).as("samples of %s", r.id()).isEqualTo(manifestSamples.get(r.id()));
            assertThat(clip.durationSeconds()).isGreaterThan(SyntheticCorpusBuilder.MIN_UTTERANCE_SECONDS);
            clips.put(r.id(), clip);
        }
        return clips;
    }

    static JsonNode corpusJson(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(CorpusLayout.CORPUS_JSON).toFile());
    }

    /** Apparent size of files and folders under {@code dir}, as {@code du -sb} reports it. */
    static long bytes(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            long sum = 0;
            for (Path p : paths.toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }
}
