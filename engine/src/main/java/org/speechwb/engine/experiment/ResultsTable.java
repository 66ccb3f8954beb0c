package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The experiment's results as a Markdown page. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String markdown(LowResourceExperiment.Results r) {
        StringBuilder b = new StringBuilder();
        ExperimentConfig c = r.config();
        b.append("# Low-resource experiment\n\n");
        b.append(String.format(Locale.ROOT, "Corpus `%s`: %.1f min labeled (%d utterances) for fine-tuning, %.1f min"
                        + " unlabeled (%d utterances) for pre-training. Pre-training: `%s`, %d updates; fine-tuning: `%s`,"
                        + " %d updates for both models; LM: %d-gram on the training transcripts, beam %d, alpha %.2f,"
                        + " beta %.2f. Device: %s.%n%n",
                r.corpus(), r.labeledMinutes(), r.labeledUtterances(), r.unlabeledMinutes(), r.unlabeledUtterances(),
                c.pretrainPreset(), c.pretrainUpdates(), c.finetunePreset(), c.finetuneUpdates(), c.lmOrder(), c.beam(),
                c.lmWeight(), c.wordBonus(), r.device()));
        b.append("| model | test set | decoder | WER % | CER % | utterances |\n|---|---|---|---|---|---|\n");
        for (LowResourceExperiment.Score s : r.scores()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %d |%n", s.model(), s.testSet(), s.decoder(),
                    100 * s.wer(), 100 * s.cer(), s.utterances()));
        }
        b.append("\nRelative WER reduction of pre-training (scratch − pre-trained) / scratch:\n\n");
        Set<String> keys = new LinkedHashSet<>();
        r.scores().forEach(s -> keys.add(s.testSet() + "|" + s.decoder()));
        for (String k : keys) {
            double scratch = find(r, "from scratch", k);
            double pre = find(r, "wav2vec 2.0 pre-trained", k);
            if (!Double.isNaN(scratch) && !Double.isNaN(pre)) {
                b.append(String.format(Locale.ROOT, "- %s, %s: %.1f %%%n", k.split("\\|")[0], k.split("\\|")[1],
                        scratch == 0 ? 0 : 100 * (scratch - pre) / scratch));
            }
        }
        b.append("\n| stage | wall-clock |\n|---|---|\n");
        double total = 0;
        for (LowResourceExperiment.StageTime t : r.stages()) {
            b.append(String.format(Locale.ROOT, "| %s | %s |%n", t.stage(), t.reused() ? "reused from an earlier run"
                    : String.format(Locale.ROOT, "%.1f min", t.seconds() / 60)));
            total += t.seconds();
        }
        b.append(String.format(Locale.ROOT, "| total (this invocation) | %.1f min |%n", total / 60));
        return b.toString();
    }

    private static double find(LowResourceExperiment.Results r, String model, String key) {
        List<LowResourceExperiment.Score> m = new ArrayList<>();
        for (LowResourceExperiment.Score s : r.scores()) {
            if (s.model().equals(model) && (s.testSet() + "|" + s.decoder()).equals(key)) {
                m.add(s);
            }
        }
        return m.isEmpty() ? Double.NaN : m.get(0).wer();
    }
}
