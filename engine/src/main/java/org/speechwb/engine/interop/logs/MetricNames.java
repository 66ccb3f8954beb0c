package org.speechwb.engine.interop.logs;

import java.util.Map;

/**
 * How other tools name the metrics we log. Only quantities with the same meaning are mapped:
 * fairseq's {@code loss_1} is the diversity term times its weight, ours is unweighted, so it
 * stays out rather than be shown on the wrong scale.
 */
final class MetricNames {

    private MetricNames() {
    }

    /** The fields of our own metrics records (the tags our TensorBoard mirror writes). */
    static final java.util.Set<String> OURS = ours();

    private static java.util.Set<String> ours() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Class<?> c : java.util.List.of(org.speechwb.engine.train.UpdateMetrics.class,
                org.speechwb.engine.train.FinetuneMetrics.class, org.speechwb.engine.train.ValidationResult.class)) {
            for (java.lang.reflect.RecordComponent rc : c.getRecordComponents()) {
                names.add(rc.getName());
            }
        }
        return java.util.Set.copyOf(names);
    }

    /** fairseq wav2vec / wav2vec_ctc criterion keys (losses in bits, as ours). */
    static final Map<String, String> FAIRSEQ = Map.ofEntries(
            Map.entry("loss", "loss"),
            Map.entry("loss_0", "contrastive"),
            Map.entry("accuracy", "accuracy"),
            Map.entry("code_perplexity", "codePerplexity"),
            Map.entry("prob_perplexity", "probPerplexity"),
            Map.entry("temp", "temperature"),
            Map.entry("lr", "lr"),
            Map.entry("gnorm", "gradNorm"),
            Map.entry("epoch", "epoch"),
            // seconds since the run started, as our elapsedSeconds: the wall-time axis works for it too
            Map.entry("wall", "elapsedSeconds"),
            Map.entry("wer", "wer"),
            Map.entry("uer", "cer"));

    /** transformers Trainer's log_history keys. */
    static final Map<String, String> TRANSFORMERS = Map.ofEntries(
            Map.entry("loss", "loss"),
            Map.entry("grad_norm", "gradNorm"),
            Map.entry("learning_rate", "lr"),
            Map.entry("epoch", "epoch"),
            Map.entry("eval_loss", "loss"),
            Map.entry("eval_wer", "wer"),
            Map.entry("eval_cer", "cer"));
}
