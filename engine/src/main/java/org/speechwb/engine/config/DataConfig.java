package org.speechwb.engine.config;

import org.speechwb.engine.data.BatchingConfig;

/**
 * How audio becomes batches (fairseq task settings), sizes in 16 kHz samples.
 *
 * @param maxSampleSize crop limit (250 000 = 15.6 s)
 * @param minSampleSize shorter utterances are dropped (32 000 = 2 s)
 * @param maxTokens     samples per batch (1 400 000 per GPU in the reference)
 * @param maxBatchSize  utterances per batch, 0 for no limit
 * @param normalize     per-utterance zero mean / unit variance (LARGE)
 * @param cacheMegabytes decoded audio kept in memory across epochs
 */
public record DataConfig(int maxSampleSize, int minSampleSize, int maxTokens, int maxBatchSize, boolean normalize,
                         int cacheMegabytes) {

    public DataConfig {
        // BatchingConfig holds the rules; build one to validate with its messages
        new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, 0);
        if (cacheMegabytes < 0) {
            throw new IllegalArgumentException("data.cacheMegabytes cannot be negative, got " + cacheMegabytes);
        }
    }

    public BatchingConfig batching(long seed) {
        return new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, seed);
    }

    public static DataConfig base() {
        return new DataConfig(250_000, 32_000, 1_400_000, 0, false, 2048);
    }
}
