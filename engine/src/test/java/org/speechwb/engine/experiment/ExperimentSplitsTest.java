package org.speechwb.engine.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetFormat;
import org.speechwb.engine.data.Utterance;

/** The experiment's protocol: held-out speakers never reach training, validation keeps transcribed audio only. */
class ExperimentSplitsTest {

    private static Utterance utt(String id, String speaker, String text, String split) {
        return new Utterance(id, Path.of("/virtual", id + ".wav"), speaker, text, 16000, 48000, split);
    }

    /** 40 speakers, 5 transcribed and 1 untranscribed utterance each. */
    private static Dataset corpus() {
        List<Utterance> us = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            for (int i = 0; i < 6; i++) {
                us.add(utt(String.format("s%02d-%d", s, i), "spk" + s, i < 5 ? "WORD " + i : null, null));
            }
        }
        return new Dataset(Path.of("/virtual"), DatasetFormat.KALDI, us, List.of(), List.of());
    }

    private static Set<String> speakers(List<Utterance> us) {
        return us.stream().map(Utterance::speaker).collect(Collectors.toSet());
    }

    @Test
    void aCorpusWithoutSplitsIsSplitBySpeakerAndHeldOutSpeakersAreKeptOutOfTraining() {
        ExperimentSplits s = ExperimentSplits.of(corpus(), 0.1, 0.1);
        assertThat(speakers(s.train())).doesNotContainAnyElementsOf(speakers(s.test()))
                .doesNotContainAnyElementsOf(speakers(s.valid()));
        assertThat(speakers(s.valid())).doesNotContainAnyElementsOf(speakers(s.test()));
        assertThat(speakers(s.test())).hasSize(4);
        assertThat(speakers(s.valid())).hasSize(4);
        // training keeps untranscribed audio (pre-training data); held-out sets only transcribed utterances
        assertThat(s.train()).anyMatch(u -> !u.labeled());
        assertThat(s.valid()).allMatch(Utterance::labeled).hasSize(20);
        assertThat(s.test()).allMatch(Utterance::labeled).hasSize(20);
        assertThat(s.untranscribedHeldOut()).isEqualTo(8);
        assertThat(s.description()).contains("8 untranscribed held-out");
    }

    @Test
    void theSplitDoesNotDependOnListingOrder() {
        Dataset d = corpus();
        List<Utterance> reversed = new ArrayList<>(d.utterances());
        java.util.Collections.reverse(reversed);
        Dataset r = new Dataset(d.root(), d.format(), reversed, List.of(), List.of());
        assertThat(speakers(ExperimentSplits.of(r, 0.1, 0.1).test()))
                .isEqualTo(speakers(ExperimentSplits.of(d, 0.1, 0.1).test()));
    }

    @Test
    void predefinedSplitsAreKeptAndAHeldOutSetWithoutTranscriptsIsAnError() {
        List<Utterance> us = List.of(utt("a", "x", "A", "train"), utt("b", "y", "B", "valid"), utt("c", "z", "C", "test"),
                utt("d", "z", null, "test"));
        ExperimentSplits s = ExperimentSplits.of(new Dataset(Path.of("/v"), DatasetFormat.WORKBENCH_CORPUS, us, List.of(),
                List.of()), 0.1, 0.1);
        assertThat(s.test()).extracting(Utterance::id).containsExactly("c");
        List<Utterance> noText = List.of(utt("a", "x", "A", "train"), utt("b", "y", null, "valid"),
                utt("c", "z", "C", "test"));
        assertThatThrownBy(() -> ExperimentSplits.of(new Dataset(Path.of("/v"), DatasetFormat.WORKBENCH_CORPUS, noText,
                List.of(), List.of()), 0.1, 0.1)).hasMessageContaining("transcribed validation");
    }
}
