package org.speechwb.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Word and character error counts on cases worked out by hand. */
class EditAlignmentTest {

    @Test
    void substitutionAndDeletion() {
        EditAlignment a = EditAlignment.ofWords("THE CAT SAT ON THE MAT", "THE BAT SAT THE MAT");
        assertThat(a.counts()).isEqualTo(new ErrorCounts(1, 0, 1, 6));
        assertThat(a.counts().rate()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(a.render()).isEqualTo("THE [CAT→BAT] SAT [-ON] THE MAT");
        assertThat(a.pairs()).hasSize(6);
        assertThat(a.pairs().get(3)).isEqualTo(new AlignedPair(EditOp.DELETION, "ON", null));
    }

    @Test
    void insertion() {
        EditAlignment a = EditAlignment.ofWords("A B", "A X B");
        assertThat(a.counts()).isEqualTo(new ErrorCounts(0, 1, 0, 2));
        assertThat(a.render()).isEqualTo("A [+X] B");
        assertThat(a.pairs().get(1)).isEqualTo(new AlignedPair(EditOp.INSERTION, null, "X"));
    }

    @Test
    void errorsCanExceedTheReferenceLength() {
        EditAlignment a = EditAlignment.ofWords("A", "B C D");
        assertThat(a.counts().errors()).isEqualTo(3);
        assertThat(a.counts().substitutions()).isEqualTo(1);
        assertThat(a.counts().insertions()).isEqualTo(2);
        assertThat(a.counts().rate()).isEqualTo(3.0);
    }

    @Test
    void emptyHypothesisIsAllDeletions() {
        assertThat(EditAlignment.ofWords("A B C", "").counts()).isEqualTo(new ErrorCounts(0, 0, 3, 3));
        assertThat(EditAlignment.ofWords("A B C", "   ").counts().rate()).isEqualTo(1.0);
        // "A B C" is five characters with the spaces
        assertThat(EditAlignment.ofCharacters("A B C", "").counts()).isEqualTo(new ErrorCounts(0, 0, 5, 5));
    }

    @Test
    void emptyReference() {
        assertThat(EditAlignment.ofWords("", "").counts().rate()).isZero();
        ErrorCounts c = EditAlignment.ofWords("", "HELLO THERE").counts();
        assertThat(c).isEqualTo(new ErrorCounts(0, 2, 0, 0));
        assertThat(c.rate()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(EditAlignment.ofWords("", "").render()).isEmpty();
    }

    @Test
    void characterErrorsCountSpaces() {
        assertThat(EditAlignment.ofCharacters("CAT", "CUT").counts()).isEqualTo(new ErrorCounts(1, 0, 0, 3));
        ErrorCounts merged = EditAlignment.ofCharacters("THE CAT", "THECAT").counts();
        assertThat(merged).isEqualTo(new ErrorCounts(0, 0, 1, 7));
        // extra whitespace is not a character error
        assertThat(EditAlignment.ofCharacters("THE CAT", "  THE   CAT ").counts().errors()).isZero();
    }

    @Test
    void corpusRateSumsCountsBeforeDividing() {
        UtteranceScore a = UtteranceScore.of("a", "test", "A B C D", "A B C D");
        UtteranceScore b = UtteranceScore.of("b", "test", "E", "F");
        ScoreReport r = new ScoreReport(List.of(a, b), List.of(), List.of());
        // 1 error in 5 words (20 %), not the mean of 0 % and 100 %
        assertThat(r.overall().wer()).isCloseTo(0.2, within(1e-12));
        assertThat(r.overall().sentenceErrors()).isEqualTo(1);
        assertThat(r.overall().cer()).isCloseTo(1.0 / 8, within(1e-12));
    }

    @Test
    void identicalTextsHaveNoErrors() {
        EditAlignment a = EditAlignment.ofWords("IT'S EASY", "IT'S EASY");
        assertThat(a.counts().errors()).isZero();
        assertThat(a.render()).isEqualTo("IT'S EASY");
    }
}
