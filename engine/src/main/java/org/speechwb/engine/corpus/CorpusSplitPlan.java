package org.speechwb.engine.corpus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who says what in which split, decided before any audio exists.
 *
 * <p>The splits are <b>speaker-disjoint</b> and <b>sentence-disjoint</b>: test voices never occur
 * in train or valid, and the three sentence sets are disjoint, so a test score measures
 * generalisation to new voices saying new sentences. Valid uses the train voices with its own
 * sentences (it tracks over-fitting to sentences, not to voices). Sentences matching the
 * exclusion list (the real-speech transcripts) are in no split at all.
 *
 * <p>Each split has an ordered list of candidate utterances: the split's sentences in a seeded
 * order, round after round, with the split's voices assigned round-robin and shifted by one each
 * round, so every (voice, sentence) pair occurs exactly once and every voice gets its share. The builder synthesises a prefix until the target duration is reached; because the
 * order does not depend on the target, a bigger corpus with the same seed extends a smaller one.
 */
public final class CorpusSplitPlan {

    /** A prompt left out because it matched the exclusion list. */
    public record Excluded(Prompt prompt, String matched) {
    }

    private final Map<CorpusSplit, List<Prompt>> sentences;
    private final Map<CorpusSplit, List<TtsVoice>> voices;
    private final List<Excluded> excluded;
    private final long seed;

    private CorpusSplitPlan(Map<CorpusSplit, List<Prompt>> sentences, Map<CorpusSplit, List<TtsVoice>> voices,
                            List<Excluded> excluded, long seed) {
        this.sentences = sentences;
        this.voices = voices;
        this.excluded = excluded;
        this.seed = seed;
    }

    /**
     * Plans the splits.
     *
     * @throws IllegalArgumentException if the voices or sentences cannot satisfy the options (too
     *                                  few of them, unknown or duplicate test voices, or no way
     *                                  to hold out voices of both engines and both genders)
     */
    public static CorpusSplitPlan create(List<Prompt> prompts, SentenceExclusion exclusion, List<TtsVoice> allVoices,
                                         SplitOptions options, long seed) {
        List<Excluded> excluded = new ArrayList<>();
        List<Prompt> usable = new ArrayList<>();
        for (Prompt p : prompts) {
            Optional<String> hit = exclusion.match(p.transcript());
            if (hit.isPresent()) {
                excluded.add(new Excluded(p, hit.get()));
            } else {
                usable.add(p);
            }
        }
        Map<CorpusSplit, List<Prompt>> sentences = splitSentences(usable, options, seed);
        List<TtsVoice> testVoices = options.testVoices().isEmpty()
                ? chooseTestVoices(allVoices, options.testVoiceCount(), seed)
                : namedTestVoices(allVoices, options.testVoices());
        List<TtsVoice> trainVoices = allVoices.stream().filter(v -> !testVoices.contains(v)).toList();
        if (trainVoices.isEmpty()) {
            throw new IllegalArgumentException("every voice is held out for test; train needs at least one");
        }
        Map<CorpusSplit, List<TtsVoice>> voices = new EnumMap<>(CorpusSplit.class);
        voices.put(CorpusSplit.TRAIN, trainVoices);
        voices.put(CorpusSplit.VALID, trainVoices);
        voices.put(CorpusSplit.TEST, testVoices);
        return new CorpusSplitPlan(sentences, voices, List.copyOf(excluded), seed);
    }

    /** The sentences reserved for {@code split}, in the order they are used. */
    public List<Prompt> sentences(CorpusSplit split) {
        return sentences.get(split);
    }

    /** The voices that speak in {@code split}. */
    public List<TtsVoice> voices(CorpusSplit split) {
        return voices.get(split);
    }

    public List<Excluded> excluded() {
        return excluded;
    }

    /**
     * Every (voice, sentence) pair of {@code split}, each once, in the order the builder takes
     * them: round {@code r} gives sentence {@code i} to voice {@code (i + r) mod V}, so a prefix
     * covers as many distinct sentences as it can and within a round the voices take turns.
     */
    public List<PlannedUtterance> candidates(CorpusSplit split) {
        List<Prompt> s = sentences(split);
        List<TtsVoice> v = Seeds.shuffled(voices(split), Seeds.stream(seed, "voice-order-" + split.id()));
        List<PlannedUtterance> out = new ArrayList<>(s.size() * v.size());
        for (int round = 0; round < v.size(); round++) {
            for (int i = 0; i < s.size(); i++) {
                TtsVoice voice = v.get((i + round) % v.size());
                Prompt prompt = s.get(i);
                out.add(new PlannedUtterance(PlannedUtterance.idFor(voice, prompt), split, voice, prompt));
            }
        }
        return out;
    }

