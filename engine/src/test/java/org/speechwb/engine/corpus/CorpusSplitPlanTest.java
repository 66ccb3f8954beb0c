package org.speechwb.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Split invariants on the real prompt file and voice inventory, without running any TTS. */
class CorpusSplitPlanTest {

    private static List<Prompt> prompts;
    private static SentenceExclusion realSpeech;

    @BeforeAll
    static void load() throws Exception {
        prompts = PromptFile.read(org.speechwb.engine.testutil.RepoFiles.root().resolve("datasets/text/harvard-sentences.txt"));
        realSpeech = SentenceExclusion.read(org.speechwb.engine.testutil.RepoFiles.root().resolve("datasets/real-speech/transcripts.tsv"));
    }

    private static CorpusSplitPlan plan(long seed) {
        return CorpusSplitPlan.create(prompts, realSpeech, DefaultVoices.all(), SplitOptions.DEFAULT, seed);
    }

    private static Set<String> transcripts(List<Prompt> ps) {
        Set<String> out = new HashSet<>();
        ps.forEach(p -> out.add(p.transcript()));
        return out;
    }

    @Test
    void splitsAreSpeakerDisjointAndValidUsesTrainVoices() {
        CorpusSplitPlan plan = plan(1);
        assertThat(plan.voices(CorpusSplit.TEST)).doesNotContainAnyElementsOf(plan.voices(CorpusSplit.TRAIN));
        assertThat(plan.voices(CorpusSplit.VALID)).isEqualTo(plan.voices(CorpusSplit.TRAIN));
        assertThat(plan.voices(CorpusSplit.TRAIN).size() + plan.voices(CorpusSplit.TEST).size())
                .isEqualTo(DefaultVoices.all().size());
        for (CorpusSplit split : CorpusSplit.values()) {
            Set<TtsVoice> allowed = new HashSet<>(plan.voices(split));
            assertThat(plan.candidates(split)).allSatisfy(u -> assertThat(allowed).contains(u.voice()));
        }
    }

    @Test
    void splitsAreSentenceDisjointAndCoverEveryUsableSentence() {
        CorpusSplitPlan plan = plan(2);
        Set<String> train = transcripts(plan.sentences(CorpusSplit.TRAIN));
        Set<String> valid = transcripts(plan.sentences(CorpusSplit.VALID));
        Set<String> test = transcripts(plan.sentences(CorpusSplit.TEST));
        assertThat(train).doesNotContainAnyElementsOf(valid).doesNotContainAnyElementsOf(test);
        assertThat(valid).doesNotContainAnyElementsOf(test);
        assertThat(train.size() + valid.size() + test.size() + plan.excluded().size()).isEqualTo(prompts.size());
        assertThat(valid.size()).isEqualTo(Math.round((prompts.size() - 10) * 0.10));
        assertThat(test.size()).isEqualTo(Math.round((prompts.size() - 10) * 0.15));
        for (CorpusSplit split : CorpusSplit.values()) {
            Set<String> own = transcripts(plan.sentences(split));
            assertThat(plan.candidates(split)).allSatisfy(u -> assertThat(own).contains(u.prompt().transcript()));
        }
    }

    @Test
    void realSpeechSentencesAreInNoSplit() {
        CorpusSplitPlan plan = plan(3);
        assertThat(plan.excluded()).hasSize(10);
        assertThat(plan.excluded()).extracting(e -> e.prompt().line())
                .containsExactlyInAnyOrder(35, 40, 162, 163, 172, 176, 260, 264, 608, 631);
        for (CorpusSplit split : CorpusSplit.values()) {
            assertThat(plan.candidates(split))
                    .allSatisfy(u -> assertThat(realSpeech.match(u.prompt().transcript())).isEmpty());
        }
    }

    @Test
    void heldOutVoicesCoverBothEnginesAndGendersAndLeaveEveryGroupInTrain() {
        for (long seed = 0; seed < 25; seed++) {
            CorpusSplitPlan plan = plan(seed);
            List<TtsVoice> test = plan.voices(CorpusSplit.TEST);
            List<TtsVoice> train = plan.voices(CorpusSplit.TRAIN);
            assertThat(test).hasSize(4);
            assertThat(test).extracting(TtsVoice::engine).contains(TtsEngine.ESPEAK_NG, TtsEngine.FLITE);
            assertThat(test).extracting(TtsVoice::gender).contains(VoiceGender.MALE, VoiceGender.FEMALE);
            assertThat(train).extracting(TtsVoice::speakerId).contains("flite-slt"); // the only female flite voice
            for (TtsEngine e : TtsEngine.values()) {
                for (VoiceGender g : VoiceGender.values()) {
                    assertThat(train).anyMatch(v -> v.engine() == e && v.gender() == g);
                }
            }
        }
    }

