package org.speechwb.engine.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Train/valid/test partitions. Every method sorts its input by id before drawing random numbers,
 * so the same seed gives the same split no matter in which order the file system listed the files
 * or the caller collected them. Randomness comes from {@link Random}, whose sequence is specified
 * by the Java platform, so splits are also stable across JVMs.
 */
public final class DatasetSplitter {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetSplitter.class);
    private static final Comparator<Utterance> BY_ID = Comparator.comparing(Utterance::id);

    private DatasetSplitter() {
    }

    /** How to split; the CLI's {@code --split} values. */
    public enum Strategy { PREDEFINED, SPEAKER, RANDOM }

    /** Dispatches to {@link #predefined}, {@link #bySpeaker} or {@link #random}. */
    public static Splits split(List<Utterance> utterances, Strategy strategy, double validFraction,
                               double testFraction, long seed) {
        return switch (strategy) {
            case PREDEFINED -> predefined(utterances);
            case SPEAKER -> bySpeaker(utterances, validFraction, testFraction, seed);
            case RANDOM -> random(utterances, validFraction, testFraction, seed);
        };
    }

    /**
     * Uses the split named in the corpus metadata. Accepts train/training, valid/validation/val/dev
     * and test/eval (any case).
     *
     * @throws IllegalArgumentException if some utterance has no split or an unknown one
     */
    public static Splits predefined(List<Utterance> utterances) {
        List<Utterance> train = new ArrayList<>();
        List<Utterance> valid = new ArrayList<>();
        List<Utterance> test = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (Utterance u : sorted(utterances)) {
            if (u.split() == null) {
                missing.add(u.id());
                continue;
            }
            switch (u.split().toLowerCase(Locale.ROOT)) {
                case "train", "training" -> train.add(u);
                case "valid", "validation", "val", "dev" -> valid.add(u);
                case "test", "eval" -> test.add(u);
                default -> unknown.add(u.split());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " utterance(s) have no predefined split (first: "
                    + missing.get(0) + "); use a by-speaker or random split instead");
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown predefined split name(s) " + unknown
                    + "; expected train, valid (or dev) and test");
        }
        return new Splits(train, valid, test);
    }

    /**
     * Puts whole speakers into one split, so a model is never validated on a voice it trained on.
     * Speakers are visited in a seeded random order and each goes to the split furthest below its
     * requested share of the total duration; fractions are therefore met approximately, as well
     * as speaker sizes allow. If a split with a non-zero fraction ended up empty while train has
     * two or more speakers, train's shortest speaker is moved there, so that valid/test are never
     * silently empty on small corpora.
     *
     * @throws IllegalArgumentException if an utterance has no speaker, or fractions are invalid
     */
    public static Splits bySpeaker(List<Utterance> utterances, double validFraction, double testFraction, long seed) {
        checkFractions(validFraction, testFraction);
        Map<String, Double> seconds = new TreeMap<>();
        int unknown = 0;
        for (Utterance u : utterances) {
            if (u.speaker() == null) {
                unknown++;
            } else {
                seconds.merge(u.speaker(), u.seconds(), Double::sum);
            }
        }
        if (unknown > 0) {
            throw new IllegalArgumentException(unknown + " utterance(s) have no speaker label, so a speaker-disjoint"
                    + " split is impossible; use a random split");
        }
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        double[] target = {(1 - validFraction - testFraction) * total, validFraction * total, testFraction * total};
        double[] filled = new double[3];
        List<String> speakers = new ArrayList<>(seconds.keySet());
        Collections.shuffle(speakers, new Random(seed));
        List<List<String>> assigned = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String s : speakers) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (target[k] - filled[k] > target[best] - filled[best]) {
                    best = k;
                }
            }
            assigned.get(best).add(s);
            filled[best] += seconds.get(s);
        }
        double[] fractions = {0, validFraction, testFraction};
        for (int k = 1; k < 3; k++) {
            List<String> train = assigned.get(0);
            if (fractions[k] > 0 && assigned.get(k).isEmpty() && train.size() >= 2) {
                String shortest = Collections.min(train,
                        Comparator.comparing((String s) -> seconds.get(s)).thenComparing(Comparator.naturalOrder()));
                train.remove(shortest);
                assigned.get(k).add(shortest);
            }
        }
        Map<String, Integer> splitOf = new HashMap<>();
        for (int k = 0; k < 3; k++) {
            for (String s : assigned.get(k)) {
                splitOf.put(s, k);
            }
        }
        List<List<Utterance>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Utterance u : sorted(utterances)) {
            out.get(splitOf.get(u.speaker())).add(u);
        }
        return new Splits(out.get(0), out.get(1), out.get(2));
    }

    /**
     * Seeded random split by utterance: {@code round(n·fraction)} utterances each for test and
     * valid, the rest for train. Speakers may appear in several splits.
     */
    public static Splits random(List<Utterance> utterances, double validFraction, double testFraction, long seed) {
        checkFractions(validFraction, testFraction);
        List<Utterance> shuffled = sorted(utterances);
        Collections.shuffle(shuffled, new Random(seed));
        int n = shuffled.size();
        int nTest = (int) Math.round(n * testFraction);
        int nValid = Math.min(n - nTest, (int) Math.round(n * validFraction));
        List<Utterance> test = new ArrayList<>(shuffled.subList(0, nTest));
        List<Utterance> valid = new ArrayList<>(shuffled.subList(nTest, nTest + nValid));
        List<Utterance> train = new ArrayList<>(shuffled.subList(nTest + nValid, n));
        test.sort(BY_ID);
        valid.sort(BY_ID);
        train.sort(BY_ID);
        return new Splits(train, valid, test);
    }

    /**
     * Picks about {@code seconds} of labeled audio (the "10 minutes labeled" setting of wav2vec 2.0
     * experiments): labeled utterances in seeded random order are taken while they fit under the
     * target, then the one left-over utterance that brings the total closest to the target is added
     * if it improves the match. If less labeled audio exists than asked for, all of it is returned
     * (and a warning logged). The result is sorted by id.
     */
    public static List<Utterance> labeledSubset(List<Utterance> utterances, double seconds, long seed) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("labeled subset size must be a positive number of seconds, got "
                    + seconds);
        }
        List<Utterance> pool = new ArrayList<>();
        for (Utterance u : sorted(utterances)) {
            if (u.labeled()) {
                pool.add(u);
            }
        }
        Collections.shuffle(pool, new Random(seed));
        List<Utterance> picked = new ArrayList<>();
        List<Utterance> left = new ArrayList<>();
        double total = 0;
        for (Utterance u : pool) {
            if (total + u.seconds() <= seconds) {
                picked.add(u);
                total += u.seconds();
            } else {
                left.add(u);
            }
        }
        double gap = seconds - total;
        Utterance bestExtra = null;
        for (Utterance u : left) {
            double err = Math.abs(gap - u.seconds());
            if (err < gap && (bestExtra == null || err < Math.abs(gap - bestExtra.seconds()))) {
                bestExtra = u;
            }
        }
        if (bestExtra != null) {
            picked.add(bestExtra);
            total += bestExtra.seconds();
        }
        if (left.isEmpty() && total < seconds) {
            LOG.warn("Asked for {} s of labeled audio but only {} s exist; using all of it",
                    String.format(Locale.ROOT, "%.1f", seconds), String.format(Locale.ROOT, "%.1f", total));
        }
        picked.sort(BY_ID);
        return picked;
    }

    private static List<Utterance> sorted(List<Utterance> utterances) {
        List<Utterance> copy = new ArrayList<>(utterances);
        copy.sort(BY_ID.thenComparing(u -> u.audio().toString()));
        return copy;
    }

    private static void checkFractions(double validFraction, double testFraction) {
        if (!(validFraction >= 0 && validFraction < 1) || !(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("valid and test fractions must be in [0, 1), got valid="
                    + validFraction + ", test=" + testFraction);
        }
        if (validFraction + testFraction >= 1) {
            throw new IllegalArgumentException("valid + test fractions must leave something to train on, got "
                    + validFraction + " + " + testFraction);
        }
    }
}
