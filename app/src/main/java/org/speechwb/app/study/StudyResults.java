package org.speechwb.app.study;

import static org.speechwb.engine.experiment.LowResourceExperiment.GREEDY;
import static org.speechwb.engine.experiment.LowResourceExperiment.LM;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.experiment.Arm;
import org.speechwb.engine.experiment.Comparison;
import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.GridCandidates;
import org.speechwb.engine.experiment.LowResourceExperiment.Aggregate;
import org.speechwb.engine.experiment.LowResourceExperiment.ArmResult;
import org.speechwb.engine.experiment.LowResourceExperiment.Results;
import org.speechwb.engine.probe.LayerProbe;

/**
 * An experiment's {@code results.json} as the Study screen shows it: one table per test set,
 * the relative reductions the papers claim, the settings chosen on validation, the validation
 * curves of the first seed and the layer probes, and what must be read before them ({@code
 * warnings}: a pre-training that ended at chance level). Plain data, no JavaFX.
 */
public record StudyResults(Path folder, Results results, String summary, List<TestSetTable> testSets,
                           List<GridRow> grid, List<Curve> curves, List<String> probeModels, List<ProbeRow> probes,
                           List<String> warnings) {

    /** One arm on one test set; error rates as "mean [min–max]" in percent. */
    public record ArmRow(String arm, String title, String greedyWer, String greedyCer, String lmWer, String lmCer) {
    }

    /**
     * (baseline − model) / baseline of the means over the seeds both arms have scored, in percent;
     * positive is better; {@code seeds} names them, and says when they are fewer than an arm has
     * scored (a run in progress).
     */
    public record Reduction(String title, String greedyWer, String greedyCer, String lmWer, String lmCer, String seeds) {
    }

    public record TestSetTable(String name, String title, List<ArmRow> rows, List<Reduction> reductions) {
    }

    /**
     * One grid candidate with its validation figures (percent): the mean over the seeds it was judged
     * on, which {@code seeds} names.
     */
    public record GridRow(String arm, String setting, String seeds, String validWer, String validCer, boolean chosen) {
    }

    /** Validation WER and CER (percent) per update of one arm's model on the first seed. */
    public record Curve(String arm, String title, long seed, double[] updates, double[] wer, double[] cer) {
    }

    /** One representation's probe CER (percent) for each probed model. */
    public record ProbeRow(String layer, List<String> cer) {
    }

    /**
     * Whether the curves are best read as CER: when no arm gets below 95 % validation WER, WER
     * moves with inserted word boundaries and ranks nothing ({@code ModelSelection}'s rule).
     */
    public boolean curvesReadAsCer() {
        return !curves.isEmpty() && curves.stream().allMatch(c -> java.util.Arrays.stream(c.wer()).allMatch(w -> w >= 95));
    }

    /** Reads {@code folder/results.json}; the message of the exception names the file and what is wrong. */
    public static StudyResults read(Path folder) throws IOException {
        Path file = folder.resolve("results.json");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    Files.isDirectory(folder) ? "no results yet: the experiment has not finished an arm there"
                            : "no such folder");
        }
        Results r;
        try {
            ObjectMapper m = lenient();
            JsonNode tree = m.readTree(file.toFile());
            if (tree != null && tree.path("config").isObject() && !tree.path("config").has("pretrainSeed")) {
                // written before the option existed: every such run pre-trained with seed 1 (not Java's default 0)
                ((ObjectNode) tree.get("config")).put("pretrainSeed", 1L);
            }
            r = m.treeToValue(tree, Results.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not an experiment's results file: " + e.getOriginalMessage(), e);
        }
        if (r == null || r.testSets() == null) {
            throw new IOException(file + " holds no test results");
        }
        return of(folder, r);
    }

    /** Older or newer results files may lack or add fields: read what is there. */
    private static ObjectMapper lenient() {
        return ConfigIO.json().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public static StudyResults of(Path folder, Results r) {
        List<TestSetTable> sets = new ArrayList<>();
        r.testSets().forEach((set, arms) -> sets.add(table(set, arms)));
        List<GridRow> grid = new ArrayList<>();
        List<ArmResult> perSeed = r.perSeed() == null ? List.of() : r.perSeed();
        if (r.grid() != null) {
            r.grid().entrySet().stream().sorted(Comparator.comparing(e -> order(e.getKey()))).forEach(e -> {
                int chosen = r.chosenCandidate(e.getKey());
                // one row per setting: its validation figures are the mean over the seeds it was judged on
                for (GridCandidates.Candidate a : GridCandidates.of(e.getValue())) {
                    grid.add(new GridRow(title(e.getKey()), a.setting().isEmpty() ? "preset" : String.join(" ", a.setting()),
                            a.seedsText() + (a.seeds().size() > 1 ? " (mean)" : ""),
                            pct(a.validWer()), pct(a.validCer()), a.candidate() == chosen));
                }
            });
        }
        List<Curve> curves = new ArrayList<>();
        long seed = r.config() != null && !r.config().seeds().isEmpty() ? r.config().seeds().get(0)
                : perSeed.stream().mapToLong(ArmResult::seed).min().orElse(1);
        perSeed.stream().filter(p -> p.seed() == seed && !p.curve().isEmpty())
                .sorted(Comparator.comparing(p -> order(p.arm()))).forEach(p -> {
                    double[] x = p.curve().stream().mapToDouble(c -> c.update()).toArray();
                    double[] wer = p.curve().stream().mapToDouble(c -> 100 * c.wer()).toArray();
                    double[] cer = p.curve().stream().mapToDouble(c -> 100 * c.cer()).toArray();
                    curves.add(new Curve(p.arm(), title(p.arm()), seed, x, wer, cer));
                });
        List<String> models = new ArrayList<>();
        List<ProbeRow> probes = new ArrayList<>();
        List<LayerProbe.Result> pr = r.probes() == null ? List.of() : r.probes();
        if (!pr.isEmpty()) {
            pr.forEach(p -> models.add(p.model()));
            List<LayerProbe.LayerScore> first = pr.get(0).layers();
            for (int i = 0; i < first.size(); i++) {
                List<String> cer = new ArrayList<>();
                for (LayerProbe.Result p : pr) {
                    cer.add(i < p.layers().size() ? p.layers().get(i).cerText() : "–");
                }
                probes.add(new ProbeRow(first.get(i).layer(), cer));
            }
        }
        List<String> warnings = r.pretraining().stream().flatMap(o -> o.warning().stream()).toList();
        return new StudyResults(folder, r, summary(r, perSeed), sets, grid, curves, models, probes, warnings);
    }

    private static String summary(Results r, List<ArmResult> perSeed) {
        StringBuilder b = new StringBuilder();
        if (r.corpus() != null) {
            b.append("Corpus ").append(r.corpus());
        }
        if (r.splits() != null && !r.splits().isBlank()) {
            b.append(": ").append(r.splits());
        }
        b.append('\n');
        if (r.config() != null) {
            int expected = r.config().arms().size() * r.config().seeds().size();
            ExperimentConfig c = r.config();
            String draws = c.pretrainDraws().isEmpty() ? "" : ", " + c.pretrainDraws();
            b.append(String.format(Locale.ROOT, "%s min labeled per seed, seeds %s, %d training-speaker utterances"
                            + " (%.1f min) for pre-training%s. %s",
                    trim(c.labeledMinutes()), c.seeds(), r.trainUtterances(), r.trainMinutes(), draws,
                    perSeed.size() < expected ? String.format(Locale.ROOT, "Partial: %d of %d arm × seed models scored.",
                            perSeed.size(), expected) : "All " + expected + " arm × seed models scored."));
        }
        if (r.device() != null) {
            b.append(" Device: ").append(r.device()).append('.');
        }
        b.append(" Checkpoints and settings chosen on ").append(r.selectionRule()).append('.');
        return b.toString().strip();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static TestSetTable table(String set, Map<String, Map<String, Aggregate>> arms) {
        List<ArmRow> rows = new ArrayList<>();
        arms.entrySet().stream().sorted(Comparator.comparing(e -> order(e.getKey()))).forEach(e -> {
            Aggregate g = e.getValue().get(GREEDY);
            Aggregate l = e.getValue().get(LM);
            rows.add(new ArmRow(e.getKey(), title(e.getKey()), cell(g, true), cell(g, false), cell(l, true), cell(l, false)));
        });
        List<Reduction> red = new ArrayList<>();
        for (Comparison c : Comparison.ALL) {
            reduction(arms, c.baseline(), c.model(), c.label(), red);
        }
        return new TestSetTable(set, "heldout".equals(set) ? "Held-out speakers (heldout)" : "Test set " + set, rows, red);
    }

    private static void reduction(Map<String, Map<String, Aggregate>> arms, String base, String model, String title,
                                  List<Reduction> out) {
        Map<String, Aggregate> b = arms.get(base);
        Map<String, Aggregate> m = arms.get(model);
        if (b == null || m == null) {
            return;
        }
        Optional<Comparison.Reduction> greedy = Comparison.of(b.get(GREEDY), m.get(GREEDY));
        Optional<Comparison.Reduction> lm = Comparison.of(b.get(LM), m.get(LM));
        // while a run is in progress the arms may have scored different seeds: say which were compared
        Optional<Comparison.Reduction> any = greedy.or(() -> lm);
        // (a reduction without known seeds is never partial, so its label stays empty)
        String seeds = any.map(x -> x.seedsLabel() + (x.partial() ? " (so far)" : "")).orElse("");
        out.add(new Reduction(title, rel(greedy, true), rel(greedy, false), rel(lm, true), rel(lm, false), seeds));
    }

    private static String rel(Optional<Comparison.Reduction> r, boolean wer) {
        return r.map(x -> Comparison.percent(wer ? x.wer() : x.cer())).orElse("–");
    }

    /** "mean [min–max]"; just the mean when a single seed was scored. */
    static String cell(Aggregate a, boolean wer) {
        if (a == null) {
            return "–";
        }
        double mean = wer ? a.wer() : a.cer();
        double lo = wer ? a.werMin() : a.cerMin();
        double hi = wer ? a.werMax() : a.cerMax();
        int seeds = a.perSeed() == null ? 0 : a.perSeed().size();
        return seeds <= 1 && lo == hi ? String.format(Locale.ROOT, "%.2f", mean)
                : String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", mean, lo, hi);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    private static int order(String armKey) {
        try {
            return Arm.of(armKey).ordinal();
        } catch (IllegalArgumentException e) {
            return Arm.values().length;
        }
    }

    static String title(String armKey) {
        try {
            return Arm.of(armKey).title();
        } catch (IllegalArgumentException e) {
            return armKey;
        }
    }
}
