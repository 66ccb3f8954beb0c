package org.speechwb.engine.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.speechwb.engine.probe.ProbeTable;

/** The experiment's results as a Markdown page. */
final class ResultsTable {

    private ResultsTable() {
    }

    private static String setting(GridCandidates.Candidate a) {
        return a.setting().isEmpty() ? "preset" : "`" + String.join(" ", a.setting()) + "`";
    }

    /**
     * @param folderSeconds every stage the folder has run, in every invocation ({@link StageLedger#sum()})
     */
    static String markdown(LowResourceExperiment.Results r, double folderSeconds) {
        StringBuilder b = new StringBuilder();
        ExperimentConfig c = r.config();
        b.append("# Low-resource experiment\n\n");
        b.append(String.format(Locale.ROOT, "Corpus `%s`, %s.%n%n", r.corpus(), r.splits()));
        String w2v2 = c.givenPretrainedModel()
                ? String.format(Locale.ROOT, "none, the given model `%s` instead (which audio it saw is not"
                        + " checked)", c.pretrainedModel())
                : String.format(Locale.ROOT, "`%s`, %d updates", c.pretrainPreset(), c.pretrainUpdates())
                + (c.pretrainDraws().isEmpty() ? "" : ", " + c.pretrainDraws());
        b.append(String.format(Locale.ROOT, "Labeled subsets of %.0f min from the training speakers, seeds %s (%s"
                        + " utterances). Pre-training on all %d training-speaker utterances (%.1f min): wav2vec 2.0 %s;"
                        + " wav2vec 1.0 `%s`, %d updates%s. Fine-tuning `%s`, %d updates; acoustic model %d"
                        + " updates. LM: %d-gram on the training speakers' transcripts, beam %d, alpha %.2f, beta %.2f."
                        + " Device: %s.%n%n",
                c.labeledMinutes(), c.seeds(), r.labeledUtterances().values(), r.trainUtterances(), r.trainMinutes(),
                w2v2, c.featurePreset(), c.featureUpdates(), c.pretrainPerSeed() ? ", likewise" : "",
                c.finetunePreset(),
                c.finetuneUpdates(), c.acousticUpdates(), c.lmOrder(), c.beam(), c.lmWeight(), c.wordBonus(), r.device()));
        b.append("Error rates in %, mean over seeds with [min–max].\n");
        for (Map.Entry<String, Map<String, Map<String, LowResourceExperiment.Aggregate>>> set : r.testSets().entrySet()) {
            b.append("\n### Test set `").append(set.getKey()).append("`\n\n");
            b.append("| arm | greedy WER | greedy CER | LM WER | LM CER |\n|---|---|---|---|---|\n");
            for (Map.Entry<String, Map<String, LowResourceExperiment.Aggregate>> arm : set.getValue().entrySet()) {
                b.append("| ").append(Arm.of(arm.getKey()).title()).append(" (`").append(arm.getKey()).append("`) |");
                for (String d : List.of(LowResourceExperiment.GREEDY, LowResourceExperiment.LM)) {
                    LowResourceExperiment.Aggregate a = arm.getValue().get(d);
                    b.append(a == null ? " – | – |" : String.format(Locale.ROOT, " %.2f [%.2f–%.2f] | %.2f [%.2f–%.2f] |",
                            a.wer(), a.werMin(), a.werMax(), a.cer(), a.cerMin(), a.cerMax()));
                }
                b.append('\n');
            }
            for (Comparison cmp : Comparison.ALL) {
                relative(b, set.getValue(), cmp.baseline(), cmp.model(), cmp.title());
            }
        }
        if (!r.grid().isEmpty()) {
            Map<String, List<GridCandidates.Candidate>> candidates = new java.util.LinkedHashMap<>();
            r.grid().forEach((arm, results) -> candidates.put(arm, GridCandidates.of(results)));
            List<Long> gridSeeds = c.gridSeedList();
            b.append("\n### Settings chosen on validation (" + (gridSeeds.size() > 1 ? "mean over " : "") + SeedsLabel.of(gridSeeds)
                    + "; " + r.selectionRule() + ")\n\n"
                    + "| arm | setting | valid WER | valid CER | chosen |\n|---|---|---|---|---|\n");
            for (Map.Entry<String, List<GridCandidates.Candidate>> e : candidates.entrySet()) {
                int chosen = r.chosenCandidate(e.getKey());
                for (GridCandidates.Candidate a : e.getValue()) {
                    b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s |%n", e.getKey(),
                            setting(a), 100 * a.validWer(), 100 * a.validCer(), a.candidate() == chosen ? "yes" : ""));
                }
            }
            if (gridSeeds.size() > 1) {
                b.append("\nPer seed (valid WER / CER):\n\n| arm | setting |");
                gridSeeds.forEach(s -> b.append(" seed ").append(s).append(" |"));
                b.append("\n|---|---|").append("---|".repeat(gridSeeds.size())).append('\n');
                for (Map.Entry<String, List<LowResourceExperiment.ArmResult>> e : r.grid().entrySet()) {
                    for (GridCandidates.Candidate a : candidates.get(e.getKey())) {
                        b.append("| ").append(e.getKey()).append(" | ").append(setting(a)).append(" |");
                        for (long s : gridSeeds) {
                            b.append(e.getValue().stream().filter(x -> x.candidate() == a.candidate() && x.seed() == s)
                                    .findFirst().map(x -> String.format(Locale.ROOT, " %.2f / %.2f |", 100 * x.validWer(),
                                            100 * x.validCer())).orElse(" – |"));
                        }
                        b.append('\n');
                    }
                }
            }
        }
        pretraining(b, r.pretraining());
        if (!r.probes().isEmpty()) {
            b.append("\n### Layer probes\n\n").append(ProbeTable.markdown(r.probes()));
        }
        b.append("\nWall-clock time per stage. A stage is timed once, though it may start inside another that needed it."
                + " \"All invocations\" adds the time spent on it when the folder was run before, including a training"
                + " run stopped and continued; – where it ran before the folder kept times.\n\n"
                + "| stage | this invocation | all invocations |\n|---|---|---|\n");
        double total = 0;
        for (LowResourceExperiment.StageTime t : r.stages()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", t.stage(),
                    t.reused() ? "reused" : String.format(Locale.ROOT, "%.1f min", t.seconds() / 60),
                    t.totalSeconds() > 0 ? String.format(Locale.ROOT, "%.1f min", t.totalSeconds() / 60) : "–"));
            total += t.seconds();
        }
        b.append(String.format(Locale.ROOT, "| total | %.1f min | %.1f min (every stage run in this folder) |%n",
                total / 60, folderSeconds / 60));
        return b.toString();
    }

    /** How each pre-training ended, with a warning above the table for one that ended at chance level. */
    private static void pretraining(StringBuilder b, List<PretrainingOutcome> runs) {
        if (runs.isEmpty()) {
            return;
        }
        b.append("\n### How each pre-training ended\n\n");
        runs.forEach(o -> o.warning().ifPresent(w -> b.append("**WARNING:** ").append(w).append("\n\n")));
        b.append("Smoothed over the last updates as the training's health checks smooth them; \"left chance level\" is"
                + " the first update with a loss under 90 % of chance.\n\n"
                + "| run | updates | contrastive loss (bits) | chance (bits) | accuracy | code perplexity | left chance level |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (PretrainingOutcome o : runs) {
            b.append(String.format(Locale.ROOT, "| `%s` (%s) | %d | %.3f | %.3f | %.1f %% | %s | %s |%n", o.run(),
                    o.family(), o.updates(), o.contrastiveBits(), o.chanceBits(), 100 * o.accuracy(),
                    Double.isNaN(o.codePerplexity()) ? "–" : String.format(Locale.ROOT, "%.1f", o.codePerplexity()),
                    o.leftChanceAt() < 0 ? "**never**" : "update " + o.leftChanceAt()));
        }
    }

    /**
     * Relative reductions (baseline − model) / baseline of the means over the seeds both arms
     * have scored, for WER and CER and both decoders.
     */
    private static void relative(StringBuilder b, Map<String, Map<String, LowResourceExperiment.Aggregate>> set,
                                 String baseline, String model, String title) {
        Map<String, LowResourceExperiment.Aggregate> base = set.get(baseline);
        Map<String, LowResourceExperiment.Aggregate> m = set.get(model);
        if (base == null || m == null) {
            return;
        }
        StringBuilder line = new StringBuilder();
        String partial = "";
        for (String d : List.of(LowResourceExperiment.GREEDY, LowResourceExperiment.LM)) {
            Comparison.Reduction r = Comparison.of(base.get(d), m.get(d)).orElse(null);
            if (r != null) {
                line.append(' ').append(d).append(" WER ").append(Comparison.percent(r.wer())).append(", CER ")
                        .append(Comparison.percent(r.cer())).append(';');
                if (r.partial()) {
                    partial = " (on " + r.seedsLabel() + ", the seeds both arms have scored so far)";
                }
            }
        }
        if (line.length() > 0) {
            line.setLength(line.length() - 1);
            b.append("\nRelative reduction, ").append(title).append(partial).append(':').append(line).append(".\n");
        }
    }

}
