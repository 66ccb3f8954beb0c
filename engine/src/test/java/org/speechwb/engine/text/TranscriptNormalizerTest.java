package org.speechwb.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TranscriptNormalizerTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "The birch canoe slid on the smooth planks.|THE BIRCH CANOE SLID ON THE SMOOTH PLANKS",
            "It's easy to tell the depth of a well.|IT'S EASY TO TELL THE DEPTH OF A WELL",
            "This plank was made for walking on .|THIS PLANK WAS MADE FOR WALKING ON",
            "A zestful food is the hot-cross bun.|A ZESTFUL FOOD IS THE HOT CROSS BUN",
            "It snowed, rained, and hailed the same morning.|IT SNOWED RAINED AND HAILED THE SAME MORNING",
            "Add the store's account to the last cent.|ADD THE STORE'S ACCOUNT TO THE LAST CENT",
            "'Tis the dogs' bone, said she: \"go!\"|TIS THE DOGS BONE SAID SHE GO",
            "O\u2019Brien said \u2018hello\u2019|O'BRIEN SAID HELLO",
            "  many   spaces\tand\ttabs  |MANY SPACES AND TABS",
            "caf\u00e9 na\u00efve \u00c5ngstr\u00f6m|CAFE NAIVE ANGSTROM",
            "Stra\u00dfe|STRASSE",
            "12 dogs|TWELVE DOGS",
            "0 and 7|ZERO AND SEVEN",
            "1,250 apples|ONE THOUSAND TWO HUNDRED FIFTY APPLES",
            "the 3rd, 21st and 100th time|THE THIRD TWENTY FIRST AND ONE HUNDREDTH TIME",
            "the 12th of the month|THE TWELFTH OF THE MONTH",
            "pi is 3.14|PI IS THREE POINT ONE FOUR",
            "50% off & more|FIFTY PERCENT OFF AND MORE",
            "room 101b|ROOM ONE HUNDRED ONE B",
            "1000000 years|ONE MILLION YEARS",
            "rock 'n' roll|ROCK N ROLL",
            "a--b//c|A B C",
    })
    void normalises(String raw, String expected) {
        String got = TranscriptNormalizer.normalize(raw);
        assertThat(got).isEqualTo(expected);
        assertThat(TranscriptNormalizer.isNormalized(got)).isTrue();
    }

    @Test
    void nothingSpeakableGivesEmptyString() {
        assertThat(TranscriptNormalizer.normalize("")).isEmpty();
        assertThat(TranscriptNormalizer.normalize(" ... ?! ")).isEmpty();
        assertThat(TranscriptNormalizer.normalize("'")).isEmpty();
    }

    @Test
    void isIdempotent() {
        String once = TranscriptNormalizer.normalize("We don't like to admit our small faults, 2 or 3.");
        assertThat(once).isEqualTo("WE DON'T LIKE TO ADMIT OUR SMALL FAULTS TWO OR THREE");
        assertThat(TranscriptNormalizer.normalize(once)).isEqualTo(once);
    }

    @Test
    void recognisesNormalisedText() {
        assertThat(TranscriptNormalizer.isNormalized("IT'S A DOG")).isTrue();
        assertThat(TranscriptNormalizer.isNormalized("it's a dog")).isFalse();
        assertThat(TranscriptNormalizer.isNormalized("A  DOG")).isFalse();
        assertThat(TranscriptNormalizer.isNormalized(" A DOG")).isFalse();
        assertThat(TranscriptNormalizer.isNormalized("DOGS'")).isFalse();
        assertThat(TranscriptNormalizer.isNormalized("")).isFalse();
        assertThat(TranscriptNormalizer.isNormalized(null)).isFalse();
    }

    @Test
    void longDigitRunsAreReadDigitByDigit() {
        assertThat(TranscriptNormalizer.normalize("code 1234567890123456"))
                .isEqualTo("CODE ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE ZERO ONE TWO THREE FOUR FIVE SIX");
    }

    @Test
    void verbalisesNumbers() {
        assertThat(NumberVerbalizer.cardinal(1205)).isEqualTo("ONE THOUSAND TWO HUNDRED FIVE");
        assertThat(NumberVerbalizer.cardinal(2_000_019L)).isEqualTo("TWO MILLION NINETEEN");
        assertThat(NumberVerbalizer.ordinal("40")).isEqualTo("FORTIETH");
        assertThat(NumberVerbalizer.ordinal("8")).isEqualTo("EIGHTH");
    }
}
