package org.speechwb.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.speechwb.engine.testutil.RepoFiles;

class VocabularyTest {

    @TempDir
    Path dir;

    private final Vocabulary v = Vocabulary.englishLetters();

    @Test
    void englishLettersHaveBlankZeroBoundaryApostropheAndTheAlphabet() {
        assertThat(v.size()).isEqualTo(29);
        assertThat(v.token(0)).isEqualTo("<blank>");
        assertThat(v.blank()).isZero();
        assertThat(v.token(v.wordBoundary())).isEqualTo("|");
        assertThat(v.id("'")).isPositive();
        for (char c = 'A'; c <= 'Z'; c++) {
            assertThat(v.id(String.valueOf(c))).as("letter %s", c).isPositive();
        }
        assertThat(v.unknown()).isEqualTo(-1);
    }

    @Test
    void encodesLikeFairseqLetterTargets() {
        int[] ids = v.encode("THE CAT");
        int bar = v.wordBoundary();
        assertThat(ids).containsExactly(v.id("T"), v.id("H"), v.id("E"), bar, v.id("C"), v.id("A"), v.id("T"), bar);
        assertThat(v.encode("THE CAT", false)).hasSize(7);
        assertThat(v.encode("  IT'S \t OK ")).hasSize(8);
        assertThat(v.encode("")).isEmpty();
        assertThat(v.letterLine("IT'S OK")).isEqualTo("I T ' S | O K |");
    }

    @Test
    void encodingMatchesTheBundledCorpusLtrFiles() throws IOException {
        Path corpus = RepoFiles.root().resolve("datasets/harvard-tts");
        List<String> words = Files.readAllLines(corpus.resolve("train.wrd"));
        List<String> letters = Files.readAllLines(corpus.resolve("train.ltr"));
        assertThat(words).hasSameSizeAs(letters).isNotEmpty();
        for (int i = 0; i < words.size(); i++) {
            assertThat(v.letterLine(words.get(i))).as("line %d", i + 1).isEqualTo(letters.get(i));
            assertThat(v.decode(v.encode(words.get(i)))).isEqualTo(words.get(i));
        }
    }

    @Test
    void decodeSkipsBlanksAndEmptyWords() {
        int bar = v.wordBoundary();
        int[] ids = {0, bar, v.id("A"), 0, bar, bar, v.id("B"), v.id("C"), bar, 0};
        assertThat(v.decode(ids)).isEqualTo("A BC");
        assertThat(v.decode(new int[0])).isEmpty();
    }

    @Test
    void unknownCharacterIsNamed() {
        assertThatThrownBy(() -> v.encode("THE CAT'S 3 LIVES"))
                .isInstanceOf(UnknownSymbolException.class)
                .hasMessageContaining("'3'").hasMessageContaining("U+0033").hasMessageContaining("position 10");
        assertThatThrownBy(() -> v.encode("a")).hasMessageContaining("'a'");
        assertThatThrownBy(() -> v.encode("A|B")).hasMessageContaining("reserved for the word boundary");
    }

    @Test
    void unknownTokenPolicyMapsUnknownCharacters() {
        Vocabulary withUnk = Vocabulary.fromTranscripts(List.of("AB BA"), true);
        assertThat(withUnk.tokens()).containsExactly("<blank>", "|", "A", "B", "<unk>");
        assertThat(withUnk.encode("AC")).containsExactly(2, 4, 1);
    }

    @Test
    void fromTranscriptsOfEnglishTextGivesTheShippedVocabulary() throws IOException {
        List<String> all = new ArrayList<>();
        for (String line : Files.readAllLines(RepoFiles.root().resolve("datasets/text/harvard-sentences.txt"))) {
            all.add(TranscriptNormalizer.normalize(line));
        }
        all.add("JQXZ'V");
        assertThat(Vocabulary.fromTranscripts(all, false).tokens()).isEqualTo(v.tokens());
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        Path f = dir.resolve("sub/vocab.txt");
        v.save(f);
        assertThat(Vocabulary.load(f).tokens()).isEqualTo(v.tokens());
    }

    @Test
    void badFilesAreReportedWithFileAndLine() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "<blank>\n|\nA\n\nB\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Vocabulary.load(f)).hasMessageContaining("bad.txt:4").hasMessageContaining("empty line");
        Files.writeString(f, "A\n|\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Vocabulary.load(f)).hasMessageContaining("must be the blank");
        Files.writeString(f, "<blank>\nA\nB\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Vocabulary.load(f)).hasMessageContaining("no word boundary");
        Files.writeString(f, "<blank>\n|\nA\nA\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Vocabulary.load(f)).hasMessageContaining("appears twice (ids 2 and 3)");
        Files.writeString(f, "<blank>\n|\nAB\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Vocabulary.load(f)).hasMessageContaining("not a single visible character");
    }
}
