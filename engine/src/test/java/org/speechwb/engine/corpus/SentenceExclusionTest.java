package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SentenceExclusionTest {

    private static final Path ROOT = org.speechwb.engine.testutil.RepoFiles.root();

    @Test
    void readsTheTextColumnOfTheRealSpeechTranscripts() throws Exception {
        SentenceExclusion ex = SentenceExclusion.read(ROOT.resolve("datasets/real-speech/transcripts.tsv"));
        assertThat(ex.sentences()).hasSize(10).contains("KEN PAIRS LACK FULL FLAVOR");
    }

    @Test
    void everyRealSpeechSentenceMatchesExactlyOneHarvardSentence() throws Exception {
        SentenceExclusion ex = SentenceExclusion.read(ROOT.resolve("datasets/real-speech/transcripts.tsv"));
        List<Prompt> prompts = PromptFile.read(ROOT.resolve("datasets/text/harvard-sentences.txt"));
        Map<String, List<Integer>> hits = prompts.stream()
                .filter(p -> ex.match(p.transcript()).isPresent())
                .collect(Collectors.groupingBy(p -> ex.match(p.transcript()).orElseThrow(),
                        Collectors.mapping(Prompt::line, Collectors.toList())));
        assertThat(hits).hasSize(10);
        assertThat(hits.values()).allSatisfy(lines -> assertThat(lines).hasSize(1));
        // the transcripts misspell some sentences; the fuzzy match still finds them
        assertThat(hits.get("KEN PAIRS LACK FULL FLAVOR")).containsExactly(260);
        assertThat(hits.get("TEAR THIN SHEEP FROM THE OTHER PAT")).containsExactly(631);
        assertThat(hits.get("DROP THE TUE WHEN YOU ADD THE FIGURES")).containsExactly(163);
        assertThat(hits.get("WE ARE SURE THAT ONE WORE IS ENOUGH")).containsExactly(264);
    }

    @Test
    void plainFilesHoldOneSentenceALine() throws Exception {
        Path file = Files.createTempFile("exclude", ".txt");
        try {
            Files.writeString(file, "The birch canoe slid on the smooth planks.\n\nRice is often served in round bowls.\n");
            SentenceExclusion ex = SentenceExclusion.read(file);
            assertThat(ex.sentences()).containsExactly("THE BIRCH CANOE SLID ON THE SMOOTH PLANKS",
                    "RICE IS OFTEN SERVED IN ROUND BOWLS");
            assertThat(ex.match("the birch canoe slid on the smooth plank")).isPresent();
            assertThat(ex.match("The juice of lemons makes fine punch.")).isEmpty();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void editDistance() {
        assertThat(SentenceExclusion.editDistance("KITTEN", "SITTING")).isEqualTo(3);
        assertThat(SentenceExclusion.editDistance("", "ABC")).isEqualTo(3);
        assertThat(SentenceExclusion.editDistance("ABC", "ABC")).isZero();
    }
}