    private static Map<CorpusSplit, List<Prompt>> splitSentences(List<Prompt> usable, SplitOptions options, long seed) {
        List<Prompt> order = Seeds.shuffled(usable, Seeds.stream(seed, "sentences"));
        int n = order.size();
        int nValid = options.validSentenceFraction() > 0 ? Math.max(1, (int) Math.round(n * options.validSentenceFraction())) : 0;
        int nTest = Math.max(1, (int) Math.round(n * options.testSentenceFraction()));
        if (n - nValid - nTest < 1) {
            throw new IllegalArgumentException("too few sentences (" + n + " after exclusions) for train, valid and test");
        }
        Map<CorpusSplit, List<Prompt>> out = new EnumMap<>(CorpusSplit.class);
        out.put(CorpusSplit.TEST, List.copyOf(order.subList(0, nTest)));
        out.put(CorpusSplit.VALID, List.copyOf(order.subList(nTest, nTest + nValid)));
        out.put(CorpusSplit.TRAIN, List.copyOf(order.subList(nTest + nValid, n)));
        return out;
    }

    private static List<TtsVoice> namedTestVoices(List<TtsVoice> allVoices, List<String> ids) {
        Map<String, TtsVoice> byId = new HashMap<>();
        for (TtsVoice v : allVoices) {
            if (byId.put(v.speakerId(), v) != null) {
                throw new IllegalArgumentException("voice " + v.speakerId() + " is listed twice");
            }
        }
        List<TtsVoice> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            String speakerId = id.contains(":") ? id.substring(0, id.lastIndexOf(':')) : id;
            TtsVoice v = byId.get(speakerId.trim());
            if (v == null) {
                throw new IllegalArgumentException("test voice " + id + " is not among the corpus voices " + byId.keySet());
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /**
     * Holds out {@code count} voices so that test has both engines and both genders wherever the
     * inventory allows it, without taking the last voice of any (engine, gender) group away from
     * train. Greedy: each pick covers the most missing engines/genders, then comes from the group
     * with the most voices still in train (which spreads picks), then follows a seeded order.
     */
    static List<TtsVoice> chooseTestVoices(List<TtsVoice> allVoices, int count, long seed) {
        if (new HashSet<>(allVoices.stream().map(TtsVoice::speakerId).toList()).size() != allVoices.size()) {
            throw new IllegalArgumentException("the voice list names a speaker twice");
        }
        if (count >= allVoices.size()) {
            throw new IllegalArgumentException("cannot hold out " + count + " of " + allVoices.size() + " voices and keep any for train");
        }
        List<TtsVoice> order = Seeds.shuffled(allVoices, Seeds.stream(seed, "test-voices"));
        Map<String, Integer> inTrain = new HashMap<>();
        for (TtsVoice v : allVoices) {
            inTrain.merge(group(v), 1, Integer::sum);
        }
        Set<TtsEngine> engines = EnumSet.noneOf(TtsEngine.class);
        Set<VoiceGender> genders = EnumSet.noneOf(VoiceGender.class);
        allVoices.forEach(v -> {
            engines.add(v.engine());
            genders.add(v.gender());
        });
        List<TtsVoice> held = new ArrayList<>();
        while (held.size() < count) {
            TtsVoice best = null;
            Comparator<TtsVoice> rank = Comparator
                    .comparingInt((TtsVoice v) -> newCoverage(v, held))
                    .thenComparingInt(v -> inTrain.get(group(v)))
                    .thenComparingInt(v -> -order.indexOf(v));
            for (TtsVoice v : order) {
                if (!held.contains(v) && inTrain.get(group(v)) > 1 && (best == null || rank.compare(v, best) > 0)) {
                    best = v;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException("cannot hold out " + count + " voices without emptying a voice group in train");
            }
            held.add(best);
            inTrain.merge(group(best), -1, Integer::sum);
        }
        for (TtsEngine e : engines) {
            if (held.stream().noneMatch(v -> v.engine() == e)) {
                throw new IllegalArgumentException("no " + e.program() + " voice can be held out for test; add voices or raise the test voice count");
            }
        }
        for (VoiceGender g : genders) {
            if (held.stream().noneMatch(v -> v.gender() == g)) {
                throw new IllegalArgumentException("no " + g.name().toLowerCase(Locale.ROOT)
                        + " voice can be held out for test; add voices or raise the test voice count");
            }
        }
        return List.copyOf(held);
    }

    private static int newCoverage(TtsVoice v, List<TtsVoice> held) {
        int n = 0;
        if (held.stream().noneMatch(h -> h.engine() == v.engine())) {
            n++;
        }
        if (held.stream().noneMatch(h -> h.gender() == v.gender())) {
            n++;
        }
        return n;
    }

    private static String group(TtsVoice v) {
        return v.engine() + "/" + v.gender();
    }
}
