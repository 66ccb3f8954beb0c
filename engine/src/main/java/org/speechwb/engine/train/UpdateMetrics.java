package org.speechwb.engine.train;

/**
 * Everything logged after one optimiser update, as a line of the run's metrics file and in
 * the {@link TrainingEvent.Updated} event. Loss and contrastive loss are in bits (÷ ln 2, as
 * fairseq logs them); chance level for K distractors is log2(K+1).
 *
 * @param update               1-based update number
 * @param epoch                epoch of the (last) batch
 * @param loss                 total loss in bits
 * @param contrastive          contrastive part in bits
 * @param diversity            (G·V − prob perplexity)/(G·V), in [0, 1)
 * @param penalty              mean squared encoder output
 * @param accuracy             share of masked frames whose true target scored highest
 * @param codePerplexity       perplexity of the argmax code choices, max G·V
 * @param probPerplexity       perplexity of the averaged code probabilities, max G·V
 * @param temperature          Gumbel temperature used
 * @param lr                   learning rate used
 * @param gradNorm             global gradient norm before clipping
 * @param maskedFraction       share of frames masked
 * @param audioSecondsPerSecond throughput: seconds of audio per wall-clock second
 * @param rssMegabytes         resident memory of the process
 * @param seconds              wall-clock seconds of this update
 * @param elapsedSeconds       wall-clock seconds since the run (or resumed session) started
 * @param skipped              true when the update was skipped for a non-finite loss or gradient
 * @param batchSize            utterances in the update (summed over accumulated micro-batches)
 * @param cropSeconds          crop length of the (last) batch
 * @param stepAccuracy         wav2vec 1.0: per prediction step k = 1..K, share of positives scored above
 *                             every distractor (chance 1/(N+1)); null for wav2vec 2.0
 * @param stepLoss             wav2vec 1.0: per step, mean loss per positive in bits; null for wav2vec 2.0
 * @param quantizerLoss        vq-wav2vec: the quantizer's own loss (Gumbel G·V − prob perplexity,
 *                             k-means latent + γ·commitment MSE); 0 otherwise
 */
public record UpdateMetrics(int update, int epoch, double loss, double contrastive, double diversity, double penalty,
                            double accuracy, double codePerplexity, double probPerplexity, double temperature,
                            double lr, double gradNorm, double maskedFraction, double audioSecondsPerSecond,
                            double rssMegabytes, double seconds, double elapsedSeconds, boolean skipped,
                            int batchSize, double cropSeconds, double[] stepAccuracy, double[] stepLoss,
                            double quantizerLoss) {

    /** The wav2vec 2.0 form, without the wav2vec 1.0 fields. */
    public UpdateMetrics(int update, int epoch, double loss, double contrastive, double diversity, double penalty,
                         double accuracy, double codePerplexity, double probPerplexity, double temperature, double lr,
                         double gradNorm, double maskedFraction, double audioSecondsPerSecond, double rssMegabytes,
                         double seconds, double elapsedSeconds, boolean skipped, int batchSize, double cropSeconds) {
        this(update, epoch, loss, contrastive, diversity, penalty, accuracy, codePerplexity, probPerplexity, temperature, lr,
                gradNorm, maskedFraction, audioSecondsPerSecond, rssMegabytes, seconds, elapsedSeconds, skipped, batchSize,
                cropSeconds, null, null, 0);
    }
}
