package org.speechwb.engine.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;

/**
 * The pre-training objective: contrastive task with {@code negatives} distractors, plus
 * α·diversity + λ·feature penalty (fairseq {@code num_negatives}, {@code loss_weights}).
 *
 * @param levelPool 0 (fairseq): distractors come from every other masked frame of the utterance;
 *                  n ≥ 2: only from the n masked frames closest to the target in level (the log
 *                  energy of each frame's receptive field). On real speech the quantizer learns to
 *                  code loudness, which uniform distractors reward; level-matched ones do not, so
 *                  the targets must tell frames of equal loudness apart (docs/experiment.md,
 *                  "Distractors matched in level": with 40 the codes still coded loudness at 90 %).
 * @param mfccClusters 0 (wav2vec 2.0): the targets are the Gumbel quantizer's codes; K ≥ 2: HuBERT's
 *                  first iteration, each masked frame predicts the k-means cluster (of K) of its
 *                  MFCCs, fitted on the run's audio before training. Fixed targets cannot become the
 *                  loudness code the learned ones became on real speech; distractors, the diversity
 *                  term and the quantizer then take no part.
 * @param mfccCmvn  with MFCC cluster targets: normalise each crop's MFCCs to zero mean and unit
 *                  variance per coefficient before clustering and labelling (per-utterance CMVN,
 *                  Kaldi's {@code apply-cmvn}). Raw MFCCs (HuBERT's) cluster partly by speaker and
 *                  recording level; on speechocean762 normalising took most of the speaker out of
 *                  the clusters, and letters with it (docs/experiment.md, "Normalised and finer MFCC
 *                  targets"), so it stays off by default.
 */
public record LossConfig(int negatives, double diversityWeight, double penaltyWeight, int levelPool,
                         int mfccClusters, boolean mfccCmvn) {

    /** Injection key under which ConfigIO supplies null when a file leaves levelPool out (older configs). */
    public static final String ABSENT_LEVEL_POOL = "speechwb.absent.levelPool";
    /** The same for mfccClusters. */
    public static final String ABSENT_MFCC_CLUSTERS = "speechwb.absent.mfccClusters";
    /** The same for mfccCmvn. */
    public static final String ABSENT_MFCC_CMVN = "speechwb.absent.mfccCmvn";
    /** More clusters than this would need more audio than a workbench run fits them on. */
    public static final int MAX_MFCC_CLUSTERS = 2000;

    public LossConfig {
        if (negatives < 1) {
            throw new IllegalArgumentException("loss.negatives must be at least 1, got " + negatives);
        }
        if (diversityWeight < 0 || penaltyWeight < 0) {
            throw new IllegalArgumentException("loss weights cannot be negative (diversity " + diversityWeight
                    + ", penalty " + penaltyWeight + ")");
        }
        if (levelPool < 0 || levelPool == 1) {
            throw new IllegalArgumentException("loss.levelPool must be 0 (distractors from every masked frame) or at"
                    + " least 2 (from that many masked frames nearest in level), got " + levelPool);
        }
        if (mfccClusters < 0 || mfccClusters == 1 || mfccClusters > MAX_MFCC_CLUSTERS) {
            throw new IllegalArgumentException("loss.mfccClusters must be 0 (wav2vec 2.0's quantizer targets) or 2 to "
                    + MAX_MFCC_CLUSTERS + " (HuBERT-style MFCC cluster targets), got " + mfccClusters);
        }
        if (mfccClusters > 0 && levelPool > 0) {
            throw new IllegalArgumentException("loss.levelPool picks distractors, which MFCC cluster targets"
                    + " (loss.mfccClusters) do not use; set one of them to 0");
        }
        if (mfccClusters > 0 && diversityWeight != 0) {
            throw new IllegalArgumentException("loss.diversityWeight weighs the quantizer's diversity term, which MFCC"
                    + " cluster targets (loss.mfccClusters) do not use; set it to 0");
        }
        if (mfccCmvn && mfccClusters == 0) {
            throw new IllegalArgumentException("loss.mfccCmvn normalises the MFCCs of cluster targets; it needs"
                    + " loss.mfccClusters above 0");
        }
    }

    public LossConfig(int negatives, double diversityWeight, double penaltyWeight) {
        this(negatives, diversityWeight, penaltyWeight, 0, 0, false);
    }

    @JsonCreator
    static LossConfig fromJson(@JsonProperty("negatives") int negatives,
                               @JsonProperty("diversityWeight") double diversityWeight,
                               @JsonProperty("penaltyWeight") double penaltyWeight,
                               @JsonProperty("levelPool")
                               @JacksonInject(value = ABSENT_LEVEL_POOL, useInput = OptBoolean.TRUE) Integer levelPool,
                               @JsonProperty("mfccClusters")
                               @JacksonInject(value = ABSENT_MFCC_CLUSTERS, useInput = OptBoolean.TRUE)
                               Integer mfccClusters,
                               @JsonProperty("mfccCmvn")
                               @JacksonInject(value = ABSENT_MFCC_CMVN, useInput = OptBoolean.TRUE)
                               Boolean mfccCmvn) {
        return new LossConfig(negatives, diversityWeight, penaltyWeight, levelPool == null ? 0 : levelPool,
                mfccClusters == null ? 0 : mfccClusters, mfccCmvn != null && mfccCmvn);
    }

    /** Whether distractors are drawn among frames of similar level rather than fairseq's way. */
    public boolean levelMatched() {
        return levelPool > 0;
    }

    /**
     * Whether the targets are MFCC clusters (HuBERT-style) rather than the quantizer's codes;
     * never true in a wav2vec 1.0 config, which PretrainConfig refuses with them.
     */
    public boolean clusterTargets() {
        return mfccClusters > 0;
    }

    public static LossConfig base() {
        return new LossConfig(100, 0.1, 10);
    }
}
