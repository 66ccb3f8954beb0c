package org.speechwb.app.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.DatasetSplitter;
import org.speechwb.engine.data.Splits;
import org.speechwb.engine.data.Utterance;

/**
 * How a dataset is split and which part a run trains on. Its {@link #spec()} is what a run's
 * provenance records as its split, so the workbench can rebuild the same training set when a
 * run is resumed. A predefined split is recorded as the bare split name, exactly as the CLI does,
 * so {@code speechwb resume} accepts those runs too.
 */
public record SplitChoice(DatasetSplitter.Strategy strategy, double validFraction, double testFraction, long seed,
                          String trainOn) {

    public static final SplitChoice PREDEFINED_TRAIN =
            new SplitChoice(DatasetSplitter.Strategy.PREDEFINED, 0.1, 0.1, 1, "train");

    public SplitChoice {
        trainOn = trainOn == null ? "train" : trainOn.toLowerCase(Locale.ROOT);
        if (!List.of("train", "valid", "test", "all").contains(trainOn)) {
            throw new IllegalArgumentException("train on train, valid, test or all, not '" + trainOn + "'");
        }
    }

    /** The partition of {@code dataset}; throws IllegalArgumentException with the splitter's reason. */
    public Splits apply(Dataset dataset) {
        List<Utterance> all = dataset.utterances();
        if (strategy == DatasetSplitter.Strategy.PREDEFINED && all.stream().noneMatch(u -> u.split() != null)) {
            // a corpus without split labels trains on everything, as TrainingData.select does
            return new Splits(all, List.of(), List.of());
        }
        return DatasetSplitter.split(all, strategy, validFraction, testFraction, seed);
    }

    /** The utterances a run trains on. */
    public List<Utterance> trainingSet(Splits splits) {
        if (trainOn.equals("all")) {
            List<Utterance> out = new ArrayList<>(splits.train());
            out.addAll(splits.valid());
            out.addAll(splits.test());
            out.sort(java.util.Comparator.comparing(Utterance::id));
            return out;
        }
        return splits.get(trainOn);
    }

    /** E.g. "train", or "train|speaker|valid=0.1|test=0.1|seed=1". */
    public String spec() {
        if (strategy == DatasetSplitter.Strategy.PREDEFINED) {
            return trainOn;
        }
        return String.format(Locale.ROOT, "%s|%s|valid=%s|test=%s|seed=%d", trainOn,
                strategy.name().toLowerCase(Locale.ROOT), validFraction, testFraction, seed);
    }

    /** Inverse of {@link #spec()}; a bare split name is a predefined split. */
    public static SplitChoice parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return PREDEFINED_TRAIN;
        }
        String[] p = spec.split("\\|");
        if (p.length == 1) {
            return new SplitChoice(DatasetSplitter.Strategy.PREDEFINED, 0.1, 0.1, 1, p[0]);
        }
        double valid = 0.1;
        double test = 0.1;
        long seed = 1;
        for (int i = 2; i < p.length; i++) {
            String[] kv = p[i].split("=", 2);
            switch (kv[0]) {
                case "valid" -> valid = Double.parseDouble(kv[1]);
                case "test" -> test = Double.parseDouble(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown split setting '" + p[i] + "' in " + spec);
            }
        }
        return new SplitChoice(DatasetSplitter.Strategy.valueOf(p[1].toUpperCase(Locale.ROOT)), valid, test, seed, p[0]);
    }

    public String describe() {
        return switch (strategy) {
            case PREDEFINED -> "predefined splits, training on " + trainOn;
            case SPEAKER -> String.format(Locale.ROOT, "by speaker (valid %.0f%%, test %.0f%%, seed %d), training on %s",
                    100 * validFraction, 100 * testFraction, seed, trainOn);
            case RANDOM -> String.format(Locale.ROOT, "random (valid %.0f%%, test %.0f%%, seed %d), training on %s",
                    100 * validFraction, 100 * testFraction, seed, trainOn);
        };
    }
}