    @Test
    void isDeterministicForASeedAndDiffersAcrossSeeds() {
        CorpusSplitPlan a = plan(42);
        CorpusSplitPlan b = plan(42);
        CorpusSplitPlan c = plan(43);
        for (CorpusSplit split : CorpusSplit.values()) {
            assertThat(a.sentences(split)).isEqualTo(b.sentences(split));
            assertThat(a.voices(split)).isEqualTo(b.voices(split));
            assertThat(a.candidates(split)).isEqualTo(b.candidates(split));
        }
        assertThat(a.sentences(CorpusSplit.TRAIN)).isNotEqualTo(c.sentences(CorpusSplit.TRAIN));
    }

    @Test
    void candidatesUseEveryVoiceSentencePairOnceAndTakeTurns() {
        CorpusSplitPlan plan = plan(5);
        for (CorpusSplit split : CorpusSplit.values()) {
            List<PlannedUtterance> all = plan.candidates(split);
            int sentences = plan.sentences(split).size();
            int voices = plan.voices(split).size();
            assertThat(all).hasSize(sentences * voices);
            assertThat(new HashSet<>(all.stream().map(PlannedUtterance::id).toList())).hasSize(all.size());
            // the first round speaks every sentence once, the voices taking turns
            List<PlannedUtterance> firstRound = all.subList(0, sentences);
            assertThat(new HashSet<>(firstRound.stream().map(u -> u.prompt().line()).toList())).hasSize(sentences);
            Map<TtsVoice, Integer> counts = new HashMap<>();
            firstRound.subList(0, Math.min(sentences, 3 * voices + 1)).forEach(u -> counts.merge(u.voice(), 1, Integer::sum));
            assertThat(Collections.max(counts.values()) - Collections.min(counts.values())).isLessThanOrEqualTo(1);
            assertThat(counts).hasSize(voices);
        }
    }

    @Test
    void namedTestVoicesAreHeldOut() {
        SplitOptions options = new SplitOptions(0.1, 0.15, List.of("flite-awb", "espeak-en-gb+f5:F"), 0);
        CorpusSplitPlan plan = CorpusSplitPlan.create(prompts, realSpeech, DefaultVoices.all(), options, 7);
        assertThat(plan.voices(CorpusSplit.TEST)).extracting(TtsVoice::speakerId)
                .containsExactly("flite-awb", "espeak-en-gb+f5");
        assertThat(plan.voices(CorpusSplit.TRAIN)).hasSize(DefaultVoices.all().size() - 2);
    }

    @Test
    void rejectsImpossibleRequests() {
        List<TtsVoice> voices = DefaultVoices.all();
        assertThatThrownBy(() -> CorpusSplitPlan.create(prompts, realSpeech, voices,
                new SplitOptions(0.1, 0.15, List.of("flite-kal"), 0), 1)).hasMessageContaining("flite-kal");
        assertThatThrownBy(() -> CorpusSplitPlan.create(prompts, realSpeech, voices,
                new SplitOptions(0.1, 0.15, List.of(), voices.size()), 1)).hasMessageContaining("cannot hold out");
        List<TtsVoice> onlyMaleEspeak = List.of(TtsVoice.parse("espeak-en-us"), TtsVoice.parse("espeak-en-gb+m3"),
                TtsVoice.parse("flite-slt"), TtsVoice.parse("flite-rms"));
        assertThatThrownBy(() -> CorpusSplitPlan.create(prompts, realSpeech, onlyMaleEspeak,
                new SplitOptions(0.1, 0.15, List.of(), 2), 1)).hasMessageContaining("without emptying");
        assertThatThrownBy(() -> CorpusSplitPlan.create(prompts, realSpeech, voices,
                new SplitOptions(0.1, 0.15, List.of(), 1), 1)).hasMessageContaining("can be held out for test");
        assertThatThrownBy(() -> CorpusSplitPlan.create(prompts.subList(0, 2), SentenceExclusion.none(), voices,
                SplitOptions.DEFAULT, 1)).hasMessageContaining("too few sentences");
    }

    @Test
    void smallInventoryStillGetsBothEnginesAndGendersInTest() {
        List<TtsVoice> voices = new ArrayList<>(List.of(TtsVoice.parse("espeak-en-us"), TtsVoice.parse("espeak-en-us+f3"),
                TtsVoice.parse("espeak-en-gb+f2"), TtsVoice.parse("flite-slt"), TtsVoice.parse("flite-rms"),
                TtsVoice.parse("flite-awb")));
        List<TtsVoice> test = CorpusSplitPlan.chooseTestVoices(voices, 2, 9);
        assertThat(test).extracting(TtsVoice::engine).containsExactlyInAnyOrder(TtsEngine.ESPEAK_NG, TtsEngine.FLITE);
        assertThat(test).extracting(TtsVoice::gender).containsExactlyInAnyOrder(VoiceGender.MALE, VoiceGender.FEMALE);
    }

    @Test
    void promptFileSkipsCommentsBlanksAndRepeats() {
        List<Prompt> ps = PromptFile.parse(List.of("# header", "The cat sat.", "", "the  cat sat", "  It's 3 o'clock.  ", "..."));
        assertThat(ps).extracting(Prompt::line).containsExactly(2, 5);
        assertThat(ps.get(1).text()).isEqualTo("It's 3 o'clock.");
        assertThat(ps.get(1).transcript()).isEqualTo("IT'S THREE O'CLOCK");
    }
}
