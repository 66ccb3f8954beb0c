package org.speechwb.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.speechwb.engine.data.TestData.utt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class DatasetSplitterTest {

    /** 20 speakers with 5 to 24 utterances of 1 to 4 s each; every third utterance unlabeled. */
    private static List<Utterance> corpus() {
        List<Utterance> out = new ArrayList<>();
        Random r = new Random(7);
        for (int s = 0; s < 20; s++) {
            for (int i = 0; i < 5 + s; i++) {
                String id = String.format("spk%02d_%03d", s, i);
                out.add(utt(id, "spk" + s, i % 3 == 0 ? null : "TEXT " + i, 16_000 + r.nextInt(48_000)));
            }
        }
        return out;
    }

    private static List<Utterance> reversed(List<Utterance> in) {
        List<Utterance> copy = new ArrayList<>(in);
        Collections.reverse(copy);
        return copy;
    }

    private static double seconds(List<Utterance> us) {
        return us.stream().mapToDouble(Utterance::seconds).sum();
    }

    private static Set<String> speakers(List<Utterance> us) {
        return us.stream().map(Utterance::speaker).collect(Collectors.toSet());
    }

    @Test
    void bySpeakerIsDisjointCompleteAndNearTheRequestedDurations() {
        List<Utterance> all = corpus();
        Splits s = DatasetSplitter.bySpeaker(all, 0.1, 0.2, 42);

        assertThat(s.size()).isEqualTo(all.size());
        assertThat(Stream.of(s.train(), s.valid(), s.test()).flatMap(List::stream).map(Utterance::id))
                .doesNotHaveDuplicates();
        Set<String> train = speakers(s.train());
        assertThat(train).doesNotContainAnyElementsOf(speakers(s.valid()));
        assertThat(train).doesNotContainAnyElementsOf(speakers(s.test()));
        assertThat(speakers(s.valid())).doesNotContainAnyElementsOf(speakers(s.test()));
        double total = seconds(all);
        // one speaker holds at most ~12 % of the audio, so the greedy fill lands within that of the target
        assertThat(seconds(s.valid()) / total).isBetween(0.03, 0.22);
        assertThat(seconds(s.test()) / total).isBetween(0.1, 0.32);
    }

    @Test
    void sameSeedSameSplitRegardlessOfInputOrder() {
        List<Utterance> all = corpus();
        assertThat(DatasetSplitter.bySpeaker(all, 0.1, 0.1, 5)).isEqualTo(DatasetSplitter.bySpeaker(reversed(all), 0.1, 0.1, 5));
        assertThat(DatasetSplitter.random(all, 0.1, 0.1, 5)).isEqualTo(DatasetSplitter.random(reversed(all), 0.1, 0.1, 5));
        assertThat(DatasetSplitter.labeledSubset(all, 60, 5))
                .isEqualTo(DatasetSplitter.labeledSubset(reversed(all), 60, 5));
        assertThat(DatasetSplitter.random(all, 0.1, 0.1, 5)).isNotEqualTo(DatasetSplitter.random(all, 0.1, 0.1, 6));
    }

    @Test
    void smallCorporaStillGetValidAndTestSpeakers() {
        List<Utterance> three = List.of(utt("a_1", "a", "X", 160_000), utt("b_1", "b", "X", 16_000),
                utt("c_1", "c", "X", 16_000));
        Splits s = DatasetSplitter.bySpeaker(three, 0.1, 0.1, 1);
        assertThat(s.train()).isNotEmpty();
        assertThat(s.valid()).isNotEmpty();
        assertThat(s.test()).isNotEmpty();
    }

    @Test
    void bySpeakerNeedsSpeakers() {
        List<Utterance> anon = List.of(utt("x", null, null, 16_000), utt("y", "s", null, 16_000));
        assertThatThrownBy(() -> DatasetSplitter.bySpeaker(anon, 0.1, 0.1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 utterance(s) have no speaker");
    }

    @Test
    void randomSplitSizes() {
        List<Utterance> all = corpus(); // 290 utterances
        Splits s = DatasetSplitter.random(all, 0.1, 0.2, 3);
        assertThat(s.valid()).hasSize(29);
        assertThat(s.test()).hasSize(58);
        assertThat(s.train()).hasSize(203);
        assertThat(s.train()).isSortedAccordingTo(java.util.Comparator.comparing(Utterance::id));
    }

    @Test
    void predefinedSplitColumn() {
        List<Utterance> all = List.of(utt("a", "s", null, 1).withSplit("train"), utt("b", "s", null, 1).withSplit("dev"),
                utt("c", "s", null, 1).withSplit("TEST"), utt("d", "s", null, 1).withSplit("valid"));
        Splits s = DatasetSplitter.predefined(all);
        assertThat(s.train()).extracting(Utterance::id).containsExactly("a");
        assertThat(s.valid()).extracting(Utterance::id).containsExactly("b", "d");
        assertThat(s.test()).extracting(Utterance::id).containsExactly("c");

        assertThatThrownBy(() -> DatasetSplitter.predefined(List.of(utt("a", "s", null, 1))))
                .hasMessageContaining("no predefined split");
        assertThatThrownBy(() -> DatasetSplitter.predefined(List.of(utt("a", "s", null, 1).withSplit("holdout"))))
                .hasMessageContaining("holdout");
    }

    @Test
    void fractionsAreValidated() {
        assertThatThrownBy(() -> DatasetSplitter.random(corpus(), 0.5, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave something to train on");
        assertThatThrownBy(() -> DatasetSplitter.random(corpus(), -0.1, 0.1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labeledSubsetTakesAboutTheRequestedLabeledAudio() {
        List<Utterance> all = corpus();
        List<Utterance> tenMinutes = DatasetSplitter.labeledSubset(all, 120, 11);

        assertThat(tenMinutes).allSatisfy(u -> assertThat(u.labeled()).isTrue());
        assertThat(seconds(tenMinutes)).isBetween(118.0, 122.0);
        assertThat(new HashSet<>(tenMinutes)).hasSameSizeAs(tenMinutes);
        assertThat(DatasetSplitter.labeledSubset(all, 120, 12)).isNotEqualTo(tenMinutes);

        double allLabeled = seconds(all.stream().filter(Utterance::labeled).toList());
        assertThat(seconds(DatasetSplitter.labeledSubset(all, 1e6, 1))).isEqualTo(allLabeled);
    }
}
