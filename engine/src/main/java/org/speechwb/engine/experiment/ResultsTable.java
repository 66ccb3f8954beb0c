package org.speechwb.engine.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.speechwb.engine.acoustic.AcousticModelConfig;

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
        if (c.labeledVoices() > 0) {
            b.append(String.format(Locale.ROOT, "The labeled subset is drawn from %d training voices only; the unlabeled"
                    + " audio covers all of them.%n%n", c.labeledVoices()));
        }
        if (!c.featurePreset().isBlank()) {
            b.append(String.format(Locale.ROOT, "Feature comparison: wav2vec 1.0 `%s` pre-trained for %d updates on the"
                            + " same unlabeled audio; the same conv acoustic model (%s) trained for %d updates on the labeled"
                            + " subset, once on 80 log-mel (25 ms / 10 ms) and once on the frozen context vectors.%n%n",
                    c.featurePreset(), c.featureUpdates(), AcousticModelConfig.defaults().describe(), c.acousticUpdates()));
        }
        b.append("| model | test set | decoder | WER % | CER % | utterances |\n|---|---|---|---|---|---|\n");
        for (LowResourceExperiment.Score s : r.scores()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %d |%n", s.model(), s.testSet(), s.decoder(),
                    100 * s.wer(), 100 * s.cer(), s.utterances()));
        }
        relativeReductions(b, r, "Relative WER reduction of wav2vec 2.0 pre-training (scratch − pre-trained) / scratch",
                LowResourceExperiment.WAV2VEC2_SCRATCH, LowResourceExperiment.WAV2VEC2_PRETRAINED);
        relativeReductions(b, r, "Relative WER reduction of wav2vec 1.0 features over log-mel, same acoustic model"
                + " (log-mel − wav2vec 1.0) / log-mel", LowResourceExperiment.LOG_MEL_AM, LowResourceExperiment.WAV2VEC1_AM);
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

    private static void relativeReductions(StringBuilder b, LowResourceExperiment.Results r, String title, String baseline,
                                           String model) {
        Set<String> keys = new LinkedHashSet<>();
        r.scores().forEach(s -> keys.add(s.testSet() + "|" + s.decoder()));
        StringBuilder lines = new StringBuilder();
        for (String k : keys) {
            double base = find(r, baseline, k);
            double m = find(r, model, k);
            if (!Double.isNaN(base) && !Double.isNaN(m)) {
                lines.append(String.format(Locale.ROOT, "- %s, %s: %.1f %%%n", k.split("\\|")[0], k.split("\\|")[1],
                        base == 0 ? 0 : 100 * (base - m) / base));
            }
        }
        if (!lines.isEmpty()) {
            b.append("\n").append(title).append(":\n\n").append(lines);
        }
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
