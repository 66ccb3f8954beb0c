package org.speechwb.engine.data;

import java.util.Locale;

/**
 * Batching settings with fairseq's wav2vec 2.0 meaning; all sizes are in 16 kHz samples.
 *
 * @param maxSampleSize pre-training: crop length limit (fairseq {@code max_sample_size});
 *                      fine-tuning: longer utterances are dropped (cropping would cut transcripts)
 * @param minSampleSize shorter utterances are dropped (fairseq {@code min_sample_size})
 * @param maxTokens     upper bound on batch size × padded/cropped length, i.e. samples per batch
 *                      (fairseq {@code max_tokens}); bounds memory per step
 * @param maxBatchSize  upper bound on utterances per batch, 0 for none (fairseq {@code batch_size})
 * @param normalize     scale each utterance to zero mean / unit variance before cropping (fairseq
 *                      {@code normalize}, needed for the large models, off for base)
 * @param seed          seeds batch order (with the epoch) and crop offsets (with epoch and index)
 */
public record BatchingConfig(int maxSampleSize, int minSampleSize, int maxTokens, int maxBatchSize,
                             boolean normalize, long seed) {

    public BatchingConfig {
        if (maxSampleSize <= 0) {
            throw new IllegalArgumentException("maxSampleSize must be a positive number of 16 kHz samples, got "
                    + maxSampleSize);
        }
        if (minSampleSize < 0) {
            throw new IllegalArgumentException("minSampleSize cannot be negative, got " + minSampleSize);
        }
        if (minSampleSize > maxSampleSize) {
            throw new IllegalArgumentException("minSampleSize " + describe(minSampleSize)
                    + " is larger than maxSampleSize " + describe(maxSampleSize)
                    + ": no utterance could be both long enough to keep and short enough to use");
        }
        if (maxTokens < maxSampleSize) {
            throw new IllegalArgumentException("maxTokens " + describe(maxTokens)
                    + " must be at least maxSampleSize " + describe(maxSampleSize)
                    + ", otherwise a single full-length utterance does not fit in a batch");
        }
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException("maxBatchSize cannot be negative (use 0 for no limit), got "
                    + maxBatchSize);
        }
    }

    /**
     * fairseq's wav2vec 2.0 base pre-training settings on LibriSpeech: crops of at most 250 000
     * samples (15.6 s), utterances under 32 000 samples (2 s) dropped, 1.4 M samples per batch.
     */
    public static BatchingConfig wav2vec2Pretraining(long seed) {
        return new BatchingConfig(250_000, 32_000, 1_400_000, 0, false, seed);
    }

    /**
     * Fine-tuning settings in the spirit of fairseq's base 10 min / 100 h recipes: 3.2 M samples per
     * batch; utterances over 30 s are dropped rather than cropped.
     */
    public static BatchingConfig wav2vec2Finetuning(long seed) {
        return new BatchingConfig(480_000, 0, 3_200_000, 0, false, seed);
    }

    public BatchingConfig withSeed(long newSeed) {
        return new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, newSeed);
    }

    public BatchingConfig withNormalize(boolean newNormalize) {
        return new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, newNormalize, seed);
    }

    /** 0 for no limit becomes {@link Integer#MAX_VALUE}. */
    int effectiveMaxBatchSize() {
        return maxBatchSize == 0 ? Integer.MAX_VALUE : maxBatchSize;
    }

    private static String describe(int samples) {
        return String.format(Locale.ROOT, "(%d samples = %.2f s at 16 kHz)", samples, samples / 16_000.0);
    }
}
