package org.speechwb.engine.train;

/**
 * One fine-tuning update, as a line of the run's metrics file.
 *
 * @param loss       CTC loss in nats per utterance (mean over the usable utterances)
 * @param stage      "head" while only the CTC head trains, then "transformer" (or "all")
 * @param skippedUtterances utterances left out because their labels need more frames than the audio has
 */
public record FinetuneMetrics(int update, int epoch, double loss, double lr, double gradNorm, String stage,
                              double audioSecondsPerSecond, double rssMegabytes, double seconds, double elapsedSeconds,
                              boolean skipped, int batchSize, int skippedUtterances) {
}
