package org.speechwb.engine.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;
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
 * @param normalizeEpsilon the ε of {@code (x − mean) / sqrt(var + ε)} when recognising and
 *                      inspecting: null (absent from the file) for fairseq's 1e-5; models imported
 *                      from transformers carry its 1e-7. Training batches always use 1e-5.
 * @param gainJitterDb  0 (the reference): pre-training crops as recorded; g: a random loudness
 *                      contour of ±g dB over each crop ({@link org.speechwb.engine.data.GainJitter}),
 *                      wav2vec 2.0 pre-training only
 */
public record DataConfig(int maxSampleSize, int minSampleSize, int maxTokens, int maxBatchSize, boolean normalize,
                         int cacheMegabytes,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Double normalizeEpsilon, double gainJitterDb) {

    /** fairseq's normalisation ε (F.layer_norm's default). */
    public static final double FAIRSEQ_EPSILON = 1e-5;
    /** transformers' Wav2Vec2FeatureExtractor ε. */
    public static final double TRANSFORMERS_EPSILON = 1e-7;
    /** Injection key under which ConfigIO supplies null when a file leaves normalizeEpsilon out. */
    public static final String ABSENT_EPSILON = "speechwb.absent.normalizeEpsilon";
    /** Injection key under which ConfigIO supplies null when a file leaves gainJitterDb out (older configs). */
    public static final String ABSENT_GAIN_JITTER = "speechwb.absent.gainJitterDb";
    /** Beyond ±30 dB the contour would push quiet speech below the recording's noise floor. */
    public static final double MAX_GAIN_JITTER_DB = 30;

    public DataConfig {
        // BatchingConfig holds the rules; build one to validate with its messages
        new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, 0);
        if (cacheMegabytes < 0) {
            throw new IllegalArgumentException("data.cacheMegabytes cannot be negative, got " + cacheMegabytes);
        }
        if (normalizeEpsilon != null && !(normalizeEpsilon > 0 && normalizeEpsilon < 1)) {
            throw new IllegalArgumentException("data.normalizeEpsilon must be in (0, 1), got " + normalizeEpsilon);
        }
        if (!(gainJitterDb >= 0 && gainJitterDb <= MAX_GAIN_JITTER_DB)) {
            throw new IllegalArgumentException("data.gainJitterDb must be between 0 (off) and " + (int) MAX_GAIN_JITTER_DB
                    + " dB, got " + gainJitterDb);
        }
    }

    public DataConfig(int maxSampleSize, int minSampleSize, int maxTokens, int maxBatchSize, boolean normalize,
                      int cacheMegabytes) {
        this(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, cacheMegabytes, null, 0);
    }

    @JsonCreator
    static DataConfig fromJson(@JsonProperty("maxSampleSize") int maxSampleSize,
                               @JsonProperty("minSampleSize") int minSampleSize,
                               @JsonProperty("maxTokens") int maxTokens,
                               @JsonProperty("maxBatchSize") int maxBatchSize,
                               @JsonProperty("normalize") boolean normalize,
                               @JsonProperty("cacheMegabytes") int cacheMegabytes,
                               @JsonProperty("normalizeEpsilon")
                               @JacksonInject(value = ABSENT_EPSILON, useInput = OptBoolean.TRUE) Double normalizeEpsilon,
                               @JsonProperty("gainJitterDb")
                               @JacksonInject(value = ABSENT_GAIN_JITTER, useInput = OptBoolean.TRUE) Double gainJitterDb) {
        return new DataConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, cacheMegabytes,
                normalizeEpsilon, gainJitterDb == null ? 0 : gainJitterDb);
    }

    /** Whether pre-training lays a random loudness contour over its crops. */
    public boolean gainJittered() {
        return gainJitterDb > 0;
    }

    /** The ε inference normalises with. */
    public double epsilon() {
        return normalizeEpsilon == null ? FAIRSEQ_EPSILON : normalizeEpsilon;
    }

    public DataConfig withNormalize(boolean on, Double eps) {
        return new DataConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, on, cacheMegabytes, eps, gainJitterDb);
    }

    public BatchingConfig batching(long seed) {
        return new BatchingConfig(maxSampleSize, minSampleSize, maxTokens, maxBatchSize, normalize, seed);
    }

    public static DataConfig base() {
        return new DataConfig(250_000, 32_000, 1_400_000, 0, false, 2048);
    }
}
