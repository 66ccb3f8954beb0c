package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.speechwb.engine.audio.AudioClip;

/** Validates the corpus committed in datasets/harvard-tts, which users get without any TTS installed. */
class BundledCorpusTest {

    /** The size budget for the committed corpus, in bytes as {@code du -sb} counts them. */
    static final long MAX_BYTES = 25_000_000L;

    private static Path dir;
    private static List<CorpusUtterance> rows;

    @BeforeAll
    static void load() throws Exception {
        dir = org.speechwb.engine.testutil.RepoFiles.root().resolve("datasets/harvard-tts");
        rows = CorpusChecks.table(dir);
    }

    @Test
    void fitsTheSizeBudget() throws Exception {
        assertThat(CorpusChecks.bytes(dir)).isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void everyFileExistsDecodesAt16kHzAndMatchesItsManifest() throws Exception {
        Map<String, AudioClip> clips = CorpusChecks.audioMatchesManifests(dir, rows);
        assertThat(clips).hasSameSizeAs(rows);
        double seconds = clips.values().stream().mapToDouble(AudioClip::durationSeconds).sum();
        assertThat(seconds).isCloseTo(CorpusChecks.corpusJson(dir).at("/total/seconds").asDouble(), offset(0.5));
    }

    @Test
    void splitsAreSpeakerAndSentenceDisjoint() {
        CorpusChecks.splitsAreDisjoint(rows);
    }

    @Test
    void containsNoRealSpeechSentence() throws Exception {
        CorpusChecks.noneMatch(rows, SentenceExclusion.read(org.speechwb.engine.testutil.RepoFiles.root().resolve("datasets/real-speech/transcripts.tsv")));
    }

    @Test
    void testVoicesCoverBothEnginesAndBothGenders() throws Exception {
        JsonNode voices = CorpusChecks.corpusJson(dir).at("/splits/test/voices");
        Set<String> engines = new HashSet<>();
        Set<String> genders = new HashSet<>();
        Set<String> ids = new HashSet<>();
        voices.forEach(v -> {
            engines.add(v.get("engine").asText());
            genders.add(v.get("gender").asText());
            ids.add(v.get("speaker").asText());
        });
        assertThat(engines).containsExactlyInAnyOrder("espeak-ng", "flite");
        assertThat(genders).containsExactlyInAnyOrder("M", "F");
        assertThat(rows.stream().filter(r -> r.split() == CorpusSplit.TEST).map(CorpusUtterance::speaker).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void hasTheAdvertisedAmountOfAudioPerSplit() throws Exception {
        JsonNode splits = CorpusChecks.corpusJson(dir).at("/splits");
        assertThat(splits.at("/train/minutes").asDouble()).isGreaterThanOrEqualTo(10.0);
        assertThat(splits.at("/valid/minutes").asDouble()).isBetween(3.0, 5.0);
        assertThat(splits.at("/test/minutes").asDouble()).isBetween(5.0, 8.0);
        for (CorpusSplit split : CorpusSplit.values()) {
            long n = rows.stream().filter(r -> r.split() == split).count();
            assertThat(splits.at("/" + split.id() + "/utterances").asLong()).isEqualTo(n);
        }
    }
}
